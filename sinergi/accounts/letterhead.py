"""The letterhead (kop surat) of a printed document: the issuing office's full name in capitals,
the level above it, and its address, telephone and e-mail when known (`Agency.address`, `phone`,
`email`). Text only: no emblem is printed, none is shipped.

Every PDF template includes `documents/_kop.html` with a `Letterhead` as `kop`; the names are
built from the agency's kind and region (Kemendagri), so a district's deployment needs no name
typed by hand: Bawaslu of `51.05` (Kabupaten Klungkung, in Provinsi Bali) prints

    BADAN PENGAWAS PEMILIHAN UMUM PROVINSI BALI
    BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG
    <address> · Telepon <phone> · Surel <e-mail>
"""

from dataclasses import dataclass

from sinergi.accounts.models import Agency
from sinergi.regions import codes
from sinergi.regions.models import Region

K = Agency.Kind


@dataclass(frozen=True)
class Letterhead:
    above: tuple[str, ...]  # the levels above the issuing office, highest first (may be empty)
    name: str  # the issuing office's full name, in capitals
    contact: str = ""  # "Jalan … · Telepon … · Surel …", or "" when nothing is known


def _place(region: Region | None) -> str:
    """'KABUPATEN KLUNGKUNG', 'KOTA DENPASAR', 'PROVINSI BALI', 'KECAMATAN NUSA PENIDA', 'DESA PED'."""
    return f"{region.kind} {region.name}".upper() if region is not None else ""


def _names(kind: str, region: Region | None) -> tuple[tuple[str, ...], str]:
    """(the levels above, the office's full name) of an agency of `kind` seated in `region`."""
    parent = region.parent if region is not None and region.parent_id else None
    province = parent if parent is not None and parent.kind == Region.Kind.PROVINSI else (parent.parent if parent is not None and parent.parent_id else None)
    here, up = _place(region), _place(parent)
    bare = region.name.upper() if region is not None else ""
    if kind == K.BAWASLU:
        return ((f"BADAN PENGAWAS PEMILIHAN UMUM {up}" if parent else "BADAN PENGAWAS PEMILIHAN UMUM REPUBLIK INDONESIA",), f"BADAN PENGAWAS PEMILIHAN UMUM {here}".strip())
    if kind == K.PANWASCAM:
        return ((f"BADAN PENGAWAS PEMILIHAN UMUM {up}".strip(),), f"PANITIA PENGAWAS PEMILIHAN UMUM {here}".strip())
    if kind == K.PKD:
        return ((f"PANITIA PENGAWAS PEMILIHAN UMUM {up}".strip(),), f"PANITIA PENGAWAS PEMILIHAN UMUM {here}".strip())
    if kind == K.KPU:
        return ((f"KOMISI PEMILIHAN UMUM {up}" if parent else "KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA",), f"KOMISI PEMILIHAN UMUM {here}".strip())
    if kind == K.PPK:
        return ((f"KOMISI PEMILIHAN UMUM {up}".strip(),), f"PANITIA PEMILIHAN {here}".strip())
    if kind == K.PPS:
        return ((f"PANITIA PEMILIHAN {up}".strip(),), f"PANITIA PEMUNGUTAN SUARA {here}".strip())
    if kind == K.POLRES:
        city = "KOTA " if region is not None and region.kind == Region.Kind.KOTA else ""
        return (("KEPOLISIAN NEGARA REPUBLIK INDONESIA", f"KEPOLISIAN DAERAH {parent.name.upper()}" if parent else ""), f"KEPOLISIAN RESOR {city}{bare}".strip())
    if kind == K.POLSEK:
        city = "KOTA " if parent is not None and parent.kind == Region.Kind.KOTA else ""
        above = (f"KEPOLISIAN DAERAH {province.name.upper()}" if province else "KEPOLISIAN NEGARA REPUBLIK INDONESIA", f"KEPOLISIAN RESOR {city}{parent.name.upper()}" if parent else "")
        return (above, f"KEPOLISIAN SEKTOR {bare}".strip())
    if kind == K.KEJAKSAAN:
        return (("KEJAKSAAN REPUBLIK INDONESIA", f"KEJAKSAAN TINGGI {parent.name.upper()}" if parent else ""), f"KEJAKSAAN NEGERI {bare}".strip())
    if kind == K.PEMDA:
        return ((f"PEMERINTAH {up}".strip(),) if parent else (), f"PEMERINTAH {here}".strip())
    # The province and national bodies: the province's own name under the national body.
    if kind == K.BAWASLU_PROVINSI:
        return (("BADAN PENGAWAS PEMILIHAN UMUM REPUBLIK INDONESIA",), f"BADAN PENGAWAS PEMILIHAN UMUM {here}".strip())
    if kind == K.POLDA:
        return (("KEPOLISIAN NEGARA REPUBLIK INDONESIA",), f"KEPOLISIAN DAERAH {bare}".strip())
    if kind == K.KPU_PROVINSI:
        return (("KOMISI PEMILIHAN UMUM REPUBLIK INDONESIA",), f"KOMISI PEMILIHAN UMUM {here}".strip())
    if kind in NATIONAL_NAMES:
        return ((), NATIONAL_NAMES[kind].upper())
    return ((), bare)


# The national bodies' names (they have no region).
NATIONAL_NAMES = {
    K.BAWASLU_RI: "Badan Pengawas Pemilihan Umum Republik Indonesia",
    K.POLRI: "Kepolisian Negara Republik Indonesia",
    K.KPU_RI: "Komisi Pemilihan Umum Republik Indonesia",
}


def agency_name(kind: str, region: Region | None) -> str:
    """The everyday name of the agency of `kind` seated in `region`, as `sinergi setup-district`
    gives it: 'Bawaslu Kabupaten Klungkung', 'Panwaslu Kecamatan Nusa Penida', 'PKD Desa Ped',
    'Polres Klungkung' ('Polresta Denpasar' for a kota), 'Polsek Nusa Penida', 'KPU Kota Denpasar',
    'PPK Nusa Penida', 'PPS Kelurahan Semarapura Kaja', 'Kejaksaan Negeri Klungkung',
    'Pemerintah Kabupaten Klungkung'; 'Bawaslu Provinsi Bali', 'Polda Bali', 'KPU Provinsi Bali';
    'Bawaslu RI', 'Polri (Mabes)', 'KPU RI' (no region). Kabupaten or kota, desa or kelurahan: the region's kind,
    which loading checked against its code (regions/codes.py)."""
    national = {K.BAWASLU_RI: "Bawaslu RI", K.POLRI: "Polri (Mabes)", K.KPU_RI: "KPU RI"}
    if kind in national:
        return national[kind]
    place = f"{region.kind.capitalize()} {region.name}"  # the stored kind: not translated
    names = {
        K.BAWASLU_PROVINSI: f"Bawaslu {place}",
        K.POLDA: f"Polda {region.name}",
        K.KPU_PROVINSI: f"KPU {place}",
        K.BAWASLU: f"Bawaslu {place}",
        K.PANWASCAM: f"Panwaslu {place}",
        K.PKD: f"PKD {place}",
        # A Polres of a kota is a Polresta: KEPOLISIAN RESOR KOTA on its letterhead (above).
        K.POLRES: f"Polresta {region.name}" if region.kind == Region.Kind.KOTA else f"Polres {region.name}",
        K.POLSEK: f"Polsek {region.name}",
        K.KPU: f"KPU {place}",
        K.PPK: f"PPK {region.name}",
        K.PPS: f"PPS {place}",
        K.KEJAKSAAN: f"Kejaksaan Negeri {region.name}",
        K.PEMDA: f"Pemerintah {place}",
    }
    return names[kind]


def contact_line(agency: Agency | None) -> str:
    """The office's address, telephone and e-mail as one line; blank fields are left out."""
    if agency is None:
        return ""
    parts = [agency.address.strip()]
    if agency.phone.strip():
        parts.append(f"Telepon {agency.phone.strip()}")
    if agency.email.strip():
        parts.append(f"Surel {agency.email.strip()}")
    return " · ".join(part for part in parts if part)


def letterhead(kind: str, region: Region | None, agency: Agency | None = None) -> Letterhead:
    """The letterhead of an office of `kind` in `region`; `agency`, when the deployment has that
    office as an agency, adds its contact line."""
    above, name = _names(kind, region)
    return Letterhead(above=tuple(line for line in above if line), name=name, contact=contact_line(agency))


def letterhead_of(agency: Agency) -> Letterhead:
    return letterhead(agency.kind, agency.region, agency)


def gakkumdu_letterhead(district: Region, bawaslu: Agency | None) -> Letterhead:
    """Sentra Gakkumdu of a district: Bawaslu, the Polres and the Kejaksaan Negeri together; it sits
    at the Bawaslu office, whose contact line it prints."""
    return Letterhead(
        above=("BADAN PENGAWAS PEMILIHAN UMUM · KEPOLISIAN NEGARA REPUBLIK INDONESIA · KEJAKSAAN REPUBLIK INDONESIA",),
        name=f"SENTRA PENEGAKAN HUKUM TERPADU {_place(district)}".strip(),
        contact=contact_line(bawaslu),
    )


def district_agency(kind: str, region_code: str) -> Agency | None:
    """The agency of `kind` seated in the district (kabupaten/kota) of `region_code`."""
    district = codes.district_of(region_code)
    return Agency.objects.filter(kind=kind, region_id=district).select_related("region__parent").first()


def district_letterhead(kind: str, region_code: str) -> Letterhead:
    """The letterhead of the district office of `kind` for `region_code`, from the agency when the
    deployment has it, else from the region's names alone."""
    agency = district_agency(kind, region_code)
    if agency is not None:
        return letterhead_of(agency)
    district = Region.objects.filter(code=codes.district_of(region_code)).select_related("parent").first()
    return letterhead(kind, district)


def id_label(kind: str) -> str:
    """The number printed under a signature: NRP for a police officer, NIP for a civil servant."""
    return "NRP" if kind in (K.POLRES, K.POLSEK) else "NIP"
