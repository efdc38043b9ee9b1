from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.stations.labels import tps_label, tps_number


class Station(models.Model):
    """A polling station (TPS) of one election, numbered within its village."""

    class Access(models.TextChoices):
        LAND = "darat", _("Darat")
        SEA = "laut", _("Laut (penyeberangan)")

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="stations")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="stations", verbose_name=_("desa/kelurahan"))
    number = models.PositiveSmallIntegerField(_("nomor TPS"))
    place = models.CharField(_("lokasi"), max_length=200, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    voters = models.PositiveIntegerField(_("pemilih (DPT)"))
    access = models.CharField(_("akses"), max_length=10, choices=Access.choices, default=Access.LAND)
    crossing = models.CharField(_("penyeberangan"), max_length=120, blank=True)
    is_special_location = models.BooleanField(_("lokasi khusus"), default=False)
    # True where the point is an estimate (the demo's generated points, a geocoded address).
    location_estimated = models.BooleanField(_("koordinat perkiraan"), default=False)

    class Meta:
        ordering = ["election_id", "village_id", "number"]
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        constraints = [
            models.UniqueConstraint(fields=["election", "village", "number"], name="station_unique_number_in_village"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="station_number_positive"),
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True, longitude__isnull=True)
                | models.Q(latitude__isnull=False, longitude__isnull=False),
                name="station_coordinates_both_or_neither",
            ),
        ]

    def __str__(self) -> str:
        return tps_label(self.number, self.village.name)

    @property
    def label(self) -> str:
        return tps_number(self.number)


class VillageTally(models.Model):
    """The TPS of one village of one election, counted: kept by database triggers on every write
    to `Station` (migration 0002_village_tally), whoever writes. A village whose TPS were all
    removed keeps a row of zeros. No foreign-key constraints: the triggers write it."""

    election = models.ForeignKey("elections.Election", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    village = models.ForeignKey("regions.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    stations = models.IntegerField(default=0)
    voters = models.BigIntegerField(default=0)
    by_sea = models.IntegerField(default=0)
    estimated = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "village"], name="village_tally_unique")]


class KecamatanTally(models.Model):
    """The TPS of one kecamatan of one election and its villages with a TPS, counted by the same
    triggers from the villages' changes (deltas, so concurrent writers add up): the overview of
    a whole country reads 7,277 rows instead of 820,161 TPS (docs/benchmarks.md)."""

    election = models.ForeignKey("elections.Election", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    kecamatan = models.ForeignKey("regions.Region", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    villages = models.IntegerField(default=0)
    stations = models.IntegerField(default=0)
    voters = models.BigIntegerField(default=0)
    by_sea = models.IntegerField(default=0)
    estimated = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "kecamatan"], name="kecamatan_tally_unique")]
