"""Writes of joint monitoring visits: planning, cancelling, recording what a visit found at each TPS,
applying those findings to the TPS's vulnerability checklist, completing the visit.

What a joint visit may do to the checklist (docs/visits.md): the checklist is Bawaslu's instrument
and keeps its collection-stage rules (risk.services). Findings recorded by someone who may write
the checklist now (FILL_CHECKLIST while the stage is open; AMEND_CHECKLIST outside it, the visit
being the reason) are applied at once, with the visit as the answers' source. Findings recorded by
anyone else on the team (the police, the Panwascam) are kept on the visit and wait until a Bawaslu
user who may write the checklist applies them (`apply_findings`). The police class itself is never
set by a visit: the suggestion changes, and the TPS awaits the police (risk.queries).
"""

from datetime import date
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.audit.services import Change, record
from sinergi.core.uploads import MAX_PHOTO_BYTES, PHOTO_KINDS, check_upload
from sinergi.elections.models import Election
from sinergi.risk import services as risk_services
from sinergi.risk.models import Indicator
from sinergi.risk.queries import suggestions_for_stations
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from sinergi.visits import dayplan, journey
from sinergi.visits.models import Visit, VisitStop
from sinergi.visits.queries import POLICE_KINDS, SUPERVISOR_KINDS, agencies_for, may_apply, may_manage

MAX_STATIONS = 12
Findings = dict[str, tuple[bool, str]]  # indicator code -> (present, note)


def local_today(election: Election) -> date:
    return timezone.localdate(timezone=ZoneInfo(election.time_zone))


def _label(visit: Visit) -> str:
    return f"Kunjungan {visit.day:%d-%m-%Y} {visit.region.name}"


def plan_visit(
    *,
    actor: User | None,
    election: Election,
    day: date,
    station_ids: list[int],
    agency_ids: list[int],
    team: str,
    purpose: str = "",
    minutes_per_station: int = 45,
    today: date | None = None,
) -> Visit:
    """Schedule a joint visit to TPS (in the order given) on a day before voting day. Refused,
    with the reason, when its TPS cannot be reached and left the same day (visits.dayplan)."""
    if actor is not None:
        require(actor, Perm.MANAGE_VISITS)
    errors: dict[str, list[str]] = {}
    today = today or local_today(election)
    if day >= election.voting_date:
        errors.setdefault("day", []).append(
            f"Kunjungan bersama dilakukan sebelum hari pemungutan suara ({election.voting_date:%d-%m-%Y}); pilih tanggal sebelumnya."
        )
    if day < today:
        errors.setdefault("day", []).append(f"Tanggal {day:%d-%m-%Y} sudah lewat; pilih hari ini atau sesudahnya.")
    if not 10 <= minutes_per_station <= 240:
        errors.setdefault("minutes_per_station", []).append("Lama di setiap TPS: isi 10–240 menit.")
    if not team.strip():
        errors.setdefault("team", []).append("Isi nama anggota tim yang berangkat, satu per baris.")
    if not station_ids:
        errors.setdefault("stations", []).append("Pilih paling sedikit satu TPS.")
    elif len(station_ids) > MAX_STATIONS:
        errors.setdefault("stations", []).append(f"Paling banyak {MAX_STATIONS} TPS dalam satu kunjungan; bagi menjadi beberapa hari.")
    elif len(set(station_ids)) != len(station_ids):
        errors.setdefault("stations", []).append("Setiap TPS hanya sekali dalam satu kunjungan.")
    visible = stations_visible_to(actor, election) if actor is not None else Station.objects.filter(election=election)
    found = {s.pk: s for s in visible.filter(pk__in=station_ids).select_related("village__parent")}
    stations = [found[pk] for pk in station_ids if pk in found]
    if len(stations) != len(set(station_ids)):
        errors.setdefault("stations", []).append("Sebagian TPS tidak ada pada pemilihan ini atau di luar wilayah Anda.")
    kecamatans = {s.village.parent_id for s in stations}
    if len(kecamatans) > 1:
        errors.setdefault("stations", []).append("Semua TPS satu kunjungan berada di satu kecamatan.")
    if errors:
        raise ValidationError(errors)
    kecamatan = stations[0].village.parent
    allowed = {a.pk: a for a in agencies_for(kecamatan.code)}
    agencies = [allowed[pk] for pk in dict.fromkeys(agency_ids) if pk in allowed]
    if len(agencies) != len(set(agency_ids)):
        errors.setdefault("agencies", []).append(f"Sebagian lembaga tidak bertugas di Kecamatan {kecamatan.name}.")
    elif not any(a.kind in SUPERVISOR_KINDS for a in agencies) or not any(a.kind in POLICE_KINDS for a in agencies):
        errors.setdefault("agencies", []).append(
            "Kunjungan bersama: pilih paling sedikit satu lembaga pengawas (Bawaslu/Panwascam) dan satu kepolisian (Polres/Polsek)."
        )
    if errors:
        raise ValidationError(errors)
    trip = journey.journey(election, stations, day, minutes_per_station)
    if isinstance(trip, str):
        raise ValidationError({"stations": [trip]})
    if trip.refused:
        raise ValidationError({"stations": [trip.result.reason]})
    plan: dayplan.DayPlan = trip.result
    with transaction.atomic(durable=True):
        visit = Visit.objects.create(
            election=election,
            region=kecamatan,
            day=day,
            team=team.strip(),
            purpose=purpose.strip(),
            minutes_per_station=minutes_per_station,
            crossing=trip.crossing.name if trip.crossing else "",
            leaves_at=journey.as_time(trip.leaves_at),
            out_departure=journey.as_time(plan.out_departure),
            back_departure=journey.as_time(plan.back_departure),
            home_at=journey.as_time(plan.home),
            created_by=actor,
        )
        visit.agencies.set(agencies)
        VisitStop.objects.bulk_create(
            [
                VisitStop(visit=visit, station=s, order=n, arrives_at=journey.as_time(stop.arrive))
                for n, (s, stop) in enumerate(zip(stations, plan.stops, strict=True), 1)
            ]
        )
        changes = {
            "tanggal": [None, day.isoformat()],
            "tps": [None, [str(s) for s in stations]],
            "lembaga": [None, [a.name for a in agencies]],
            "tim": [None, visit.team],
        }
        if trip.crossing:
            changes["penyeberangan"] = [
                None,
                f"{trip.crossing.name}: berangkat {dayplan.hhmm(plan.out_departure)}, kembali {dayplan.hhmm(plan.back_departure)}",
            ]
        record(actor=actor, changes=[Change("visit.plan", "visits.visit", visit.pk, _label(visit), election.slug, changes, kecamatan.code)])
    return visit


def _check_open(actor: User | None, visit: Visit) -> None:
    if actor is not None:
        require(actor, Perm.MANAGE_VISITS)
        if not may_manage(actor, visit):
            raise PermissionDenied("Kunjungan ini di luar wilayah Anda.")
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError(f"Kunjungan ini sudah {visit.get_status_display().lower()}; tidak dapat diubah lagi.")


def _still_planned(visit: Visit) -> None:
    """Lock the visit's row and check, under the lock, that it is still planned: recording,
    completing and cancelling at the same moment are serialised, and the second one refused."""
    status = Visit.objects.select_for_update().filter(pk=visit.pk).values_list("status", flat=True).first()
    if status != Visit.Status.PLANNED:
        raise ValidationError(f"Kunjungan ini sudah {Visit.Status(status).label.lower()}; tidak dapat diubah lagi.")


def cancel_visit(*, actor: User | None, visit: Visit, reason: str) -> Visit:
    _check_open(actor, visit)
    if not reason.strip():
        raise ValidationError({"reason": ["Isi alasan pembatalan (misalnya: gelombang tinggi, penyeberangan ditutup)."]})
    if visit.stops.filter(recorded_at__isnull=False).exists():
        raise ValidationError("Temuan sudah dicatat pada kunjungan ini; selesaikan kunjungannya, jangan dibatalkan.")
    with transaction.atomic(durable=True):
        _still_planned(visit)
        Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.CANCELLED, cancel_reason=reason.strip()[:300])
        record(
            actor=actor,
            changes=[
                Change(
                    "visit.cancel",
                    "visits.visit",
                    visit.pk,
                    _label(visit),
                    visit.election.slug,
                    {"status": [visit.status, "batal"], "alasan": [None, reason.strip()]},
                    visit.region_id,
                )
            ],
        )
    visit.refresh_from_db()
    return visit


def complete_visit(*, actor: User | None, visit: Visit, summary: str = "") -> Visit:
    """Close a visit once the team has recorded what it found at one TPS at least."""
    _check_open(actor, visit)
    if not visit.stops.filter(recorded_at__isnull=False).exists():
        raise ValidationError("Catat temuan paling sedikit satu TPS sebelum menyelesaikan kunjungan.")
    with transaction.atomic(durable=True):
        _still_planned(visit)
        Visit.objects.filter(pk=visit.pk).update(status=Visit.Status.DONE, summary=summary.strip())
        record(
            actor=actor,
            changes=[
                Change("visit.complete", "visits.visit", visit.pk, _label(visit), visit.election.slug, {"status": [visit.status, "selesai"]}, visit.region_id)
            ],
        )
    visit.refresh_from_db()
    return visit


def _reason(visit: Visit) -> str:
    return f"Temuan kunjungan bersama no. {visit.pk} tanggal {visit.day:%d-%m-%Y}"


def _apply(actor: User | None, stop: VisitStop, today: date | None) -> int:
    """Write the stop's findings into the checklist inside the caller's transaction; returns how
    many answers changed. The suggestion before and after is kept on the stop."""
    station = stop.station
    evidence = None
    if stop.photo and stop.photo_code:
        stop.photo.open("rb")
        evidence = (stop.photo_code, File(stop.photo.file, name=stop.photo.name))
    answers = {code: (bool(present), note) for code, (present, note) in stop.findings.items()}
    answers, evidence = risk_services.check_checklist(actor=actor, station=station, answers=answers, reason=_reason(stop.visit), today=today, evidence=evidence)
    before = suggestions_for_stations(station.election, [station])[station.pk].level
    changed = risk_services.write_checklist(
        actor=actor, station=station, answers=answers, reason=_reason(stop.visit), evidence=evidence, visit_id=stop.visit_id
    )
    after = suggestions_for_stations(station.election, [station])[station.pk].level
    stop.applied_by, stop.applied_at, stop.suggestion_before, stop.suggestion_after, stop.answers_changed = actor, timezone.now(), before, after, changed
    return changed


def record_findings(
    *,
    actor: User | None,
    stop: VisitStop,
    findings: Findings,
    note: str = "",
    photo=None,
    photo_code: str = "",
    today: date | None = None,
) -> VisitStop:
    """What the team found at one TPS: the checklist as observed, a note, an evidence photo of one
    indicator. Applied to the checklist at once when the recorder may write it now, else kept
    for Bawaslu to apply (module docstring)."""
    visit = stop.visit
    election = visit.election
    _check_open(actor, visit)
    today = today or local_today(election)
    if today < visit.day:
        raise ValidationError(f"Temuan dicatat pada hari kunjungan ({visit.day:%d-%m-%Y}) atau sesudahnya.")
    known = set(Indicator.objects.filter(election=election).values_list("code", flat=True))
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(findings) - known)
    if unknown:
        errors.setdefault("findings", []).append(f"Kode indikator tidak dikenal untuk {election.name}: {', '.join(unknown)}.")
    if any(len(text) > 300 for _, text in findings.values()):
        errors.setdefault("findings", []).append("Catatan per indikator paling panjang 300 karakter.")
    if photo is not None and photo_code not in known:
        errors.setdefault("photo_code", []).append("Pilih indikator yang dibuktikan oleh foto.")
    if photo is None and photo_code:
        errors.setdefault("photo", []).append("Unggah fotonya, atau kosongkan indikator foto.")
    checked = None
    if photo is not None and not errors:
        checked = check_upload(photo, kinds=PHOTO_KINDS, max_bytes=MAX_PHOTO_BYTES, field="photo")  # decoded whole, named by us
    if errors:
        raise ValidationError(errors)
    if photo_code:
        # A photo is evidence that its indicator is present (the box left unticked or not).
        findings = {**findings, photo_code: (True, findings.get(photo_code, (True, ""))[1])}
    apply_now = may_apply(actor, election, today)
    with transaction.atomic(durable=True):
        _still_planned(visit)
        stop = VisitStop.objects.select_for_update().select_related("visit__election", "visit__region", "station__village", "station__election").get(pk=stop.pk)
        before_photo = stop.photo.name or None
        stop.findings = {code: [present, note.strip()] for code, (present, note) in sorted(findings.items())}
        stop.note = note.strip()
        if checked is not None:
            stop.photo.save(f"kunjungan-{visit.pk}-tps-{stop.station_id}{checked.extension}", checked.file, save=False)
            stop.photo_code = photo_code
        stop.recorded_by, stop.recorded_at = actor, timezone.now()
        stop.applied_by, stop.applied_at, stop.answers_changed = None, None, 0
        stop.suggestion_before = stop.suggestion_after = ""
        changed = {
            "temuan": [None, stop.findings],
            "catatan": [None, stop.note] if stop.note else None,
            "foto": [before_photo, stop.photo.name] if checked else None,
        }
        if apply_now:
            _apply(actor, stop, today)
            changed["diterapkan"] = [None, True]
            changed["saran_kelas"] = [stop.suggestion_before, stop.suggestion_after]
        stop.save()
        record(
            actor=actor,
            changes=[
                Change(
                    "visit.findings",
                    "visits.visitstop",
                    stop.pk,
                    f"{_label(visit)}: {stop.station}",
                    election.slug,
                    {k: v for k, v in changed.items() if v},
                    stop.station.village_id,
                )
            ],
        )
    return stop


def apply_findings(*, actor: User | None, stop: VisitStop, today: date | None = None) -> VisitStop:
    """Bawaslu applies findings the team recorded but could not write into the checklist."""
    election = stop.visit.election
    if actor is not None:
        require(actor, Perm.VIEW_VISITS)
        if not may_manage(actor, stop.visit) and not (
            can(actor, Perm.AMEND_CHECKLIST) and stations_visible_to(actor, election).filter(pk=stop.station_id).exists()
        ):
            raise PermissionDenied("Kunjungan ini di luar wilayah Anda.")
    if stop.recorded_at is None:
        raise ValidationError("Belum ada temuan yang dicatat untuk TPS ini.")
    if stop.applied_at is not None:
        raise ValidationError("Temuan ini sudah diterapkan pada daftar periksa.")
    if not may_apply(actor, election, today):
        raise PermissionDenied(
            "Hanya staf Bawaslu yang dapat mengisi daftar periksa TPS rawan yang dapat menerapkan temuan ini (di luar masa pengisian: staf Bawaslu kabupaten)."
        )
    with transaction.atomic(durable=True):
        stop = VisitStop.objects.select_for_update().select_related("visit__election", "visit__region", "station__village", "station__election").get(pk=stop.pk)
        if stop.applied_at is not None:
            raise ValidationError("Temuan ini sudah diterapkan pada daftar periksa.")
        _apply(actor, stop, today)
        stop.save()
        record(
            actor=actor,
            changes=[
                Change(
                    "visit.apply",
                    "visits.visitstop",
                    stop.pk,
                    f"{_label(stop.visit)}: {stop.station}",
                    election.slug,
                    {"diterapkan": [None, True], "saran_kelas": [stop.suggestion_before, stop.suggestion_after]},
                    stop.station.village_id,
                )
            ],
        )
    return stop
