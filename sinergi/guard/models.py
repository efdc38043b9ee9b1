from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.risk.models import StationClass


class Formation(models.Model):
    """A Polres's guard formation for one election: per class, police : TPS : Linmas per post."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="formations")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="formations", verbose_name=_("Polres"))
    name = models.CharField(_("nama"), max_length=150)
    source = models.CharField(_("sumber"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "agency"], name="formation_unique_per_polres")]

    def __str__(self) -> str:
        return self.name


class FormationRule(models.Model):
    formation = models.ForeignKey(Formation, on_delete=models.CASCADE, related_name="rules")
    level = models.CharField(_("kelas"), max_length=15, choices=StationClass.Level.choices)
    police = models.PositiveSmallIntegerField(_("polisi per pos"))
    stations = models.PositiveSmallIntegerField(_("TPS per pos"))
    linmas = models.PositiveSmallIntegerField(_("Linmas per pos"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["formation", "level"], name="formation_rule_unique_level"),
            models.CheckConstraint(condition=models.Q(stations__gte=1), name="formation_rule_at_least_one_tps"),
        ]


class PolsekPersonnel(models.Model):
    """Police available to guard TPS in one Polsek's area for one election."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="personnel")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="personnel", verbose_name=_("Polsek"))
    available = models.PositiveIntegerField(_("personel tersedia"))
    reinforcements = models.PositiveIntegerField(_("bantuan dari luar (BKO)"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "agency"], name="personnel_unique_per_polsek")]
