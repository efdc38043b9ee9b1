"""Loading an election's indicator catalogue from a CSV/XLSX file (risk/data/README.md)."""

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.core.tabular import InputRejected, RowError, Table, read_table
from sinergi.elections.models import Election
from sinergi.risk.models import Indicator, RiskRules, Variable

DATA_DIR = Path(__file__).resolve().parent / "data"
COLUMNS = ["variabel", "nama_variabel", "nama_variabel_en", "kode", "indikator", "indikator_en"]
# The security indicators drive 'sangat rawan' by default (docs/domain.md §4-5: the Ped case).
DEFAULT_SEVERE = {"pemilu": ["2.1", "2.2"], "pilkada": ["2.1", "2.2", "2.3"]}
# The indicator "TPS at a special location" makes the suggested class 'khusus'.
DEFAULT_SPECIAL = {"pemilu": ["6.6"], "pilkada": ["7.7"]}


@dataclass
class CatalogueResult:
    variables: int = 0
    indicators: int = 0
    changed: int = 0


def _parse(table: Table) -> tuple[list[dict], list[RowError]]:
    errors = [RowError(table.header_row, c, f"Kolom wajib '{c}' tidak ada pada baris judul.") for c in COLUMNS if c not in table.headers and not c.endswith("_en")]
    if errors:
        return [], errors
    rows, seen = [], {}
    for row_no, values in table.rows:
        number, code, text = values.get("variabel", ""), values.get("kode", ""), values.get("indikator", "")
        if not (number.isascii() and number.isdigit()):
            errors.append(RowError(row_no, "variabel", f"Nomor variabel '{number}' bukan bilangan bulat."))
        if not code or len(code) > 12:
            errors.append(RowError(row_no, "kode", "Kode indikator kosong atau lebih dari 12 karakter."))
        elif code in seen:
            errors.append(RowError(row_no, "kode", f"Kode indikator '{code}' muncul dua kali (juga di baris {seen[code]})."))
        else:
            seen[code] = row_no
        if not text:
            errors.append(RowError(row_no, "indikator", "Teks indikator kosong."))
        if not values.get("nama_variabel"):
            errors.append(RowError(row_no, "nama_variabel", "Nama variabel kosong."))
        rows.append({**values, "row": row_no})
    return rows, errors


def load_catalogue(*, actor, election: Election, filename: str, content: bytes) -> CatalogueResult:
    """Create or update the election's variables and indicators from a file, all or nothing.

    Indicators not in the file are left in place (answers may point at them).
    """
    if actor is not None:
        require(actor, Perm.MANAGE_ELECTIONS)
    rows, errors = _parse(read_table(filename, content, required=[c for c in COLUMNS if not c.endswith("_en")], known=COLUMNS))
    if errors:
        raise InputRejected(errors)
    with transaction.atomic(durable=True):
        changes = store_catalogue(election, rows)
        record(actor=actor, changes=changes)
    return CatalogueResult(variables=len({int(row["variabel"]) for row in rows}), indicators=len(rows), changed=len(changes))


def store_catalogue(election: Election, rows: list[dict], *, severe: list[str] | None = None, special: list[str] | None = None) -> list[Change]:
    """Write checked catalogue rows (keyed by COLUMNS) inside the caller's transaction; the audit
    changes, for the caller to record. The election's rules are created when it has none, with
    `severe` and `special` as its severe and special-location indicators (by default those of
    DEFAULT_SEVERE and DEFAULT_SPECIAL present in the catalogue); existing rules are Bawaslu's and
    the Polres's and stay as they are."""
    codes = {row["kode"] for row in rows}
    changes = []
    variables = {}
    for row in rows:
        number = int(row["variabel"])
        if number not in variables:
            wanted = {"name": row["nama_variabel"], "name_en": row.get("nama_variabel_en", "")}
            variable, created = Variable.objects.get_or_create(election=election, number=number, defaults=wanted)
            before = {} if created else {"name": variable.name, "name_en": variable.name_en}
            if before != wanted:
                Variable.objects.filter(pk=variable.pk).update(**wanted)
                changes.append(Change("risk_variable.save", "risk.variable", variable.pk, wanted["name"], election.slug, diff(before, wanted)))
            variables[number] = variable
    for order, row in enumerate(rows):
        wanted = {"variable": variables[int(row["variabel"])].pk, "text": row["indikator"], "text_en": row.get("indikator_en", ""), "order": order}
        indicator = Indicator.objects.filter(election=election, code=row["kode"]).first()
        before = {"variable": indicator.variable_id, "text": indicator.text, "text_en": indicator.text_en, "order": indicator.order} if indicator else {}
        if before == wanted:
            continue
        values = {**wanted, "variable_id": wanted["variable"]}
        del values["variable"]
        indicator, _ = Indicator.objects.update_or_create(election=election, code=row["kode"], defaults=values)
        changes.append(Change("risk_indicator.save", "risk.indicator", indicator.pk, f"{indicator.code} {indicator.text}", election.slug, diff(before, wanted)))
    if severe is None:
        severe = [c for c in DEFAULT_SEVERE.get(election.kind, []) if c in codes]
    if special is None:
        special = [c for c in DEFAULT_SPECIAL.get(election.kind, []) if c in codes]
    rules, created = RiskRules.objects.get_or_create(election=election, defaults={"severe_codes": list(severe), "special_codes": list(special)})
    if created:
        wanted = {"severe_codes": rules.severe_codes, "special_codes": rules.special_codes}
        changes.append(Change("risk_rules.save", "risk.riskrules", rules.pk, election.name, election.slug, diff({}, wanted)))
    return changes


def preset_rows(preset: str) -> list[dict]:
    """The checked rows of a preset's catalogue (risk/data/<preset>.csv)."""
    path = DATA_DIR / f"{preset}.csv"
    rows, errors = _parse(read_table(path.name, path.read_bytes(), required=[c for c in COLUMNS if not c.endswith("_en")], known=COLUMNS))
    if errors:
        raise InputRejected(errors)
    return rows


def load_preset_catalogue(election: Election) -> CatalogueResult:
    path = DATA_DIR / f"{election.slug}.csv"
    return load_catalogue(actor=None, election=election, filename=path.name, content=path.read_bytes())
