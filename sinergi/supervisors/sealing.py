"""Chaining voting-day intake into the audit trail, in batches, just after it is stored.

Reports and incidents are append-only rows that carry who filed them, through which channel and
when. On voting day hundreds arrive each second; chaining each one inside its own request would
serialise them all on the audit chain's head. So a report is committed alone (one INSERT, the
answer follows the commit) with `audited` false, and `seal_pending` chains every such row into
the audit trail — one event per row, with the filer and the time it was received — and marks it
audited, in the same transaction. Sealing runs:

- after an intake request, at most every AUDIT_SEAL_INTERVAL seconds per server process (0: after
  every one); a process that finds another sealing skips, it does not wait;
- from `sinergi seal-intake` (docs/operations.md: every minute from cron or a systemd timer), so
  a report that arrived after a process's last seal is chained even if no request follows;
- before the audit log page and `sinergi verify-audit` read the trail.

Until it is sealed a row is not yet covered by the chain's tamper evidence; the window is the
interval above, normally a second.

Sealing also gives each report its official number (`Report.serial` in its `register`, district and
year): the next after the highest of that register, in the same transaction as its audit event.
Sealers take the chain head's lock first, so they run one after another and no two see the same
highest; a sealing that fails is rolled back whole, numbers included. The numbers therefore run
1, 2, 3 … without gaps, whatever ids the table handed out (a retried or rolled-back INSERT uses up
an id, never a number), and voting day's INSERT stays as it was.
"""

import logging
import threading
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.accounts.permissions import Perm, can
from sinergi.audit.services import Change, lock_heads, record
from sinergi.core.alerts import Alert
from sinergi.regions import codes
from sinergi.stations.labels import tps_label
from sinergi.supervisors.models import Incident, Report, report_number, report_register

BATCH = 2_000
_last = {"at": 0.0}
_lock = threading.Lock()
log = logging.getLogger(__name__)


# What an event needs of a row, read as plain values (no model instances: thousands a second).
_COLUMNS = ("pk", "election__slug", "election__time_zone", "station_id", "station__number", "station__village_id", "station__village__name", "via", "received_at", "filed_by_id", "filed_by__username", "filed_by__agency__name")


def _changes(model, action: str, facts: tuple[str, ...], rows: list[dict]) -> list[Change]:
    changes = []
    for row in rows:
        tps = tps_label(row["station__number"], row["station__village__name"])
        label = report_number(row["serial"], row["register"], row["observed_at"], row["election__time_zone"]) if model is Report else tps
        by = (row["filed_by_id"], row["filed_by__username"], row["filed_by__agency__name"] or "") if row["filed_by_id"] else (None, "sistem", "")
        details = {"tps": [None, tps], "saluran": [None, row["via"]]} | {label_: [None, row[name]] for label_, name in facts}
        changes.append(Change(action, model._meta.label_lower, row["pk"], label, row["election__slug"], details, row["station__village_id"], by=by, at=row["received_at"]))
    return changes


def seal_pending(*, wait: bool = True, batches: int | None = None, rounds: int | None = None, areas: list[str] | None = None) -> int:
    """Chain every report and incident not yet in the audit trail, district by district (at most
    `batches` batches of BATCH rows in all, or `rounds` passes of one batch per waiting district;
    only the districts within `areas`, region codes, if given); how many were chained.
    `wait=False`: skip a district whose chain another transaction holds (SKIP LOCKED), instead of
    waiting for it."""
    sealed, done = 0, set()
    while rounds is None or rounds > 0:
        rounds = None if rounds is None else rounds - 1
        todo = [district for district in districts_waiting(areas) if district not in done]
        if not todo:
            return sealed
        progress = False
        for district in todo:
            count, full = seal_district(district, wait=wait)
            sealed += count
            progress = progress or count > 0
            if not full:
                done.add(district)  # what was waiting when this began is chained (or another sealer has it)
            if batches is not None and count:
                batches -= 1
                if batches <= 0:
                    return sealed
        if not progress:
            return sealed
    return sealed


def districts_waiting(areas: list[str] | None = None, *, look: int = 5_000) -> list[str]:
    """The districts with reports or incidents waiting to be chained, the one whose oldest row
    arrived first, first (among the `look` oldest waiting rows of each table: a district further back is found once
    those are chained). Reads the partial indexes of rows not yet audited."""
    # A sealer of some districts looks among their own waiting rows only: another group's backlog
    # (its sealer stopped) must not hide theirs behind the `look` oldest rows of the country.
    scope = Q()
    for area in areas or ():
        prefix = codes.district_of(area) if codes.level_of(area) >= codes.DISTRICT else area
        scope |= Q(station__village__code__startswith=prefix + ".")
    found: dict[str, datetime] = {}
    for model in (Report, Incident):
        rows = model.objects.filter(scope, audited=False).order_by("pk").values_list("received_at", "station__village_id")[:look]
        for received, village in rows:
            district = codes.district_of(village)
            if district not in found or received < found[district]:
                found[district] = received
    return sorted(found, key=found.__getitem__)


def seal_district(district: str, *, wait: bool = True) -> tuple[int, bool]:
    """Chain one batch of the reports and incidents of `district` waiting to be chained, in its own
    transaction under the district's chain head (audit partition); (how many, whether a table gave
    a full batch, so more may wait). `wait=False`: (0, False) at once if another transaction holds
    the head."""
    with transaction.atomic():
        if lock_heads([district], skip_locked=not wait) is None:
            return 0, False  # another sealer holds this district
        within = {"audited": False, "station__village__code__startswith": district + "."}
        reports = list(Report.objects.filter(**within).order_by("pk").values(*_COLUMNS, "observed_at", "stage")[:BATCH])
        incidents = list(Incident.objects.filter(**within).order_by("pk").values(*_COLUMNS, "category", "severity")[:BATCH])
        if not reports and not incidents:
            return 0, False
        _number(reports)
        changes = _changes(Report, "report.file", (("tahap", "stage"),), reports)
        changes += _changes(Incident, "incident.file", (("kategori", "category"), ("tingkat", "severity")), incidents)
        record(actor=None, changes=changes)
        _store_numbers(reports)
        Incident.objects.filter(pk__in=[i["pk"] for i in incidents]).update(audited=True)
    return len(reports) + len(incidents), len(reports) >= BATCH or len(incidents) >= BATCH


def _number(reports: list[dict]) -> None:
    """Give each of `reports` (in id order, all of one district) its register and the next serial
    in it. Runs under the district's chain head lock (see the module's docstring)."""
    registers = {}
    for row in reports:
        row["register"] = report_register(row["station__village_id"], row["observed_at"], row["election__time_zone"])
        registers.setdefault(row["register"], None)
    for register in registers:
        registers[register] = Report.objects.filter(register=register).aggregate(highest=Max("serial"))["highest"] or 0
    for row in reports:
        registers[row["register"]] += 1
        row["serial"] = registers[row["register"]]


def _store_numbers(reports: list[dict]) -> None:
    """Write the numbers given by `_number` and mark the reports audited."""
    if not reports:
        return
    if connection.vendor == "postgresql":
        # One statement for the batch (a CASE per row, as bulk_update writes, grows with its square).
        table = Report._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET serial = v.serial, register = v.register, audited = true "
                f"FROM unnest(%s::bigint[], %s::integer[], %s::varchar[]) AS v(id, serial, register) WHERE {table}.id = v.id",
                [[r["pk"] for r in reports], [r["serial"] for r in reports], [r["register"] for r in reports]],
            )
        return
    rows = [Report(pk=r["pk"], serial=r["serial"], register=r["register"], audited=True) for r in reports]
    Report.objects.bulk_update(rows, ["serial", "register", "audited"], batch_size=500)


def waiting() -> tuple[int, datetime | None]:
    """How many reports and incidents wait to be chained, and when the oldest of them arrived."""
    counts, oldest = 0, []
    for model in (Report, Incident):
        rows = model.objects.filter(audited=False)
        counts += rows.count()
        if first := rows.order_by("pk").values_list("received_at", flat=True).first():
            oldest.append(first)
    return counts, min(oldest) if oldest else None


def situation_alerts(user, election, now: datetime) -> list[Alert]:
    """The chaining backlog, for whoever reads the audit trail (Bawaslu's administrators, the
    operator): one alert when the oldest report or incident not yet chained arrived more than
    AUDIT_BACKLOG_ALERT_SECONDS before `now` — sealing has fallen behind or stopped (no
    `sinergi seal-intake` timer, a failing sealer), and those rows are not yet covered by the
    chain's tamper evidence. Two indexed reads (the not-yet-audited rows are a partial index);
    the counts only when there is a backlog. Deployment-wide: one stopped sealer holds back every district it serves."""
    if not can(user, Perm.VIEW_AUDIT):
        return []
    cutoff = now - timedelta(seconds=settings.AUDIT_BACKLOG_ALERT_SECONDS)
    # One statement for both tables (the election's row only carries the two EXISTS).
    stale = (
        type(election)
        .objects.filter(pk=election.pk)
        .annotate(**{model.__name__: Exists(model.objects.filter(audited=False, received_at__lt=cutoff)) for model in (Report, Incident)})
        .values_list("Report", "Incident")
        .first()
    )
    if not stale or not any(stale):
        return []
    count, oldest = waiting()
    minutes = max(1, int((now - oldest).total_seconds() // 60)) if oldest else 0
    title = _("%(count)s laporan/kejadian belum masuk jejak audit; tertua %(minutes)s menit") % {"count": count, "minutes": minutes}
    detail = _("Perangkaian tertinggal: periksa timer sinergi seal-intake dan log server.")
    return [Alert("danger", _("Jejak audit"), title, detail, reverse("audit:log"), oldest or now)]


def seal_soon() -> int:
    """After an intake write: seal now unless AUDIT_SEAL_IN_REQUEST is off (sealers of their own
    run, `sinergi seal-intake --follow`), or this process sealed less than AUDIT_SEAL_INTERVAL
    seconds ago (or is sealing in another thread). One batch of each district waiting, skipping a
    district another transaction is chaining instead of waiting for it. How many rows were sealed."""
    if not settings.AUDIT_SEAL_IN_REQUEST:
        return 0
    now = time.monotonic()
    if now - _last["at"] < settings.AUDIT_SEAL_INTERVAL or not _lock.acquire(blocking=False):
        return 0
    try:
        _last["at"] = now
        return seal_pending(wait=False, rounds=1)  # a bounded pause for this request; the next seal takes the rest
    except Exception:
        # The report is already stored and its answer must not fail: the next seal takes it.
        log.exception("sealing reports into the audit trail failed; the next seal retries")
        return 0
    finally:
        _lock.release()


def numbered(report: Report) -> Report:
    """`report` with its official number, sealing its district's waiting rows first if it has none
    yet (for the web form and SMS, which answer with the number; not for the API's hot path). Also
    when sealing in requests is off: these answers need the number, and they are few."""
    if report.serial is None:
        district = codes.district_of(report.station.village_id)
        for _ in range(5):  # a bounded wait: each pass chains a batch of the district, oldest first
            count, _full = seal_district(district)
            report.register, report.serial = Report.objects.filter(pk=report.pk).values_list("register", "serial").get()
            if report.serial is not None or not count:
                break
    return report
