from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class KitItem(models.Model):
    """One line of the kit every TPS of an election receives (docs/logistics.md).

    `basis` says how many: `pemilih` is the TPS's voters plus the election's reserve, rounded up
    per TPS (the ballots of one type); `tetap` is `quantity` per TPS (booths, ink, a forms kit).
    """

    class Basis(models.TextChoices):
        VOTERS = "pemilih", _("pemilih + cadangan")
        FIXED = "tetap", _("tetap per TPS")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="kit_items")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama barang"), max_length=150)
    unit = models.CharField(_("satuan"), max_length=30)
    basis = models.CharField(_("dasar hitung"), max_length=10, choices=Basis.choices)
    quantity = models.PositiveIntegerField(_("jumlah per TPS"), default=0)
    ballot_type = models.ForeignKey("elections.BallotType", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["election", "order"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="kit_item_unique_code")]

    def __str__(self) -> str:
        return self.name


class Reserve(models.Model):
    """Items a district (kabupaten/kota) KPU holds back, outside the TPS kits (e.g. re-vote ballots)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    item = models.ForeignKey(KitItem, on_delete=models.CASCADE, related_name="reserves")
    quantity = models.PositiveIntegerField(_("jumlah cadangan"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    set_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "region", "item"], name="reserve_unique_item")]
