from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Variable(models.Model):
    """A variable of an election's vulnerability instrument (e.g. 2 Keamanan)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="risk_variables")
    number = models.PositiveSmallIntegerField(_("nomor"))
    name = models.CharField(_("nama"), max_length=120)
    name_en = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="risk_variable_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Indicator(models.Model):
    """One vulnerability indicator, with a code that stays stable for the election."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="risk_indicators")
    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("kode"), max_length=12)
    text = models.CharField(_("indikator"), max_length=300)
    text_en = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["election", "order"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="risk_indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class RiskRules(models.Model):
    """The configurable rules of one election: Bawaslu's frequency groups and the police class
    suggestion (docs/risk-and-guard.md explains them; `sinergi risk-rules` and the rules page
    change them)."""

    election = models.OneToOneField("elections.Election", on_delete=models.CASCADE, related_name="risk_rules")
    top_group_size = models.PositiveSmallIntegerField(_("indikator 'paling banyak terjadi'"), default=5)
    middle_group_size = models.PositiveSmallIntegerField(_("indikator 'banyak terjadi'"), default=5)
    severe_codes = models.JSONField(_("indikator berat"), default=list, blank=True)
    special_codes = models.JSONField(_("indikator lokasi khusus"), default=list, blank=True)
    rawan_min_variables = models.PositiveSmallIntegerField(_("variabel minimal untuk 'rawan'"), default=2)
    sangat_rawan_min_variables = models.PositiveSmallIntegerField(_("variabel minimal untuk 'sangat rawan' (dengan indikator berat)"), default=2)


class ChecklistAnswer(models.Model):
    """Whether one indicator is present at one TPS, as last filled in."""

    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="risk_answers")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="answers")
    present = models.BooleanField(_("ada"))
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    evidence = models.FileField(_("foto bukti"), upload_to="risk/evidence/%Y/%m/", blank=True)
    filled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    filled_at = models.DateTimeField(_("diisi pada"))
    # The joint monitoring visit whose findings last wrote this answer (its source); empty when it
    # was last written by the checklist form, the API or an upload (docs/visits.md).
    visit = models.ForeignKey("visits.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("kunjungan"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["station", "indicator"], name="risk_answer_unique")]


class StationClass(models.Model):
    """The police class of a TPS: suggested by the rule, set (confirmed or overridden) by the police."""

    class Level(models.TextChoices):
        KURANG_RAWAN = "kurang_rawan", _("Kurang rawan")
        RAWAN = "rawan", _("Rawan")
        SANGAT_RAWAN = "sangat_rawan", _("Sangat rawan")
        KHUSUS = "khusus", _("Khusus")

    station = models.OneToOneField("stations.Station", on_delete=models.CASCADE, related_name="police_class")
    level = models.CharField(_("kelas"), max_length=15, choices=Level.choices)
    # The suggestion the police confirmed or overrode when they set the class. When the current
    # suggestion differs (Bawaslu's data changed since), the TPS awaits the police (risk.queries).
    # Empty: not known (a class set before this was recorded), which awaits them too.
    suggested_level = models.CharField(_("saran saat ditetapkan"), max_length=15, choices=Level.choices, blank=True)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    set_at = models.DateTimeField()


class IntelNote(models.Model):
    """An intelligence note on a TPS: read and written by the police only."""

    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="intel_notes")
    text = models.TextField(_("catatan"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
