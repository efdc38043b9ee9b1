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


class GuardPost(models.Model):
    """A voting-day guard post fixed from the plan (guard.post_services.fix_plan): a stable identity
    officers are assigned to and check in at. Its `code` never changes and is never reused; a post
    the plan no longer has is retired (`retired_at`), not deleted, so its check-ins stay. A re-fix
    keeps every post whose TPS are the same (docs/risk-and-guard.md, "Voting-day posts")."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="guard_posts")
    polsek = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="guard_posts", verbose_name=_("Polsek"))
    code = models.CharField(_("kode pos"), max_length=40)
    number = models.PositiveIntegerField(_("nomor pos"))
    level = models.CharField(_("kelas"), max_length=15, choices=StationClass.Level.choices)
    stations = models.ManyToManyField("stations.Station", related_name="guard_posts", verbose_name=_("TPS"))
    # The TPS ids, sorted and joined: what makes a post "the same" at a re-fix.
    station_key = models.TextField(editable=False)
    police = models.PositiveSmallIntegerField(_("polisi direncanakan"))
    linmas = models.PositiveSmallIntegerField(_("Linmas direncanakan"))
    fixed_at = models.DateTimeField(_("ditetapkan"))
    retired_at = models.DateTimeField(_("tidak dipakai sejak"), null=True, blank=True)

    class Meta:
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "code"], name="guard_post_unique_code"),
            models.UniqueConstraint(fields=["election", "station_key"], condition=models.Q(retired_at__isnull=True), name="guard_post_unique_active_stations"),
        ]

    def __str__(self) -> str:
        return f"Pos {self.number} ({self.code})"


class GuardOfficer(models.Model):
    """An officer assigned to a post: name and NRP, optionally the Polsek account they sign in with."""

    post = models.ForeignKey(GuardPost, on_delete=models.PROTECT, related_name="officers", verbose_name=_("pos"))
    name = models.CharField(_("nama"), max_length=150)
    nrp = models.CharField(_("NRP"), max_length=20)
    user = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="guard_duties", verbose_name=_("akun"))

    class Meta:
        ordering = ["post__number", "name"]
        constraints = [models.UniqueConstraint(fields=["post", "nrp"], name="guard_officer_unique_nrp_per_post")]

    def __str__(self) -> str:
        return f"{self.name} (NRP {self.nrp})"


class OfficerMove(models.Model):
    """One move of an officer between two posts of a Polsek: the plan's history."""

    officer = models.ForeignKey(GuardOfficer, on_delete=models.CASCADE, related_name="moves")
    from_post = models.ForeignKey(GuardPost, on_delete=models.PROTECT, related_name="+", verbose_name=_("dari pos"))
    to_post = models.ForeignKey(GuardPost, on_delete=models.PROTECT, related_name="+", verbose_name=_("ke pos"))
    moved_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    moved_at = models.DateTimeField(_("waktu"))
    reason = models.CharField(_("alasan"), max_length=300, blank=True)

    class Meta:
        ordering = ["moved_at", "pk"]


class PostCheckIn(models.Model):
    """An officer's arrival at a post ("hadir") or a patrol note later in the day ("patroli"), sent
    from a phone. `client_id` is made by the phone: the same id is the same check-in, stored once."""

    class Kind(models.TextChoices):
        ARRIVAL = "hadir", _("Tiba di pos")
        PATROL = "patroli", _("Catatan patroli")

    post = models.ForeignKey(GuardPost, on_delete=models.PROTECT, related_name="check_ins", verbose_name=_("pos"))
    client_id = models.UUIDField(_("id laporan"), unique=True)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.ARRIVAL)
    officer = models.ForeignKey(GuardOfficer, on_delete=models.SET_NULL, null=True, blank=True, related_name="check_ins")
    by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("oleh"))
    at = models.DateTimeField(_("waktu di ponsel"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    police_present = models.PositiveSmallIntegerField(_("polisi hadir"), null=True, blank=True)
    linmas_present = models.PositiveSmallIntegerField(_("Linmas hadir"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["post", "kind", "at"], name="guard_checkin_post_kind_at")]
