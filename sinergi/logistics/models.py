from datetime import time

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


class Place(models.Model):
    """A point of a district's distribution network: the KPU warehouse, a store, a port or landing.

    The network (places, crossings, vehicle groups, rules) belongs to one district (kabupaten/kota)
    of an election: each district's KPU distributes from its own warehouse to its own TPS."""

    class Kind(models.TextChoices):
        WAREHOUSE = "gudang", _("Gudang KPU")
        STORE = "gudang_ppk", _("Gudang PPK/PPS")
        PORT = "pelabuhan", _("Pelabuhan/dermaga")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    key = models.SlugField(_("kode"), max_length=60)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    latitude = models.FloatField(_("lintang"))
    longitude = models.FloatField(_("bujur"))
    approximate = models.BooleanField(_("titik perkiraan"), default=False)

    class Meta:
        ordering = ["election", "district", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["election", "district", "key"], name="place_unique_key")]

    def __str__(self) -> str:
        return self.name


class Crossing(models.Model):
    """A sea crossing with its timetable. `name` matches the crossing recorded on each TPS."""

    class Mode(models.TextChoices):
        RORO = "roro", _("Kapal RoRo (membawa kendaraan)")
        CARGO = "barang", _("Perahu barang (membawa muatan)")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    name = models.CharField(_("nama"), max_length=120)
    origin = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("dari"))
    destination = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("ke"))
    mode = models.CharField(_("moda"), max_length=10, choices=Mode.choices)
    duration_min = models.PositiveIntegerField(_("lama penyeberangan (menit)"))
    departures = models.JSONField(_("jam keberangkatan"), default=list)  # ["08:00", "13:00"]
    capacity = models.PositiveIntegerField(_("kapasitas per keberangkatan"))  # vehicles (RoRo) or kits (cargo)

    class Meta:
        ordering = ["election", "district", "name"]
        constraints = [models.UniqueConstraint(fields=["election", "district", "name"], name="crossing_unique_name")]

    def __str__(self) -> str:
        return self.name


class CrossingClosure(models.Model):
    """A crossing closed for a time (high waves, strong wind)."""

    crossing = models.ForeignKey(Crossing, on_delete=models.CASCADE, related_name="closures")
    starts_at = models.DateTimeField(_("mulai"))
    ends_at = models.DateTimeField(_("selesai"))
    reason = models.CharField(_("alasan"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="closure_ends_after_start")]


class VehicleGroup(models.Model):
    """Vehicles of one kind and base, available every distribution day."""

    class Kind(models.TextChoices):
        TRUCK = "truk", _("Truk")
        PICKUP = "pikap", _("Mobil bak terbuka")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    name = models.CharField(_("nama"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    count = models.PositiveIntegerField(_("jumlah"))
    capacity = models.PositiveIntegerField(_("kapasitas (paket TPS)"))
    speed_kmh = models.PositiveIntegerField(_("kecepatan rata-rata (km/jam)"))
    base = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("pangkalan"))
    reloads = models.BooleanField(_("boleh kembali memuat di gudang"), default=False)

    class Meta:
        ordering = ["election", "district", "name"]


class PlanSettings(models.Model):
    """Per district of an election: the rules of the distribution plan and the escort teams per day."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    island_days_before = models.PositiveSmallIntegerField(_("pulau dilayani mulai H-"), default=3)
    mainland_days_before = models.PositiveSmallIntegerField(_("daratan dilayani mulai H-"), default=1)
    deadline_days_before = models.PositiveSmallIntegerField(_("tenggat di KPPS H-"), default=1)
    work_start = models.TimeField(_("jam kerja mulai"), default=time(7, 0))
    work_end = models.TimeField(_("jam kerja selesai"), default=time(18, 0))
    max_route_min = models.PositiveIntegerField(_("lama rute maksimal (menit)"), default=600)
    detour_factor = models.DecimalField(_("faktor jalan berkelok"), max_digits=4, decimal_places=2, default="1.30")
    road_escorts = models.PositiveIntegerField(_("tim kawal darat per hari"), default=0)
    water_escorts = models.PositiveIntegerField(_("tim Polair per hari"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "district"], name="plan_settings_unique_district")]


class DistributionPlan(models.Model):
    """A computed plan of one district, kept whole (JSON) so that a re-plan can be compared with it."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField(_("alasan"), max_length=200, blank=True)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    data = models.JSONField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["election", "district", "-created_at", "-id"], name="plan_latest_idx")]


class Consignment(models.Model):
    """One TPS's kit on its way out (KPU → PPK → PPS → KPPS) or back after the count."""

    class Direction(models.TextChoices):
        OUT = "keluar", _("Distribusi ke TPS")
        BACK = "kembali", _("Pengembalian ke KPU")

    class State(models.TextChoices):
        PLANNED = "direncanakan", _("Direncanakan")
        DISPATCHED = "dikirim", _("Dikirim")
        HELD = "dipegang", _("Dipegang")
        DELIVERED = "diterima_kpps", _("Diterima KPPS")
        RETURNED = "kembali_ke_kpu", _("Kembali di KPU")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.CASCADE, related_name="consignments")
    direction = models.CharField(_("arah"), max_length=10, choices=Direction.choices, default=Direction.OUT)
    state = models.CharField(_("status"), max_length=16, choices=State.choices, default=State.PLANNED)
    holder = models.CharField(_("dipegang oleh"), max_length=40)  # a party: "kpu:51.05", "ppk:51.05.01", "pps:<village>", "kpps:<station id>"
    contents = models.JSONField(_("isi"), default=dict)  # item code -> count, as dispatched
    seals = models.JSONField(_("nomor segel"), default=list, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["station__village_id", "station__number", "direction"]
        constraints = [models.UniqueConstraint(fields=["station", "direction"], name="consignment_unique_direction")]


class Handover(models.Model):
    """A signed handover (berita acara serah terima) of a consignment from one party to the next."""

    class Via(models.TextChoices):
        WEB = "web", _("Web")
        QR = "qr", _("Pindai kode QR")
        API = "api", _("API")

    consignment = models.ForeignKey(Consignment, on_delete=models.PROTECT, related_name="handovers")
    sequence = models.PositiveSmallIntegerField()
    from_party = models.CharField(_("yang menyerahkan"), max_length=40)
    to_party = models.CharField(_("yang menerima"), max_length=40)
    place = models.CharField(_("tempat"), max_length=150)
    handed_at = models.DateTimeField(_("waktu serah terima"))
    counts = models.JSONField(_("jumlah"))  # item code -> count received
    seals = models.JSONField(_("nomor segel"), default=list, blank=True)
    giver_name = models.CharField(_("nama yang menyerahkan"), max_length=100)
    receiver_name = models.CharField(_("nama yang menerima"), max_length=100)
    witness_bawaslu = models.CharField(_("saksi Bawaslu/pengawas"), max_length=100, blank=True)
    witness_police = models.CharField(_("saksi kepolisian"), max_length=100, blank=True)
    photo = models.ImageField(_("foto"), upload_to="logistics/handovers/%Y/%m/", blank=True)
    via = models.CharField(max_length=5, choices=Via.choices, default=Via.WEB)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consignment", "sequence"]
        constraints = [models.UniqueConstraint(fields=["consignment", "sequence"], name="handover_unique_sequence")]


class Discrepancy(models.Model):
    """Something wrong found at a handover: Bawaslu sees these as alerts."""

    class Kind(models.TextChoices):
        SHORT = "kurang", _("Kurang")
        EXCESS = "lebih", _("Lebih")
        DAMAGED = "rusak", _("Rusak")
        WRONG_DISTRICT = "dapil_lain", _("Surat suara dapil lain (tertukar)")

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="discrepancies")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    item_code = models.CharField(_("barang"), max_length=40)
    quantity = models.PositiveIntegerField(_("jumlah"))
    note = models.CharField(_("keterangan"), max_length=300, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["handover", "id"]


class TravelTime(models.Model):
    """A measured road travel time, imported by the user; it replaces the estimate from
    coordinates for that pair (both directions are separate rows)."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kabupaten/kota"))
    origin = models.CharField(_("dari"), max_length=60)  # a place key or a village code
    destination = models.CharField(_("ke"), max_length=60)
    minutes = models.PositiveIntegerField(_("menit"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "district", "origin", "destination"], name="travel_time_unique_pair")]
