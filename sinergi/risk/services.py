"""Writes of the vulnerability mapping: checklists (form, API, Excel), police classes, intel notes."""

from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.audit.services import Change, diff, record
from sinergi.core.tabular import InputRejected, RowError, Table
from sinergi.core.uploads import checked_photo
from sinergi.elections.models import Election
from sinergi.risk.models import ChecklistAnswer, Indicator, IntelNote, RiskRules, StationClass
from sinergi.risk.queries import collection_stage, suggestions_for_stations
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to

YES = {"ya", "y", "yes", "1", "true", "ada"}
NO = {"tidak", "t", "no", "0", "false", "", "-"}

Answers = dict[str, tuple[bool, str]]  # indicator code -> (present, note)


def collection_is_open(election: Election, today: date | None = None) -> bool:
    """Whether today, in the election's own time zone, falls within the collection stage."""
    stage = collection_stage(election)
    today = today or timezone.localdate(timezone=ZoneInfo(election.time_zone))
    return stage is not None and stage.starts_on <= today <= stage.ends_on


def _check_may_fill(actor: User | None, election: Election, reason: str, today: date | None) -> None:
    """Who may write now: anyone holding FILL_CHECKLIST while the collection stage is open;
    afterwards (or before) only those holding AMEND_CHECKLIST, with a reason."""
    if actor is None:
        return
    require(actor, Perm.FILL_CHECKLIST)
    if collection_is_open(election, today):
        return
    if not can(actor, Perm.AMEND_CHECKLIST):
        stage = collection_stage(election)
        window = f"{stage.starts_on:%d-%m-%Y} s.d. {stage.ends_on:%d-%m-%Y}" if stage else "belum ditetapkan"
        raise PermissionDenied(f"Masa pengisian data TPS rawan ({window}) tidak sedang berlangsung; hanya staf Bawaslu kabupaten yang dapat mengubah.")
    if not reason.strip():
        raise ValidationError("Masa pengisian sudah ditutup: isi alasan perubahan.")


def submit_checklist(
    *, actor: User | None, station: Station, answers: Answers, reason: str = "", today: date | None = None, evidence: tuple[str, File] | None = None
) -> int:
    """Record the checklist of one TPS (only the indicators given); returns how many answers changed.

    `evidence`, (indicator code, image file), attaches a photo to that indicator's answer; the
    photo is part of the same audit event as the answers, reason included.
    """
    answers, evidence = check_checklist(actor=actor, station=station, answers=answers, reason=reason, today=today, evidence=evidence)
    with transaction.atomic(durable=True):
        return write_checklist(actor=actor, station=station, answers=answers, reason=reason, evidence=evidence)


def check_checklist(
    *, actor: User | None, station: Station, answers: Answers, reason: str = "", today: date | None = None, evidence: tuple[str, File] | None = None
) -> tuple[Answers, tuple[str, File] | None]:
    """Every check of `submit_checklist` before it writes (who, when, where, which codes, the
    photo decoded): the answers and evidence to hand to `write_checklist`."""
    election = station.election
    _check_may_fill(actor, election, reason, today)
    if evidence is not None:
        evidence = (evidence[0], checked_photo(evidence[1]))  # decoded whole; named by its detected type
    if actor is not None and not stations_visible_to(actor, election).filter(pk=station.pk).exists():
        raise PermissionDenied("TPS ini di luar wilayah Anda.")
    known = set(Indicator.objects.filter(election=election).values_list("code", flat=True))
    unknown = sorted((set(answers) | ({evidence[0]} if evidence else set())) - known)
    if unknown:
        raise ValidationError(f"Kode indikator tidak dikenal untuk {election.name}: {', '.join(unknown)}.")
    if evidence is not None and evidence[0] not in answers:
        answers = {**answers, evidence[0]: (True, "")}  # a photo is evidence that the indicator is present
    return answers, evidence


def write_checklist(
    *, actor: User | None, station: Station, answers: Answers, reason: str = "", evidence: tuple[str, File] | None = None, visit_id: int | None = None
) -> int:
    """Write answers already checked by `check_checklist` inside the caller's transaction (a joint
    visit's findings are written with the visit's own record, `visit_id` their source)."""
    return _write_answers(
        actor=actor,
        election=station.election,
        per_station={station.pk: answers},
        reason=reason,
        evidence={station.pk: evidence} if evidence else {},
        visit_id=visit_id,
    )


def import_checklists(*, actor: User | None, election: Election, table: Table, today: date | None = None, dry_run: bool = False) -> int:
    """Excel/CSV bulk upload: one row per TPS (`kode_desa`, `nomor_tps`), one column per indicator
    code with ya/tidak, optional `alasan`. All or nothing; returns how many answers changed (with
    `dry_run`, the preview before confirming: every check, no write, how many TPS it answers for)."""
    reason = next((values.get("alasan", "") for _, values in table.rows if values.get("alasan")), "")
    _check_may_fill(actor, election, reason, today)
    codes = list(Indicator.objects.filter(election=election).values_list("code", flat=True))
    errors = [RowError(table.header_row, column, f"Kolom wajib '{column}' tidak ada.") for column in ("kode_desa", "nomor_tps") if column not in table.headers]
    indicator_columns = [h for h in table.headers if h not in {"kode_desa", "nomor_tps", "alasan", "kode_kecamatan", "nama_desa", "lokasi"}]
    for column in indicator_columns:
        if column not in codes:
            errors.append(RowError(table.header_row, column, f"Kolom '{column}' bukan kode indikator {election.name}. Kode yang dikenal: {', '.join(codes)}."))
    if errors:
        raise InputRejected(errors)
    stations = stations_visible_to(actor, election) if actor is not None else Station.objects.filter(election=election)
    by_key = {(village, number): pk for pk, village, number in stations.values_list("id", "village_id", "number")}
    per_station: dict[int, Answers] = {}
    first_row: dict[int, int] = {}
    for row_no, values in table.rows:
        village, number = values.get("kode_desa", ""), values.get("nomor_tps", "").strip()
        # isascii(): "²" and other Unicode digits pass isdigit() but not int().
        station_id = by_key.get((village, int(number))) if number.isascii() and number.isdigit() else None
        if station_id is None:
            errors.append(RowError(row_no, "nomor_tps", f"TPS {number} desa {village} tidak ada pada {election.name} di wilayah Anda."))
            continue
        if station_id in first_row:
            errors.append(RowError(row_no, "nomor_tps", f"TPS {number} desa {village} muncul dua kali (juga di baris {first_row[station_id]})."))
            continue
        first_row[station_id] = row_no
        answers: Answers = {}
        for code in indicator_columns:
            raw = values.get(code, "").strip().lower()
            if raw in YES:
                answers[code] = (True, "")
            elif raw in NO:
                answers[code] = (False, "")
            else:
                errors.append(RowError(row_no, code, f"Nilai '{values.get(code)}' tidak dikenal. Isi 'ya' atau 'tidak'."))
        per_station[station_id] = answers
    if errors:
        raise InputRejected(errors)
    if dry_run:
        return len(per_station)
    with transaction.atomic(durable=True):
        return _write_answers(actor=actor, election=election, per_station=per_station, reason=reason)


def _write_answers(
    *,
    actor: User | None,
    election: Election,
    per_station: dict[int, Answers],
    reason: str,
    evidence: dict[int, tuple[str, File]] | None = None,
    visit_id: int | None = None,
) -> int:
    """Store answers (and evidence photos) and audit, per TPS, every indicator whose presence,
    note or photo changed; each changed answer's source is `visit_id` (a joint visit) or none.
    Must run inside a transaction."""
    # Lock the TPS first: two people filling the same TPS for the first time are serialised, and
    # the second then reads the first one's answers (no unique-constraint crash, a true audit).
    labels = {
        s.pk: (str(s), s.village_id)
        for s in Station.objects.select_for_update(of=("self",)).filter(pk__in=list(per_station)).select_related("village").order_by("pk")
    }
    indicators = {i.code: i for i in Indicator.objects.filter(election=election)}
    existing = {(a.station_id, a.indicator_id): a for a in ChecklistAnswer.objects.filter(station_id__in=list(per_station), indicator__election=election)}
    now = timezone.now()
    to_create, to_update, changed_by_station = [], [], {}
    for station_id, answers in per_station.items():
        changed = {}
        for code, (present, note) in sorted(answers.items()):
            indicator = indicators[code]
            answer = existing.get((station_id, indicator.pk))
            if answer is None:
                if not present and not note:
                    continue  # "absent" is the default: nothing to store
                answer = ChecklistAnswer(
                    station_id=station_id, indicator=indicator, present=present, note=note, filled_by=actor, filled_at=now, visit_id=visit_id
                )
                existing[(station_id, indicator.pk)] = answer
                to_create.append(answer)
                changed[code] = {"ada": [None, present], **({"catatan": [None, note]} if note else {})}
            elif (answer.present, answer.note) != (present, note):
                changed[code] = diff({"ada": answer.present, "catatan": answer.note}, {"ada": present, "catatan": note})
                answer.present, answer.note, answer.filled_by, answer.filled_at, answer.visit_id = present, note, actor, now, visit_id
                to_update.append(answer)
        changed_by_station[station_id] = changed
    ChecklistAnswer.objects.bulk_create(to_create, batch_size=1000)
    ChecklistAnswer.objects.bulk_update(to_update, ["present", "note", "filled_by", "filled_at", "visit"], batch_size=1000)
    for station_id, (code, image) in (evidence or {}).items():
        answer = existing[(station_id, indicators[code].pk)]
        if answer.pk is None:  # bulk_create did not return the key (an old database)
            answer = ChecklistAnswer.objects.get(station_id=station_id, indicator=indicators[code])
        before = answer.evidence.name or None
        # Named by us: the extension is that of the type found by decoding (core.uploads).
        answer.evidence.save(f"tps-{station_id}-{code.replace('.', '-')}.{image.name.rsplit('.', 1)[-1].lower()}", image, save=False)
        ChecklistAnswer.objects.filter(pk=answer.pk).update(evidence=answer.evidence.name, filled_by=actor, filled_at=now, visit_id=visit_id)
        if code not in changed_by_station[station_id]:
            to_update.append(answer)
        changed_by_station[station_id].setdefault(code, {})["foto"] = [before, answer.evidence.name]
    changes = []
    for station_id, changed in changed_by_station.items():
        if changed:
            if reason:
                changed["alasan"] = [None, reason]
            if visit_id is not None:
                changed["kunjungan"] = [None, visit_id]
            label, village = labels[station_id]
            changes.append(Change("checklist.save", "stations.station", station_id, label, election.slug, changed, village))
    record(actor=actor, changes=changes)
    return len(to_create) + len(to_update)


def set_station_class(*, actor: User | None, station: Station, level: str, reason: str = "") -> StationClass:
    """The police confirm (same as suggested) or override (a reason is required) a TPS's class.
    The suggestion of the moment is kept with it: a later change of suggestion awaits the police
    (`risk.queries.suggestion_changes`) until they set the class again."""
    if actor is not None:
        require(actor, Perm.SET_POLICE_CLASS)
        if not stations_visible_to(actor, station.election).filter(pk=station.pk).exists():
            raise PermissionDenied("TPS ini di luar wilayah Anda.")
    if level not in StationClass.Level.values:
        raise ValidationError(f"Kelas '{level}' tidak dikenal.")
    suggestion = suggestions_for_stations(station.election, [station])[station.pk]
    if level != suggestion.level and not reason.strip():
        raise ValidationError("Kelas berbeda dari saran sistem: isi alasannya.")
    with transaction.atomic(durable=True):
        current = StationClass.objects.select_for_update().filter(station=station).first()
        before = {"level": current.level, "alasan": current.reason, "oleh": current.set_by_id, "saran": current.suggested_level} if current else {}
        after = {"level": level, "alasan": reason.strip(), "oleh": actor.pk if actor else None, "saran": suggestion.level}
        if before == after:
            return current  # the same officer confirming the same class on the same suggestion: nothing changes
        row, _ = StationClass.objects.update_or_create(
            station=station,
            defaults={"level": level, "reason": reason.strip(), "suggested_level": suggestion.level, "set_by": actor, "set_at": timezone.now()},
        )
        changes = {**diff(before, after), "saran": [before.get("saran"), suggestion.level]}  # the suggestion it was based on, always
        record(
            actor=actor, changes=[Change("police_class.set", "stations.station", station.pk, str(station), station.election.slug, changes, station.village_id)]
        )
    return row


def confirm_suggestions(*, actor: User | None, election: Election) -> int:
    """Set every TPS without a police class to its suggested class (the demo; a Polres start)."""
    if actor is not None:
        require(actor, Perm.SET_POLICE_CLASS)
    stations = list((stations_visible_to(actor, election) if actor else Station.objects.filter(election=election)).filter(police_class__isnull=True))
    suggestions = suggestions_for_stations(election, stations)
    now = timezone.now()
    with transaction.atomic(durable=True):
        StationClass.objects.bulk_create(
            [
                StationClass(station=s, level=suggestions[s.pk].level, suggested_level=suggestions[s.pk].level, reason="", set_by=actor, set_at=now)
                for s in stations
            ],
            batch_size=1000,
        )
        changes = [
            Change("police_class.set", "stations.station", s.pk, str(s), election.slug, {"level": [None, suggestions[s.pk].level]}, s.village_id)
            for s in stations
        ]
        record(actor=actor, changes=changes)
    return len(stations)


def add_intel_note(*, actor: User, station: Station, text: str) -> IntelNote:
    require(actor, Perm.ADD_INTEL)
    if not stations_visible_to(actor, station.election).filter(pk=station.pk).exists():
        raise PermissionDenied("TPS ini di luar wilayah Anda.")
    if not text.strip():
        raise ValidationError("Catatan kosong.")
    with transaction.atomic(durable=True):
        note = IntelNote.objects.create(station=station, text=text.strip(), author=actor)
        # The audit keeps that a note was written, not its content: the log is read by Bawaslu.
        record(actor=actor, changes=[Change("intel_note.create", "risk.intelnote", note.pk, str(station), station.election.slug, {}, station.village_id)])
    return note


RELEASE_RULE_FIELDS = ("top_group_size", "middle_group_size")
CLASS_RULE_FIELDS = ("severe_codes", "special_codes", "rawan_min_variables", "sangat_rawan_min_variables")


def set_rules(*, actor: User | None, election: Election, **values) -> RiskRules:
    """Change the election's rules: Bawaslu's frequency groups (`top_group_size`,
    `middle_group_size`) and the police class suggestion (`severe_codes`, `special_codes`,
    `rawan_min_variables`, `sangat_rawan_min_variables`). Fields not given keep their value.

    Bawaslu sets the groups, the police the class rule. The rules hold for every TPS of the
    election, so only a user whose area covers all of them may change them."""
    unknown = set(values) - set(RELEASE_RULE_FIELDS) - set(CLASS_RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rule fields: {sorted(unknown)}")
    if actor is not None:
        if set(values) & set(RELEASE_RULE_FIELDS):
            require(actor, Perm.SET_RELEASE_RULES)
        if set(values) & set(CLASS_RULE_FIELDS):
            require(actor, Perm.MANAGE_GUARD)
        if Station.objects.filter(election=election).exclude(pk__in=stations_visible_to(actor, election).values("pk")).exists():
            raise PermissionDenied("Aturan ini berlaku untuk seluruh TPS pemilihan; hanya pengguna yang wilayahnya mencakup semuanya yang dapat mengubahnya.")
    codes = set(Indicator.objects.filter(election=election).values_list("code", flat=True))
    errors = []
    for field in ("severe_codes", "special_codes"):
        wrong = sorted(set(values.get(field, [])) - codes)
        if wrong:
            errors.append(f"Kode indikator tidak dikenal untuk {election.name}: {', '.join(wrong)}.")
    for field in ("rawan_min_variables", "sangat_rawan_min_variables"):
        if field in values and not 1 <= values[field] <= 20:
            errors.append("Jumlah variabel minimal harus antara 1 dan 20.")
    for field in RELEASE_RULE_FIELDS:
        if field in values and not 0 <= values[field] <= 100:
            errors.append("Jumlah peringkat per kelompok harus antara 0 dan 100.")
    if errors:
        raise ValidationError(errors)
    for field in ("severe_codes", "special_codes"):
        if field in values:
            values[field] = sorted(set(values[field]))
    with transaction.atomic(durable=True):
        rules, _ = RiskRules.objects.select_for_update().get_or_create(election=election)
        before = {field: getattr(rules, field) for field in values}
        changed = diff(before, values)
        if changed:
            for field, value in values.items():
                setattr(rules, field, value)
            rules.save()
            record(actor=actor, changes=[Change("risk_rules.save", "risk.riskrules", rules.pk, election.name, election.slug, changed)])
    return rules
