"""Writes of the supervisors' roster: registering (one or an Excel file, all or nothing),
replacing a PTPS with history kept, and the audited read of personal data."""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.core.tabular import InputRejected, RowError, Table
from sinergi.elections.models import Election
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region
from sinergi.regions.queries import within
from sinergi.stations.models import Station
from sinergi.supervisors import eligibility, field_logins
from sinergi.supervisors.models import Assignment, Supervisor

COLUMNS = ["nama", "nik", "tanggal_lahir", "jenis_kelamin", "pendidikan", "kode_desa_domisili", "telepon", "peran", "kode_wilayah", "nomor_tps", "tanggal_daftar"]
REQUIRED = ["nama", "nik", "tanggal_lahir", "jenis_kelamin", "pendidikan", "kode_desa_domisili", "peran", "kode_wilayah", "tanggal_daftar"]
# What the file reader looks for to find the header row (core/tabular.py).
ROSTER_REQUIRED = [*REQUIRED, *eligibility.DECLARATIONS]
ROSTER_KNOWN = COLUMNS
YES, NO = {"ya", "y", "1", "true"}, {"tidak", "t", "0", "false"}


@dataclass
class Person:
    name: str
    nik: str
    birth_date: date
    sex: str
    education: str
    residence: str  # village code
    phone: str
    registered_on: date
    declarations: dict[str, bool]


def mask_nik(nik: str) -> str:
    """5105xxxxxxxx0001: the regency and the last four digits, the rest hidden."""
    return nik[:4] + "•" * (len(nik) - 8) + nik[-4:] if len(nik) >= 8 else "•" * len(nik)


def _parse_date(text: str) -> date | None:
    for pattern, order in ((r"^(\d{4})-(\d{2})-(\d{2})$", "ymd"), (r"^(\d{2})[-/](\d{2})[-/](\d{4})$", "dmy")):
        match = re.match(pattern, text.strip())
        if match:
            parts = [int(p) for p in match.groups()]
            y, m, d = parts if order == "ymd" else (parts[2], parts[1], parts[0])
            try:
                return date(y, m, d)
            except ValueError:
                return None
    return None


def _parse_phone(text: str) -> str | None:
    """The phone number as written, or None when it cannot be read without guessing.

    Excel drops the leading 0 of a number typed as a number. An Indonesian mobile number starts
    with 08 (or +62 8), so 81234567890 can only have been 081234567890 and is restored; any other
    number without 0 or +62 in front is refused rather than guessed."""
    compact = re.sub(r"[\s().-]", "", text)
    if compact == "":
        return ""
    digits = compact.removeprefix("+")
    if not (digits.isascii() and digits.isdigit()) or len(compact) > 20:
        return None
    if compact.startswith("+62") or compact.startswith("0"):
        return compact
    if compact.startswith("8") and 9 <= len(compact) <= 12:
        return "0" + compact
    if compact.startswith("628") and 11 <= len(compact) <= 14:
        return "+" + compact
    return None


def _post_label(assignment: Assignment) -> str:
    if assignment.role == Assignment.Role.PTPS:
        return f"Pengawas TPS nomor {assignment.station.number} {assignment.station.village.name}"
    return f"{assignment.get_role_display()} {assignment.region.name}"


def _check_area(actor: User | None, region_code: str) -> None:
    if actor is not None and actor.area_code is not None and not is_within(region_code, actor.area_code):
        raise PermissionDenied("Wilayah tugas ini di luar wilayah Anda.")


def _assign(*, actor, election: Election, person: Person, role: str, station: Station | None, region: Region, today: date) -> Assignment:
    """Create the supervisor and the post; eligible (active) when every requirement is met."""
    supervisor = Supervisor.objects.create(
        election=election, name=person.name, nik=person.nik, birth_date=person.birth_date, sex=person.sex, education=person.education,
        residence_id=person.residence, phone=person.phone, registered_on=person.registered_on, declarations=person.declarations,
    )  # fmt: skip
    post_kecamatan = region.code if role == Assignment.Role.PANWASCAM else codes.kecamatan_of(region.code)
    failed = eligibility.failed_checks(
        eligibility.Applicant(person.birth_date, person.education, codes.kecamatan_of(person.residence), person.declarations),
        registered_on=person.registered_on,
        post_kecamatan=post_kecamatan,
        other_active_post=None,
    )
    status = Assignment.Status.APPLICANT if failed else Assignment.Status.ELIGIBLE
    return Assignment.objects.create(
        supervisor=supervisor, election=election, role=role, station=station, region=region, status=status, failed_checks=failed, started_on=today, created_by=actor
    )


def import_roster(*, actor: User | None, election: Election, table: Table, today: date | None = None, dry_run: bool = False) -> dict[str, int]:
    """Register supervisors from a file (docs/supervisors.md), all or nothing; every bad row is
    named. A row whose person does not meet a requirement is not an error: it is stored as an
    applicant with the reasons. Returns counts: eligible, applicants ({"baris": rows} with `dry_run`, which writes nothing)."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    today = today or timezone.localdate()
    errors = [RowError(table.header_row, c, f"Kolom wajib '{c}' tidak ada.") for c in REQUIRED if c not in table.headers]
    errors += [RowError(table.header_row, c, f"Kolom pernyataan '{c}' tidak ada (isi ya/tidak).") for c in eligibility.DECLARATIONS if c not in table.headers]
    if errors:
        raise InputRejected(errors)
    area = actor.area_code if actor is not None else None
    regions = {r.code: r for r in Region.objects.filter(within("code", area))}
    stations = {(s.village_id, s.number): s for s in Station.objects.filter(election=election).select_related("village")}
    taken_niks = {s.nik: s for s in Supervisor.objects.filter(election=election).prefetch_related("assignments__station__village", "assignments__region")}
    staffed = set(Assignment.objects.filter(election=election, role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE).values_list("station_id", flat=True))
    rows, seen_nik, seen_tps = [], {}, {}
    for row_no, values in table.rows:
        bad = []
        name, nik = values.get("nama", "").strip(), values.get("nik", "").strip()
        if not name or len(name) > 120:
            bad.append(RowError(row_no, "nama", "Nama kosong atau lebih dari 120 karakter."))
        if not (nik.isascii() and nik.isdigit() and len(nik) == 16):
            bad.append(RowError(row_no, "nik", "NIK harus 16 angka."))
        elif nik in taken_niks:
            active = [a for a in taken_niks[nik].assignments.all() if a.status in Assignment.ACTIVE]
            if active:
                bad.append(RowError(row_no, "nik", f"Orang ini masih bertugas aktif sebagai {_post_label(active[0])}: satu orang satu tugas."))
            else:
                bad.append(RowError(row_no, "nik", "NIK ini sudah terdaftar pada pemilihan ini (tanpa tugas aktif)."))
        elif nik in seen_nik:
            bad.append(RowError(row_no, "nik", f"NIK muncul dua kali (juga di baris {seen_nik[nik]})."))
        else:
            seen_nik[nik] = row_no
        birth, registered = _parse_date(values.get("tanggal_lahir", "")), _parse_date(values.get("tanggal_daftar", ""))
        if birth is None:
            bad.append(RowError(row_no, "tanggal_lahir", "Tanggal tidak dikenal: tulis 2001-02-14 atau 14-02-2001."))
        if registered is None:
            bad.append(RowError(row_no, "tanggal_daftar", "Tanggal tidak dikenal: tulis 2024-01-02 atau 02-01-2024."))
        sex = values.get("jenis_kelamin", "").strip().upper()
        if sex not in Supervisor.Sex.values:
            bad.append(RowError(row_no, "jenis_kelamin", "Isi L atau P."))
        education = values.get("pendidikan", "").strip().lower().split("/")[0]
        if education not in Supervisor.Education.values:
            bad.append(RowError(row_no, "pendidikan", f"Isi salah satu: {', '.join(v.upper() for v in Supervisor.Education.values)}."))
        residence = values.get("kode_desa_domisili", "").strip()
        if residence not in regions or regions[residence].level != codes.VILLAGE:
            bad.append(RowError(row_no, "kode_desa_domisili", f"Kode desa '{residence}' tidak dikenal di wilayah Anda."))
        declarations = {}
        for code in eligibility.DECLARATIONS:
            answer = values.get(code, "").strip().lower()
            if answer not in YES | NO:
                bad.append(RowError(row_no, code, "Isi ya atau tidak."))
            declarations[code] = answer in YES
        role, place, number = values.get("peran", "").strip().lower(), values.get("kode_wilayah", "").strip(), values.get("nomor_tps", "").strip()
        station, region = None, regions.get(place)
        if role not in Assignment.Role.values:
            bad.append(RowError(row_no, "peran", "Isi ptps, pkd atau panwascam."))
        elif role == Assignment.Role.PTPS:
            key = (place, int(number)) if number.isascii() and number.isdigit() else None
            station = stations.get(key) if key else None
            if station is None or region is None:
                bad.append(RowError(row_no, "nomor_tps", f"TPS {number} desa {place} tidak ada pada {election.name} di wilayah Anda."))
            elif station.pk in staffed:
                bad.append(RowError(row_no, "nomor_tps", f"TPS {number} desa {station.village.name} sudah punya PTPS aktif: gunakan penggantian."))
            elif station.pk in seen_tps:
                bad.append(RowError(row_no, "nomor_tps", f"TPS {number} desa {station.village.name} muncul dua kali (juga di baris {seen_tps[station.pk]})."))
            else:
                seen_tps[station.pk] = row_no
        elif region is None or region.level != (codes.VILLAGE if role == Assignment.Role.PKD else codes.KECAMATAN):
            bad.append(RowError(row_no, "kode_wilayah", "Kode desa (untuk PKD) atau kecamatan (untuk Panwascam) tidak dikenal di wilayah Anda."))
        phone = _parse_phone(values.get("telepon", "").strip())
        if phone is None:
            bad.append(
                RowError(
                    row_no,
                    "telepon",
                    f"Nomor telepon '{values.get('telepon', '').strip()}' tidak diawali 0 atau +62 dan tidak dapat dipulihkan dengan pasti. "
                    "Jika sel berformat angka di Excel (0 di depan hilang), ubah format kolom menjadi Teks lalu ketik nomor lengkap, mis. 081234567890.",
                )
            )
        errors += bad
        if not bad:
            person = Person(name, nik, birth, sex, education, residence, phone, registered, declarations)
            rows.append((person, role, station, region))
    if errors:
        raise InputRejected(errors)
    if dry_run:
        # The preview before the user confirms (supervisors/views.py): every check, no write.
        return {"baris": len(rows)}
    counts = {"memenuhi_syarat": 0, "pendaftar": 0}
    with transaction.atomic(durable=True):
        changes = []
        for person, role, station, region in rows:
            assignment = _assign(actor=actor, election=election, person=person, role=role, station=station, region=region, today=today)
            counts[assignment.status] += 1
            changes.append(Change("supervisor.register", "supervisors.assignment", assignment.pk, person.name, election.slug, {"peran": [None, role], "status": [None, assignment.status]}, region.code))
        record(actor=actor, changes=changes)
    return counts


def replace(*, actor: User | None, assignment: Assignment, person: Person, reason: str, today: date | None = None) -> Assignment:
    """Replace an active supervisor with another person: the old post is kept as 'replaced' with
    the reason and its successor; the new one must meet every requirement."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    _check_area(actor, assignment.region_id)
    if not reason.strip():
        raise ValidationError("Isi alasan penggantian.")
    today = today or timezone.localdate()
    with transaction.atomic(durable=True):
        old = Assignment.objects.select_for_update(of=("self",)).select_related("station__village", "region").get(pk=assignment.pk)
        if old.status not in Assignment.ACTIVE:
            raise ValidationError("Hanya pengawas yang sedang aktif yang dapat diganti.")
        if Supervisor.objects.filter(election=old.election, nik=person.nik).exists():
            raise ValidationError("NIK pengganti sudah terdaftar pada pemilihan ini.")
        old.status, old.ended_on, old.end_reason = Assignment.Status.REPLACED, today, reason.strip()
        old.save(update_fields=["status", "ended_on", "end_reason"])
        new = _assign(actor=actor, election=old.election, person=person, role=old.role, station=old.station, region=old.region, today=today)
        if new.status != Assignment.Status.ELIGIBLE:
            raise ValidationError(["Pengganti belum memenuhi syarat:"] + new.failed_checks)
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
        # The old PTPS's field code stops working and its sign-ins end; the successor gets its own.
        ended = field_logins.revoke_in_transaction(actor=actor, post=old, reason=f"diganti: {reason.strip()}")
        record(actor=actor, changes=[Change("supervisor.replace", "supervisors.assignment", old.pk, _post_label(old), old.election.slug, {"diganti_oleh": [None, person.name], "alasan": [None, reason.strip()]}, old.region_id), *ended])
    return new


@transaction.atomic(durable=True)
def reveal_nik(*, actor: User, supervisor: Supervisor) -> str:
    """The full NIK, to authorised Bawaslu staff only; every such read is audited (the read is a
    write to the audit trail, so it has its transaction like every other)."""
    require(actor, Perm.VIEW_PERSONAL_DATA)
    assignment = supervisor.assignments.select_related("region").first()
    if assignment is not None:
        _check_area(actor, assignment.region_id)
    record(actor=actor, changes=[Change("personal_data.read", "supervisors.supervisor", supervisor.pk, supervisor.name, supervisor.election.slug, {"data": [None, "NIK"]}, assignment.region_id if assignment else None)])
    return supervisor.nik
