import copy

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """An organisation taking part: Bawaslu, a Panwascam, a PKD, the Polres, a Polsek, KPU and its
    committees (PPK, PPS), ... `sinergi setup-district` creates a district's set (accounts/districts.py)."""

    class Kind(models.TextChoices):
        BAWASLU = "bawaslu", _("Bawaslu Kabupaten/Kota")
        PANWASCAM = "panwascam", _("Panwaslu Kecamatan")
        PKD = "pkd", _("Panwaslu Kelurahan/Desa")
        POLRES = "polres", _("Polres")
        POLSEK = "polsek", _("Polsek")
        KPU = "kpu", _("KPU Kabupaten/Kota")
        # KPU's committees, named as parties in the logistics chain of custody (`ppk:`, `pps:`).
        PPK = "ppk", _("Panitia Pemilihan Kecamatan (PPK)")
        PPS = "pps", _("Panitia Pemungutan Suara (PPS)")
        KEJAKSAAN = "kejaksaan", _("Kejaksaan Negeri")
        PEMDA = "pemda", _("Pemerintah Daerah / Linmas")
        # The province bodies, seated in a province (docs/agencies.md "Province and national
        # bodies"): they read and coordinate the districts below them (roll-ups), they do not edit
        # a district's operational data.
        BAWASLU_PROVINSI = "bawaslu_provinsi", _("Bawaslu Provinsi")
        POLDA = "polda", _("Polda")
        KPU_PROVINSI = "kpu_provinsi", _("KPU Provinsi")
        # The national bodies of a national deployment: no region (the whole country).
        BAWASLU_RI = "bawaslu_ri", _("Bawaslu RI")
        POLRI = "polri", _("Polri (Mabes)")
        KPU_RI = "kpu_ri", _("KPU RI")

    slug = models.SlugField(_("kode singkat (slug)"), max_length=80, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    # The area the agency is responsible for: a district for Bawaslu, a kecamatan for a Polsek (who
    # may also guard other kecamatan: PolsekCoverage).
    # A national body (NATIONAL_KINDS) has none: its area is the whole country; every other agency has one.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="agencies", verbose_name=_("wilayah"))
    # The letterhead's contact line (accounts/letterhead.py); each left out of it when blank.
    address = models.CharField(_("alamat kantor"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("lembaga")
        verbose_name_plural = _("lembaga")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(region__isnull=True) & models.Q(kind__in=["bawaslu_ri", "polri", "kpu_ri"]))
                | (models.Q(region__isnull=False) & ~models.Q(kind__in=["bawaslu_ri", "polri", "kpu_ri"])),
                name="agency_region_unless_national",
            )
        ]

    def __str__(self) -> str:
        return self.name


# The bodies whose area is the whole country (Agency.region is empty exactly for them).
NATIONAL_KINDS = frozenset({Agency.Kind.BAWASLU_RI, Agency.Kind.POLRI, Agency.Kind.KPU_RI})
# The bodies seated in a province.
PROVINCE_KINDS = frozenset({Agency.Kind.BAWASLU_PROVINSI, Agency.Kind.POLDA, Agency.Kind.KPU_PROVINSI})


class PolsekCoverage(models.Model):
    """A kecamatan guarded by the Polsek of another kecamatan (one Polsek may cover several, as
    happens). A kecamatan without a row is covered by the Polsek seated in it. The guard plan
    attributes the kecamatan's TPS, posts and needs to the covering Polsek (guard/queries.py)."""

    kecamatan = models.OneToOneField("regions.Region", on_delete=models.PROTECT, primary_key=True, related_name="polsek_coverage", verbose_name=_("kecamatan"))
    polsek = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="covered_kecamatan", verbose_name=_("Polsek"))

    class Meta:
        ordering = ["kecamatan_id"]
        verbose_name = _("cakupan Polsek")
        verbose_name_plural = _("cakupan Polsek")

    def __str__(self) -> str:
        return f"{self.kecamatan_id} → {self.polsek}"


# The area of an account that belongs to no agency: a code no region has, so every area filter
# built from it matches nothing.
NO_AREA = "-"


class SinergiUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        """`sinergi createsuperuser` (the deployment operator's account, docs/operations.md): the new
        superuser is recorded in the audit trail with it (never its password)."""
        from sinergi.audit.services import Change, record

        with transaction.atomic():
            user = super().create_superuser(username, email, password, **extra_fields)
            record(actor=None, changes=[Change("user.create_superuser", "accounts.user", user.pk, user.username, changes={"is_superuser": [None, True]})])
        return user


class User(AbstractUser):
    """A person using Sinergi: belongs to one agency, has one role, sees one area (a region subtree)."""

    objects = SinergiUserManager()

    class Role(models.TextChoices):
        ADMIN = "admin", _("Pimpinan/administrator")
        STAFF = "staff", _("Staf")
        FIELD = "field", _("Petugas lapangan")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users", verbose_name=_("lembaga"))
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.STAFF)
    # Defaults to the agency's region; a narrower area may be set (a Polsek officer for one village).
    area = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("wilayah kerja"), help_text=_("Kosong: wilayah lembaganya.")
    )

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    @property
    def area_code(self) -> str | None:
        """The code of the region subtree this user may see: None (everywhere) for a superuser and
        an account of a national body (Bawaslu RI, Polri, KPU RI); `NO_AREA` (nowhere) for an
        account attached to no agency. A copy made by `narrowed_to` (a drill-down) sees its area."""
        if self.is_superuser and not self.drilled:
            return None
        if self.area_id:
            return self.area_id
        if self.agency_id:
            return self.agency.region_id
        return NO_AREA

    # True on the in-memory copy `narrowed_to` returns; never stored.
    drilled = False

    def narrowed_to(self, region) -> "User":
        """A copy of this user seeing only `region` (inside their area: the caller checks), for one
        request of a drill-down page (`situation/drilldown.py`): every scoped read follows
        `area_code`, so the copy reads a district's or kecamatan's share with the same
        permissions. The copy refuses to be saved."""
        narrowed = copy.copy(self)
        narrowed.__dict__.pop("_guarded_kecamatan", None)  # stations.queries keeps it per user object
        narrowed.area = region
        narrowed.drilled = True
        return narrowed

    def save(self, *args, **kwargs):
        if self.drilled:
            raise RuntimeError("a drill-down's narrowed copy of a user is never saved")
        super().save(*args, **kwargs)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("pengguna"))
    name = models.CharField(_("nama"), max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("awalan"), max_length=12)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user.username})"


class ActivationLink(models.Model):
    """A one-time link that lets an invited user set their password (accounts/invitations.py).

    Only the SHA-256 digest of the link's secret is stored, as for API tokens. A link is good until
    `expires_at`, once: `used_at` is set when the password is set, `revoked_at` when a newer link
    replaces it or the user is deactivated."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="activation_links")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="activation_link_latest")]

    def __str__(self) -> str:
        return f"{self.user.username} {self.created_at:%Y-%m-%d %H:%M}"
