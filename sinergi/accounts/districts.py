"""A district's agencies in one step (`sinergi setup-district`), from the region codes loaded.

For one kabupaten/kota: Bawaslu, a Panwaslu Kecamatan per kecamatan and a PKD per village; the
Polres and a Polsek per kecamatan (but for a kecamatan another Polsek covers); KPU, a PPK per
kecamatan and a PPS per village; the Kejaksaan Negeri; the Pemda. Names come from
`letterhead.agency_name`. The demo (accounts/demo.py) goes through here.

Idempotent: an agency of a kind already seated in its region is left as it is (name and slug
included, whoever created it), so a second run creates nothing. All or nothing, audited.

Slugs are built from the names and codes: `bawaslu-klungkung` (`bawaslu-kota-denpasar` for a kota),
`kejari-…`, `pemda-…`, `polres-…`, `kpu-…`; `panwascam-nusa-penida`, `polsek-…`, `ppk-…` from
the kecamatan's name; `pkd-5105012010`, `pps-…` from the village's code. A slug another agency
already holds (a kecamatan of the same name in another district) gets the region's code
appended: `polsek-kuta-510301`.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from sinergi.accounts.letterhead import agency_name
from sinergi.accounts.models import Agency, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, require
from sinergi.accounts.services import coverage_change
from sinergi.audit.services import Change, diff, record
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import within

K = Agency.Kind

# The order agencies are created and reported in; and each kind's slug prefix.
DISTRICT_KINDS = (K.BAWASLU, K.POLRES, K.KPU, K.KEJAKSAAN, K.PEMDA)
KECAMATAN_KINDS = (K.PANWASCAM, K.POLSEK, K.PPK)
VILLAGE_KINDS = (K.PKD, K.PPS)
SLUG_PREFIX = {K.KEJAKSAAN: "kejari"}


@dataclass
class DistrictSetup:
    district: Region
    created: list[Agency] = field(default_factory=list)
    existing: int = 0  # agencies of the set that were already there
    coverage: list[str] = field(default_factory=list)  # "Kecamatan X → Polsek Y" set by this run

    def created_by_kind(self) -> dict[str, int]:
        counts = Counter(agency.kind for agency in self.created)
        return {kind: counts[kind] for kind in (*DISTRICT_KINDS, *KECAMATAN_KINDS, *VILLAGE_KINDS) if counts[kind]}


def district_or_error(code: str) -> Region:
    """The loaded kabupaten/kota `code`, or a ValidationError saying what `code` is instead."""
    if not codes.is_valid(code):
        raise ValidationError(f"Kode {code!r} bukan kode wilayah Kemendagri: tulis kode kabupaten/kota, misalnya 51.05.")
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(f"Kabupaten/kota {code} belum dimuat: muat wilayahnya lebih dulu (sinergi load-regions).")
    if region.level != codes.DISTRICT:
        raise ValidationError(f"{code} adalah {region.get_kind_display()} {region.name}, bukan kabupaten/kota: tulis kode kabupaten/kota, misalnya 51.05.")
    return region


def _slug_base(kind: str, region: Region) -> str:
    prefix = SLUG_PREFIX.get(kind, kind)
    if region.level == codes.VILLAGE:
        return f"{prefix}-{region.code.replace('.', '')}"
    city = "kota-" if region.kind == Region.Kind.KOTA else ""
    return f"{prefix}-{city}{slugify(region.name)[:50]}".rstrip("-")


def _coverage_plan(district: Region, kecamatan: dict[str, Region], polsek_covers: dict[str, str]) -> dict[str, str]:
    """`polsek_covers` (kecamatan -> the kecamatan whose Polsek covers it) checked against the district."""
    errors = []
    for covered, seat in sorted(polsek_covers.items()):
        for code in (covered, seat):
            if code not in kecamatan:
                errors.append(f"--polsek-covers {covered}={seat}: {code} bukan kecamatan {district.get_kind_display()} {district.name}.")
        if covered == seat:
            errors.append(f"--polsek-covers {covered}={seat}: sebuah kecamatan sudah dijaga Polseknya sendiri; tulis KECAMATAN=KECAMATAN_POLSEK yang berbeda.")
        elif seat in polsek_covers:
            errors.append(f"--polsek-covers {covered}={seat}: kecamatan {seat} sendiri dijaga Polsek lain; tulis kecamatan Polsek yang menjaganya.")
    if errors:
        raise ValidationError(errors)
    return polsek_covers


def setup_district(*, actor: User | None, district_code: str, polsek_covers: dict[str, str] | None = None) -> DistrictSetup:
    """Create the agencies of the kabupaten/kota `district_code` that are missing (see the module);
    `polsek_covers` maps a kecamatan to the kecamatan whose Polsek guards it too: no Polsek is
    created in the first, and the coverage is recorded (accounts.PolsekCoverage)."""
    if actor is not None:
        require(actor, Perm.MANAGE_ACCOUNTS)
    district = district_or_error(district_code)
    kecamatan = {r.code: r for r in Region.objects.filter(parent=district, level=codes.KECAMATAN).order_by("code")}
    if not kecamatan:
        raise ValidationError(f"{district.get_kind_display()} {district.name} belum punya kecamatan yang dimuat: muat wilayahnya lebih dulu (sinergi load-regions).")
    villages = list(Region.objects.filter(parent__in=list(kecamatan), level=codes.VILLAGE).order_by("code"))
    covers = _coverage_plan(district, kecamatan, dict(polsek_covers or {}))
    with transaction.atomic(durable=True):
        present = set(Agency.objects.filter(within("region__code", district.code)).values_list("kind", "region_id"))
        covered = set(covers) | set(PolsekCoverage.objects.filter(kecamatan_id__in=list(kecamatan)).values_list("kecamatan_id", flat=True))
        wanted = [(kind, district) for kind in DISTRICT_KINDS]
        wanted += [(kind, k) for k in kecamatan.values() for kind in KECAMATAN_KINDS if not (kind == K.POLSEK and k.code in covered)]
        wanted += [(kind, v) for v in villages for kind in VILLAGE_KINDS]
        result = DistrictSetup(district)
        missing = [(kind, region) for kind, region in wanted if (kind, region.code) not in present]
        result.existing = len(wanted) - len(missing)
        taken = set(Agency.objects.filter(slug__in=[_slug_base(kind, region) for kind, region in missing]).values_list("slug", flat=True))
        rows = []
        for kind, region in missing:
            slug = _slug_base(kind, region)
            if slug in taken:
                slug = f"{slug}-{region.code.replace('.', '')}"
                if slug in taken or Agency.objects.filter(slug=slug).exists():
                    raise ValidationError(f"Slug {slug} sudah dipakai lembaga lain: buat {agency_name(kind, region)} dengan slug lain (ensure_agency).")
            taken.add(slug)
            rows.append(Agency(slug=slug, kind=kind, name=agency_name(kind, region), region=region))
        result.created = Agency.objects.bulk_create(rows, batch_size=500)
        changes = [
            Change("agency.save", "accounts.agency", a.pk, a.name, changes=diff({}, {"kind": a.kind, "name": a.name, "region": a.region_id}), region=a.region_id)
            for a in result.created
        ]
        for covered_code, seat in covers.items():
            polsek = Agency.objects.select_related("region").filter(kind=K.POLSEK, region_id=seat).first()
            if polsek is None:  # the seat is covered by another Polsek already (set on the page)
                raise ValidationError(f"--polsek-covers {covered_code}={seat}: Kecamatan {kecamatan[seat].name} tidak punya Polsek sendiri; tulis kecamatan Polsek yang menjaganya.")
            change = coverage_change(kecamatan=kecamatan[covered_code], polsek=polsek)
            if change is not None:
                changes.append(change)
                result.coverage.append(f"Kecamatan {kecamatan[covered_code].name} → {polsek.name}")
        record(actor=actor, changes=changes)
    return result
