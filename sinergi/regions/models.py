import json
from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from sinergi.regions import codes


class CodeField(models.CharField):
    """A Kemendagri code column. On PostgreSQL it is compared under collation "C" (byte order,
    which is how codes sort everywhere), so that a prefix match (`LIKE '51.%'`) is a range of any
    index on the column, also in the database's own collation (`C.UTF-8` or a language's is not
    "C" to the planner): a province's first page of TPS reads 50 index entries instead of walking
    the index from the start (docs/benchmarks.md). The foreign keys to `Region` take the same
    collation (Django gives a key its target's). SQLite's default comparison is already bytewise."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class Region(models.Model):
    """A province, regency, kecamatan or village, keyed by its Kemendagri code.

    The code is the primary key so that a region subtree is a prefix match on the foreign key
    column of any row that points at a region, with no join.
    """

    class Level(models.IntegerChoices):
        PROVINCE = codes.PROVINCE, _("Provinsi")
        DISTRICT = codes.DISTRICT, _("Kabupaten/Kota")
        KECAMATAN = codes.KECAMATAN, _("Kecamatan")
        VILLAGE = codes.VILLAGE, _("Desa/Kelurahan")

    class Kind(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = CodeField(_("kode"), max_length=13, primary_key=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("induk"))
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=100)
    centroid_lat = models.FloatField(_("lintang titik tengah"), null=True, blank=True)
    centroid_lon = models.FloatField(_("bujur titik tengah"), null=True, blank=True)
    # A point guaranteed inside the polygon (a concave village's centroid may fall outside it).
    interior_lat = models.FloatField(_("lintang titik di dalam"), null=True, blank=True)
    interior_lon = models.FloatField(_("bujur titik di dalam"), null=True, blank=True)
    # GeoJSON geometry (Polygon or MultiPolygon, [lon, lat]) as text: no GeoDjango needed.
    boundary = models.TextField(_("batas (GeoJSON)"), blank=True)
    area_km2 = models.FloatField(_("luas (km²)"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=500, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @cached_property
    def geometry(self) -> dict | None:
        return json.loads(self.boundary) if self.boundary else None
