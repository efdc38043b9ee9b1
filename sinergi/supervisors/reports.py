"""Form A (Laporan Hasil Pengawasan): the idempotent filing of reports and incidents — one, or a
batch — with the permission checks of voting day's hot path. Checklists: `checklists.py`; photos:
`attachments.py`.

The phone makes a report's id (`client_id`) before sending; sending it again — after a timeout,
from the offline queue, three times — returns the report stored the first time, never a second one.
The answer is sent only after the transaction commits."""

import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils.dateparse import parse_datetime

from sinergi.accounts.models import ApiToken, User
from sinergi.accounts.permissions import Perm, require
from sinergi.accounts.queries import check_token
from sinergi.elections.models import Election
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors import sealing
from sinergi.supervisors.checklists import checklists
from sinergi.supervisors.inserts import insert, insert_many
from sinergi.supervisors.models import Assignment, Incident, Question, Report, Supervisor


class ReportConflict(Exception):
    """A report (incident, photo) id already used for other content (the API answers 409);
    `fields` names what differs, as the API names the fields."""

    def __init__(self, message: str, fields: list[str] | None = None):
        super().__init__(message)
        self.fields = fields or []


REPORT_FIELDS = {"station_id": "TPS", "stage": "tahap", "answers": "jawaban", "narrative": "uraian", "observed_at": "waktu pengawasan"}
INCIDENT_FIELDS = {"station_id": "TPS", "category": "kategori", "severity": "tingkat", "occurred_at": "waktu kejadian", "description": "uraian"}


def _instant(value):
    return parse_datetime(value) if isinstance(value, str) else value


def conflict(what: str, client_id, labels: dict[str, str], stored: dict, given: dict) -> ReportConflict | None:
    """The conflict of `given` with what is `stored` under the same id, naming each field that
    differs (in `labels`' order), or None when they are the same."""
    differing = [name for name in labels if stored[name] != given[name]]
    if not differing:
        return None
    named = ", ".join(f"{labels[name]} ({name})" for name in differing)
    return ReportConflict(
        f"Id {what} {client_id} sudah dipakai dengan isi lain; berbeda: {named}. Kirim ulang isi yang sama, atau buat id baru untuk {what} ini.", differing
    )


# Each server process keeps the TPS it has read for STATION_SECONDS (at most STATION_CACHE_SIZE of
# them): filing needs a TPS's election and village, which do not change on voting day. Whether
# the filer holds a post there is read afresh for every report (`posts_of`).
STATION_SECONDS = 60
STATION_CACHE_SIZE = 20_000
_stations: dict[int, tuple[float, Station]] = {}


def stations_for_filing(station_ids: set[int]) -> dict[int, Station]:
    """The TPS among `station_ids` that exist, with their election and village (read-only)."""
    now = time.monotonic()
    found, missing = {}, set()
    for pk in station_ids:
        cached = _stations.get(pk)
        if cached is not None and now - cached[0] <= STATION_SECONDS:
            found[pk] = cached[1]
        else:
            missing.add(pk)
    if missing:
        if len(_stations) > STATION_CACHE_SIZE:
            _stations.clear()
        for station in Station.objects.filter(pk__in=missing).select_related("election", "village").defer("village__boundary").order_by():
            _stations[station.pk] = (now, station)
            found[station.pk] = station
    return found


def station_for_filing(station_id: int) -> Station:
    station = stations_for_filing({station_id}).get(station_id)
    if station is None:
        raise Http404("TPS tidak ada.")
    return station


def forget_stations() -> None:
    _stations.clear()


def posts_of(actor: User, station_ids: set[int]) -> set[int]:
    """The TPS among `station_ids` where `actor` holds an active post (one small query)."""
    assignment, supervisor = Assignment._meta.db_table, Supervisor._meta.db_table
    ids = sorted(station_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.station_id FROM {assignment} a JOIN {supervisor} s ON s.id = a.supervisor_id "
            f"WHERE s.user_id = %s AND a.status IN (%s, %s) AND a.station_id IN ({', '.join(['%s'] * len(ids))})",
            [actor.pk, *Assignment.ACTIVE, *ids],
        )
        return {row[0] for row in cursor.fetchall()}


def _refusals(actor: User | None, stations: list[Station], posted: set[int] | None = None) -> dict[int, str]:
    """Why `actor` may not file for each of `stations` ({} when it may for all): a PTPS files for
    the TPS of its active post only; PKD and Bawaslu staff for their area. `posted`: the TPS where
    `actor` holds a post, if the caller has read them (`posts_of`). At most three small queries,
    however many TPS."""
    if actor is None or not stations:
        return {}
    try:
        require(actor, Perm.FILE_REPORTS)
    except PermissionDenied as error:
        return dict.fromkeys((s.pk for s in stations), str(error))
    posted = posted if posted is not None else posts_of(actor, {s.pk for s in stations})
    others = [s for s in stations if s.pk not in posted]  # on voting day, usually none
    if not others:
        return {}
    if Supervisor.objects.filter(user=actor).exists():
        return dict.fromkeys((s.pk for s in others), "Anda hanya dapat melapor untuk TPS tempat Anda bertugas.")
    visible = set()
    for election in {s.election for s in others}:
        visible |= set(stations_visible_to(actor, election).filter(pk__in=[s.pk for s in others]).values_list("pk", flat=True))
    return {s.pk: "TPS ini di luar wilayah Anda." for s in others if s.pk not in visible}


def check_may_file(actor: User | None, station: Station, posted: set[int] | None = None) -> None:
    if refused := _refusals(actor, [station], posted):
        raise PermissionDenied(refused[station.pk])


def _clean_answers(election: Election, stage: str, answers: dict) -> dict:
    questions = checklists(election.pk).get(stage, {})
    errors = []
    unknown = sorted(set(answers) - set(questions))
    if unknown:
        errors.append(f"Pertanyaan tidak dikenal untuk tahap ini: {', '.join(unknown)}.")
    clean = {}
    for code, question in questions.items():
        value = answers.get(code)
        if value is None or value == "":
            if question.required:
                errors.append(f"'{question.text}' wajib dijawab.")
            continue
        if question.kind == Question.Kind.YES_NO and not isinstance(value, bool):
            errors.append(f"'{question.text}': jawab ya atau tidak.")
        elif question.kind == Question.Kind.NUMBER and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100_000):
            errors.append(f"'{question.text}': isi bilangan bulat 0 atau lebih.")
        elif question.kind in (Question.Kind.TEXT, Question.Kind.PHOTO) and (not isinstance(value, str) or len(value) > 1000 or "\x00" in value):
            errors.append(f"'{question.text}': isi teks paling panjang 1.000 karakter.")
        else:
            clean[code] = value
    if errors:
        raise ValidationError(errors)
    return clean


def _clean_report(station: Station, stage: str, narrative: str, answers: dict) -> dict:
    """The answers as stored, or ValidationError naming every mistake."""
    if stage not in Question.Stage.values:
        raise ValidationError(f"Tahap '{stage}' tidak dikenal.")
    if len(narrative) > 4000 or "\x00" in narrative:
        raise ValidationError("Uraian paling panjang 4.000 karakter.")
    return _clean_answers(station.election, stage, answers)


def _same_report(existing: Report, station: Station, stage: str, answers: dict, narrative: str, observed_at) -> Report:
    """`existing` if the report sent again under its id is the same; else ReportConflict naming
    the fields that differ. Answers left empty count as not given, as when the report was stored."""
    stored = {"station_id": existing.station_id, "stage": existing.stage, "answers": existing.answers, "narrative": existing.narrative, "observed_at": existing.observed_at}
    given = {
        "station_id": station.pk, "stage": stage, "answers": {code: value for code, value in answers.items() if value is not None and value != ""},
        "narrative": narrative.strip(), "observed_at": _instant(observed_at),
    }  # fmt: skip
    if (error := conflict("laporan", existing.client_id, REPORT_FIELDS, stored, given)) is not None:
        raise error
    return existing


def submit_report(
    *, actor: User | None, station: Station, stage: str, client_id: uuid.UUID, answers: dict, narrative: str, observed_at: datetime, via: str = Report.Via.WEB,
    posted: set[int] | None = None, token: ApiToken | None = None,
) -> tuple[Report, bool]:  # fmt: skip
    """Store a report, or return the one already stored under `client_id`. (report, created).

    On voting day's usual path — a PTPS filing for its own TPS — the post is checked by the INSERT
    itself; anyone else (PKD, Bawaslu staff, a PTPS elsewhere) is checked first (`_refusals`).
    `token`: the caller's API token, not yet checked in this request (accounts.api_auth
    IntakeBearerToken): the INSERT checks it too, and every other outcome checks it first
    (TokenInvalid if it was revoked or its user deactivated)."""
    if actor is not None:
        try:
            require(actor, Perm.FILE_REPORTS)
        except PermissionDenied:
            check_token(token)
            raise

    def stored() -> Report | None:
        check_token(token)
        existing = Report.objects.filter(client_id=client_id).select_related("station", "election").first()
        return _same_report(existing, station, stage, answers, narrative, observed_at) if existing is not None else None

    try:
        clean = _clean_report(station, stage, narrative, answers)
    except ValidationError:
        # What was valid when first sent stays answered the same way (the checklist may have changed since).
        check_token(token)
        check_may_file(actor, station, posted)
        if (existing := stored()) is not None:
            return existing, False
        raise
    report = Report(
        election=station.election, station=station, stage=stage, client_id=client_id, answers=clean,
        narrative=narrative.strip(), observed_at=observed_at, via=via, filed_by=actor,
    )  # fmt: skip
    hot = actor is not None and (posted is None or station.pk in posted)
    try:
        with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
            # In a caller's transaction, a savepoint, so that a repeat leaves it usable; else one
            # INSERT committed on its own, before the answer.
            if not (hot and insert(report, if_posted=actor, token=token)):
                check_token(token)
                check_may_file(actor, station, set() if hot else posted)
                insert(report)
    except IntegrityError:
        if (existing := stored()) is None:
            raise
        return existing, False
    if sealing.seal_soon():
        # Sealed just now, this report most likely with the rest: its number is known (one read by key).
        report.register, report.serial = Report.objects.filter(pk=report.pk).values_list("register", "serial").get()
    return report, True


@dataclass
class ReportItem:
    client_id: uuid.UUID
    station_id: int
    stage: str
    answers: dict
    narrative: str
    observed_at: datetime


@dataclass
class Filed:
    """What became of one item of a batch: 201 stored now, 200 stored before, else the error's
    status (400 invalid, 403 not yours, 404 no such TPS, 409 id used for another report)."""

    client_id: uuid.UUID
    status: int
    report: Report | None = None
    detail: list[str] = field(default_factory=list)
    fields: list[str] = field(default_factory=list)  # for a 409: what differs from the stored report


def submit_reports(*, actor: User | None, items: list[ReportItem], via: str = Report.Via.API) -> list[Filed]:
    """Many reports at once — a phone's queue after a long spell offline, an operator typing in
    paper forms — each checked on its own, so one refused report never holds back the others.
    The new ones are stored together in one transaction; an item answered 200/201 is committed.
    Idempotent per item like `submit_report`, within the batch too."""
    stations = stations_for_filing({item.station_id for item in items})
    posted = posts_of(actor, set(stations)) if actor is not None and stations else set()
    refused = _refusals(actor, list(stations.values()), posted)  # station -> why this actor may not file there
    results: list[Filed | None] = [None] * len(items)
    invalid: dict[uuid.UUID, int] = {}  # items refused as invalid, unless stored before (read below)
    new: dict[uuid.UUID, tuple[int, Report]] = {}
    repeats = []  # items repeating an id first seen in this batch
    for n, item in enumerate(items):
        station = stations.get(item.station_id)
        if station is None:
            results[n] = Filed(item.client_id, 404, detail=["TPS tidak ada."])
        elif station.pk in refused:
            results[n] = Filed(item.client_id, 403, detail=[refused[station.pk]])
        elif item.client_id in new:
            repeats.append(n)
        else:
            try:
                clean = _clean_report(station, item.stage, item.narrative, item.answers)
            except ValidationError as error:
                results[n] = Filed(item.client_id, 400, detail=error.messages)
                invalid[item.client_id] = n
                continue
            report = Report(
                election=station.election, station=station, stage=item.stage, client_id=item.client_id, answers=clean,
                narrative=item.narrative.strip(), observed_at=item.observed_at, via=via, filed_by=actor,
            )  # fmt: skip
            new[item.client_id] = (n, report)
    # What was valid when first sent stays answered the same way (the checklist may have changed since).
    for existing in Report.objects.filter(client_id__in=list(invalid)).select_related("station", "election") if invalid else ():
        item = items[invalid[existing.client_id]]
        try:
            results[invalid[existing.client_id]] = Filed(item.client_id, 200, _same_report(existing, stations[item.station_id], item.stage, item.answers, item.narrative, item.observed_at))
        except ReportConflict as error:
            results[invalid[existing.client_id]] = Filed(item.client_id, 409, detail=[str(error)], fields=error.fields)
    if new:
        try:
            with transaction.atomic():
                insert_many([report for _, report in new.values()])
        except IntegrityError:
            # One of them was stored before (a batch sent again after a lost answer) or by a copy
            # sent at the same moment: file them one by one, each answered on its own.
            _file_one_by_one(actor, [(n, items[n], report.station) for n, report in new.values()], posted, via, results)
        else:
            for n, report in new.values():
                results[n] = Filed(report.client_id, 201, report)
            if sealing.seal_soon():
                numbers = {pk: (register, serial) for pk, register, serial in Report.objects.filter(pk__in=[r.pk for _, r in new.values()]).values_list("pk", "register", "serial")}
                for _, report in new.values():
                    report.register, report.serial = numbers[report.pk]
    for n in repeats:
        item = items[n]
        first = results[new[item.client_id][0]]
        if first.report is None:  # the first copy was refused in the one-by-one filing
            results[n] = Filed(item.client_id, first.status, detail=first.detail)
            continue
        try:
            results[n] = Filed(item.client_id, 200, _same_report(first.report, stations[item.station_id], item.stage, item.answers, item.narrative, item.observed_at))
        except ReportConflict as error:
            results[n] = Filed(item.client_id, 409, detail=[str(error)], fields=error.fields)
    return results


def _file_one_by_one(actor: User | None, pending: list[tuple[int, ReportItem, Station]], posted: set[int], via: str, results: list) -> None:
    """Each of `pending` through `submit_report`, its outcome (or refusal) in `results[n]`."""
    for n, item, station in pending:
        try:
            stored_report, created = submit_report(
                actor=actor, station=station, stage=item.stage, client_id=item.client_id, answers=item.answers,
                narrative=item.narrative, observed_at=item.observed_at, via=via, posted=posted,
            )  # fmt: skip
        except ReportConflict as error:
            results[n] = Filed(item.client_id, 409, detail=[str(error)], fields=error.fields)
        except PermissionDenied as error:
            results[n] = Filed(item.client_id, 403, detail=[str(error)])
        except ValidationError as error:
            results[n] = Filed(item.client_id, 400, detail=error.messages)
        else:
            results[n] = Filed(item.client_id, 201 if created else 200, stored_report)


def submit_incident(
    *, actor: User | None, station: Station, client_id: uuid.UUID, category: str, severity: str, occurred_at: datetime, description: str, via: str = Report.Via.WEB
) -> tuple[Incident, bool]:
    """Store an incident, or return the one already stored under `client_id` (idempotent like a
    report: the insert is tried first, the unique id decides). (incident, created)."""
    check_may_file(actor, station)

    def stored() -> Incident | None:
        existing = Incident.objects.filter(client_id=client_id).first()
        if existing is None:
            return None
        kept = {"station_id": existing.station_id, "category": existing.category, "severity": existing.severity, "occurred_at": existing.occurred_at, "description": existing.description}
        given = {"station_id": station.pk, "category": category, "severity": severity, "occurred_at": _instant(occurred_at), "description": description.strip()}
        if (error := conflict("kejadian", client_id, INCIDENT_FIELDS, kept, given)) is not None:
            raise error
        return existing

    errors = []
    if category not in Incident.Category.values:
        errors.append(f"Kategori '{category}' tidak dikenal; pilih: {', '.join(Incident.Category.values)}.")
    if severity not in Incident.Severity.values:
        errors.append(f"Tingkat '{severity}' tidak dikenal; pilih: {', '.join(Incident.Severity.values)}.")
    if not description.strip() or len(description) > 4000 or "\x00" in description:
        errors.append("Uraian kejadian wajib, paling panjang 4.000 karakter.")
    if errors:
        # What was valid when first sent stays answered the same way.
        if (existing := stored()) is not None:
            return existing, False
        raise ValidationError(errors)
    try:
        with transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext():
            incident = Incident.objects.create(
                election=station.election, station=station, client_id=client_id, category=category, severity=severity,
                occurred_at=occurred_at, description=description.strip(), via=via, filed_by=actor,
            )  # fmt: skip
    except IntegrityError:
        if (existing := stored()) is None:
            raise
        return existing, False
    sealing.seal_soon()
    return incident, True
