from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.regions.queries import zone_of
from sinergi.regions.timezones import SHORT as INDONESIAN_ZONES  # IANA name -> WIB/WITA/WIT


class Election(models.Model):
    """An election event. Everything operational in Sinergi belongs to one."""

    class Kind(models.TextChoices):
        PEMILU = "pemilu", _("Pemilu")
        PILKADA = "pilkada", _("Pilkada")

    slug = models.SlugField(_("kode singkat (slug)"), max_length=60, unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    voting_date = models.DateField(_("hari pemungutan suara"))
    time_zone = models.CharField(_("zona waktu"), max_length=40, default="Asia/Makassar")
    # Rules as data, so that the next election's numbers are a row, not a release.
    max_voters_per_station = models.PositiveIntegerField(_("pemilih maksimal per TPS"))
    ballot_reserve_percent = models.DecimalField(_("cadangan surat suara (%)"), max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-voting_date", "slug"]
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")

    def __str__(self) -> str:
        return self.name

    def zone_at(self, region_code: str) -> ZoneInfo:
        """Local time where `region_code` lies (a TPS's village, a case's region, a Polsek's
        kecamatan): its province's zone; the election's own zone for a code of no known province."""
        return zone_of(region_code, self.time_zone)

    def zone_for(self, area_code: str | None) -> ZoneInfo:
        """The clock of a page shown to a viewer of `area_code` (`User.area_code`): the zone of the
        viewer's province (a district's Bawaslu in Papua reads WIT); the election's own zone for a
        national viewer, whose area spans the three."""
        return zone_of(area_code or "", self.time_zone)

    @property
    def time_zone_label(self) -> str:
        """The zone as Indonesians name it (WIB/WITA/WIT), with the IANA name."""
        short = INDONESIAN_ZONES.get(self.time_zone)
        return f"{short} ({self.time_zone})" if short else self.time_zone


class Stage(models.Model):
    """A stage of the election calendar (campaign, quiet period, voting, ...)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stages", verbose_name=_("pemilihan"))
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=150)
    starts_on = models.DateField(_("mulai"))
    ends_on = models.DateField(_("selesai"))
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("tahapan")
        verbose_name_plural = _("tahapan")
        ordering = ["election", "starts_on", "order"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="stage_unique_code"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="stage_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class BallotType(models.Model):
    """A kind of ballot in this election (Pemilu 2024 has five, colour-coded)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballot_types", verbose_name=_("pemilihan"))
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=150)
    colour_name = models.CharField(_("warna"), max_length=40, blank=True)
    colour_hex = models.CharField(_("warna (heksadesimal)"), max_length=7, blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("jenis surat suara")
        verbose_name_plural = _("jenis surat suara")
        ordering = ["election", "order"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="ballot_type_unique_code")]

    def __str__(self) -> str:
        return self.name
