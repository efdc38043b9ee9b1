"""The distribution network of an election as one document (JSON): places, crossings, vehicles and
the plan's rules. Loading replaces the network, all or nothing; exporting writes what loading
reads (a round trip changes nothing). The format: docs/logistics.md."""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.elections.models import Election
from sinergi.logistics.districts import network_district, stations_of
from sinergi.logistics.models import Crossing, Place, PlanSettings, VehicleGroup
from sinergi.logistics.networkfile import RULES, parse_network
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.stations.models import Station


def plan_settings(election: Election, district: Region) -> PlanSettings:
    """The district's rules and escorts (the defaults, unsaved, before any are set)."""
    return PlanSettings.objects.filter(election=election, district=district).first() or PlanSettings(election=election, district=district)


def export_network(election: Election, district: Region | None = None) -> dict:
    """The district's network as a document (`district`: see `districts.network_district`)."""
    district = district or network_district(election)
    settings = plan_settings(election, district)
    return {
        "tempat": [
            {"kode": p.key, "nama": p.name, "jenis": p.kind, "lintang": p.latitude, "bujur": p.longitude, "perkiraan": p.approximate}
            for p in Place.objects.filter(election=election, district=district).order_by("key")
        ],
        "penyeberangan": [
            {"nama": c.name, "dari": c.origin.key, "ke": c.destination.key, "moda": c.mode, "menit": c.duration_min, "berangkat": c.departures, "kapasitas": c.capacity}
            for c in Crossing.objects.filter(election=election, district=district).select_related("origin", "destination").order_by("name")
        ],
        "kendaraan": [
            {"nama": v.name, "jenis": v.kind, "jumlah": v.count, "kapasitas": v.capacity, "kecepatan": v.speed_kmh, "pangkalan": v.base.key, "muat_ulang": v.reloads}
            for v in VehicleGroup.objects.filter(election=election, district=district).select_related("base").order_by("name")
        ],
        "aturan": {
            key: (getattr(settings, field).strftime("%H:%M") if kind == "time" else float(getattr(settings, field)) if kind == "decimal" else getattr(settings, field))
            for key, (field, kind) in RULES.items()
        },
    }


SECTIONS = {
    # document section -> (the key naming a row, audit name, model label)
    "tempat": ("kode", "place", "logistics.place"),
    "penyeberangan": ("nama", "crossing", "logistics.crossing"),
    "kendaraan": ("nama", "vehicle", "logistics.vehiclegroup"),
}
ESCORT_RULES = ("tim_kawal_darat", "tim_polair")
_ROW_ERROR = re.compile(r"^(tempat|penyeberangan|kendaraan)\[(\d+)\](?:\.(\w+))?: (.*)$", re.S)
_RULE_ERROR = re.compile(r"^aturan\.(\w+): (.*)$", re.S)


class RowRejected(ValidationError):
    """A form's row refused by `parse_network`: the messages about the row's own fields by field
    (document keys, which are the form's field names), the others (about the network as a whole,
    or the row without a field) in `general`."""

    def __init__(self, fields: dict[str, list[str]], general: list[str]):
        super().__init__([f"{key}: {m}" for key, messages in fields.items() for m in messages] + general)
        self.fields, self.general = fields, general


def _row_rejected(messages: list[str], section: str, index: int | None) -> RowRejected:
    fields: dict[str, list[str]] = {}
    general = []
    for message in messages:
        row, rule = _ROW_ERROR.match(message), _RULE_ERROR.match(message)
        if row and row[1] == section and index is not None and int(row[2]) == index:
            if row[3]:
                fields.setdefault(row[3], []).append(row[4])
            else:
                general.append(row[4][:1].upper() + row[4][1:])
        elif rule and section == "aturan":
            fields.setdefault(rule[1], []).append(rule[2])
        else:
            general.append(message)
    return RowRejected(fields, general)


def crossings_missing(election: Election, district: Region | None = None) -> dict[str, int]:
    """The crossings the district's sea TPS record that its network does not name (exactly so),
    with how many TPS record each: the distribution plan cannot serve those TPS."""
    district = district or network_district(election)
    named = Crossing.objects.filter(election=election, district=district).values("name")
    sea = stations_of(election, district).filter(access=Station.Access.SEA).exclude(crossing="").exclude(crossing__in=named)
    found: dict[str, int] = {}
    for crossing in sea.values_list("crossing", flat=True):
        found[crossing] = found.get(crossing, 0) + 1
    return dict(sorted(found.items()))


def require_network(user: User, election: Election, district: Region | None = None) -> None:
    """Who may see and change a district's network: a KPU logistics officer (MANAGE_LOGISTICS)
    whose area holds the district — the KPU of that kabupaten/kota (or a province or national
    account above it). Another district's KPU, a kecamatan-narrowed officer and every other
    agency are refused."""
    require(user, Perm.MANAGE_LOGISTICS)
    try:
        district = district or network_district(election)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from None
    if not stations_of(election, district).exists():
        raise PermissionDenied(f"{election.name} belum punya TPS di {district.name}: jaringan distribusi disusun oleh KPU kabupaten/kota yang TPS-nya dilayani.")
    if user.area_code is None:
        return
    if not is_within(district.code, user.area_code):
        raise PermissionDenied(f"Jaringan distribusi {district.name} melayani TPS di luar wilayah Anda; hanya KPU kabupaten/kota itu yang mengubahnya.")


def may_edit_network(user: User, election: Election, district: Region | None = None) -> bool:
    try:
        require_network(user, election, district)
    except PermissionDenied:
        return False
    return True


def _lock(election: Election) -> None:
    # Every write of a network rewrites it from one document (rows absent from it are removed):
    # two at once would lose one's rows. The election's row serialises them.
    Election.objects.select_for_update().filter(pk=election.pk).first()


def _apply(election: Election, district: Region, parsed: dict) -> None:
    """Write a parsed document: the district's network becomes exactly it (closures of crossings
    that disappear go with them)."""
    mine = {"election": election, "district": district}
    places = {}
    for row in parsed["places"]:
        places[row["key"]], _ = Place.objects.update_or_create(**mine, key=row["key"], defaults={k: v for k, v in row.items() if k != "key"})
    names = [c["name"] for c in parsed["crossings"]]
    Crossing.objects.filter(**mine).exclude(name__in=names).delete()
    for row in parsed["crossings"]:
        values = {**row, "origin": places[row["origin"]], "destination": places[row["destination"]]}
        Crossing.objects.update_or_create(**mine, name=row["name"], defaults={k: v for k, v in values.items() if k != "name"})
    VehicleGroup.objects.filter(**mine).exclude(name__in=[v["name"] for v in parsed["vehicles"]]).delete()
    for row in parsed["vehicles"]:
        values = {**row, "base": places[row["base"]]}
        VehicleGroup.objects.update_or_create(**mine, name=row["name"], defaults={k: v for k, v in values.items() if k != "name"})
    Place.objects.filter(**mine).exclude(key__in=list(places)).delete()
    PlanSettings.objects.update_or_create(**mine, defaults=parsed["rules"])


def compare_networks(before: dict, after: dict) -> dict[str, dict[str, list[str]]]:
    """Per section, the rows a document adds, changes and removes against another (by their key),
    and the rules that change: the preview of an import."""
    out = {}
    for section, (key, _name, _model) in SECTIONS.items():
        old = {row[key]: row for row in before.get(section, []) if isinstance(row, dict)}
        new = {row.get(key): row for row in after.get(section, []) if isinstance(row, dict)}
        out[section] = {
            "tambah": sorted(str(k) for k in new.keys() - old.keys()),
            "ubah": sorted(str(k) for k in new.keys() & old.keys() if new[k] != old[k]),
            "hapus": sorted(str(k) for k in old.keys() - new.keys()),
        }
    rules = after.get("aturan", {})
    out["aturan"] = {"ubah": sorted(k for k, v in rules.items() if before["aturan"].get(k) != v)} if isinstance(rules, dict) else {"ubah": []}
    return out


def as_document(parsed: dict, rules: dict) -> dict:
    """A parsed document written back as `export_network` writes it (`rules`: the stored rules,
    which the document's own override)."""
    return {
        "tempat": sorted(
            ({"kode": p["key"], "nama": p["name"], "jenis": p["kind"], "lintang": p["latitude"], "bujur": p["longitude"], "perkiraan": p["approximate"]} for p in parsed["places"]),
            key=lambda r: r["kode"],
        ),
        "penyeberangan": sorted(
            (
                {"nama": c["name"], "dari": c["origin"], "ke": c["destination"], "moda": c["mode"], "menit": c["duration_min"], "berangkat": c["departures"], "kapasitas": c["capacity"]}
                for c in parsed["crossings"]
            ),
            key=lambda r: r["nama"],
        ),
        "kendaraan": sorted(
            (
                {"nama": v["name"], "jenis": v["kind"], "jumlah": v["count"], "kapasitas": v["capacity"], "kecepatan": v["speed_kmh"], "pangkalan": v["base"], "muat_ulang": v["reloads"]}
                for v in parsed["vehicles"]
            ),
            key=lambda r: r["nama"],
        ),
        "aturan": {
            **rules,
            **{key: float(parsed["rules"][field]) if kind == "decimal" else parsed["rules"][field] for key, (field, kind) in RULES.items() if field in parsed["rules"]},
        },
    }


def preview_network(*, actor: User | None, election: Election, district: Region | None = None, document) -> dict[str, dict[str, list[str]]]:
    """What loading `document` would change (compare_networks), after the same checks as loading;
    nothing is written."""
    district = district or network_district(election)
    if actor is not None:
        require_network(actor, election, district)
    current = export_network(election, district)
    return compare_networks(current, as_document(parse_network(document), current["aturan"]))


def load_network(*, actor: User | None, election: Election, district: Region | None = None, document) -> dict:
    """Replace the district's network with the document's, all or nothing (closures of crossings
    that disappear go with them). Returns the counts per section."""
    district = district or network_district(election)
    if actor is not None:
        require_network(actor, election, district)
    parsed = parse_network(document)
    with transaction.atomic(durable=True):
        _lock(election)
        before = export_network(election, district)
        _apply(election, district, parsed)
        after = export_network(election, district)
        if after != before:
            summary = {section: [len(before[section]), len(after[section])] for section in ("tempat", "penyeberangan", "kendaraan")}
            summary["aturan"] = [before["aturan"], after["aturan"]] if before["aturan"] != after["aturan"] else None
            change = Change("network.load", "elections.election", election.pk, f"{election.name} · {district.name}", election.slug, {k: v for k, v in summary.items() if v}, district.code)
            record(actor=actor, changes=[change])
    return {"tempat": len(parsed["places"]), "penyeberangan": len(parsed["crossings"]), "kendaraan": len(parsed["vehicles"])}


def users_of_place(document: dict, key: str) -> list[str]:
    """What refers to the place `key` in a network document, named for a person."""
    found = []
    for row in document["penyeberangan"]:
        ends = [end for end in ("dari", "ke") if row[end] == key]
        if ends:
            found.append(f"penyeberangan '{row['nama']}' ({' dan '.join(ends)})")
    found += [f"kendaraan '{row['nama']}' (pangkalan)" for row in document["kendaraan"] if row["pangkalan"] == key]
    return found


def save_row(*, actor: User | None, election: Election, district: Region | None = None, section: str, original: str | None, row: dict | None) -> str:
    """Add (`original` None), change or delete (`row` None) one place, crossing or vehicle group of
    the network, given as a row of the network document. The document with the change goes
    through the same checks and the same writing as a JSON import (`parse_network`, `_apply`), so
    the forms and the import accept exactly the same networks. A place's code and a crossing's
    name name it (the TPS record their crossing by name; travel times and plans name places by
    code): they are kept on a change. Raises RowRejected (messages by field) or PermissionDenied;
    returns the row's key."""
    key, noun, model = SECTIONS[section]
    district = district or network_district(election)
    if actor is not None:
        require_network(actor, election, district)
    with transaction.atomic(durable=True):
        _lock(election)
        document = export_network(election, district)
        rows = document[section]
        index = None
        if original is not None:
            index = next((n for n, r in enumerate(rows) if r[key] == original), None)
            if index is None:
                raise RowRejected({}, [f"'{original}' tidak ada lagi di jaringan (mungkin baru dihapus pengguna lain). Muat ulang halamannya."])
        before = rows[index] if index is not None else {}
        before_pk = _object(section, election, district, original).pk if original is not None else ""
        if row is None:
            in_use = users_of_place(document, original) if section == "tempat" else []
            if in_use:
                raise RowRejected({}, [f"Tempat '{before['nama']}' ({original}) tidak dapat dihapus: dipakai oleh {'; '.join(in_use)}. Ubah atau hapus itu dulu."])
            del rows[index]
        elif index is None:
            rows.append(row)
            index = len(rows) - 1
        else:
            rows[index] = {**row, key: original} if section in ("tempat", "penyeberangan") else row
        try:
            parsed = parse_network(document)
        except ValidationError as error:
            raise _row_rejected(error.messages, section, None if row is None else index) from None
        _apply(election, district, parsed)
        after_document = export_network(election, district)
        if row is None:
            name = original
        else:
            parsed_row = parsed[{"tempat": "places", "penyeberangan": "crossings", "kendaraan": "vehicles"}[section]][index]
            name = parsed_row["key" if section == "tempat" else "name"]
        after = next((r for r in after_document[section] if r[key] == name), {})
        obj = _object(section, election, district, name) if after else None
        action = "delete" if row is None else "create" if not before else "update"
        changes = diff(before, after)
        if changes:
            label = after.get("nama") or before.get("nama") or name
            object_id = obj.pk if obj is not None else before_pk
            record(actor=actor, changes=[Change(f"network.{noun}.{action}", model, object_id, label, election.slug, changes, district.code)])
    return name


def _object(section: str, election: Election, district: Region, name: str):
    if section == "tempat":
        return Place.objects.get(election=election, district=district, key=name)
    if section == "penyeberangan":
        return Crossing.objects.get(election=election, district=district, name=name)
    return VehicleGroup.objects.get(election=election, district=district, name=name)


def save_rules(*, actor: User | None, election: Election, district: Region | None = None, rules: dict) -> dict:
    """Change some of the plan's rules or the escort teams per day (document keys of `aturan`),
    through the same checks as a JSON import. Raises RowRejected (messages by rule); returns what
    changed as {key: [old, new]}."""
    district = district or network_district(election)
    if actor is not None:
        require_network(actor, election, district)
    with transaction.atomic(durable=True):
        _lock(election)
        document = export_network(election, district)
        before = dict(document["aturan"])
        document["aturan"] = {**before, **rules}
        try:
            parsed = parse_network(document)
        except ValidationError as error:
            raise _row_rejected(error.messages, "aturan", None) from None
        _apply(election, district, parsed)
        changes = diff(before, export_network(election, district)["aturan"])
        if changes:
            settings = PlanSettings.objects.get(election=election, district=district)
            noun = "escorts" if set(changes) <= set(ESCORT_RULES) else "rules"
            record(actor=actor, changes=[Change(f"network.{noun}.update", "logistics.plansettings", settings.pk, f"Aturan rencana distribusi {election.name} · {district.name}", election.slug, changes, district.code)])
    return changes
