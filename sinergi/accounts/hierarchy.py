"""Which agencies an agency's administrator manages the users of. No Django import.

The bodies of an election are chains of command (docs/domain.md §11): Bawaslu RI → Bawaslu Provinsi
→ Bawaslu Kabupaten → Panwaslu Kecamatan → PKD (village); Polri (Mabes) → Polda → Polres → Polsek;
KPU RI → KPU Provinsi → KPU Kabupaten → its own committees. An administrator
invites, re-invites and deactivates the users of their own agency and of the agencies below it in
the same chain, within their area: a Polres administrator never touches Bawaslu, a Panwascam
administrator of one kecamatan never another kecamatan's PKD.

Agency kinds are their stored values ("bawaslu", "polsek", ...: accounts.models.Agency.Kind). A new
kind joins a chain with one entry in `BELOW`; a kind in no entry manages only itself.
"""

from sinergi.regions.codes import is_within

# Each kind and the kinds directly below it in its chain of command.
BELOW: dict[str, tuple[str, ...]] = {
    "bawaslu_ri": ("bawaslu_provinsi",),
    "bawaslu_provinsi": ("bawaslu",),
    "polri": ("polda",),
    "polda": ("polres",),
    "kpu_ri": ("kpu_provinsi",),
    "kpu_provinsi": ("kpu",),
    "bawaslu": ("panwascam",),
    "panwascam": ("pkd",),
    "polres": ("polsek",),
    "kpu": ("ppk",),
    "ppk": ("pps",),
}


def kinds_managed_by(kind: str) -> frozenset[str]:
    """`kind` itself and every kind below it, however many levels down."""
    found, waiting = {kind}, [kind]
    while waiting:
        for child in BELOW.get(waiting.pop(), ()):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return frozenset(found)


def manages(*, kind: str, area: str | None, agency_kind: str, agency_region: str | None) -> bool:
    """Whether an administrator of an agency of `kind`, whose area is the region code `area`
    (None: everywhere, a superuser or a national body), manages the users of an agency of
    `agency_kind` sitting at `agency_region` (None: a national body): the agency is of the same kind
    or below it in the chain, and its region is the area or lies inside it."""
    if agency_kind not in kinds_managed_by(kind):
        return False
    if area is None:
        return True
    return agency_region is not None and is_within(agency_region, area)
