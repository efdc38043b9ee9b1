"""Recording meetings between agencies, their decisions and action items, and following items up.

Who may do what (docs/coordination.md): officers holding `MANAGE_MEETINGS` record a meeting in
their area; the recording agency's officers edit everything in it; the agency owning an action
item updates its status and adds follow-up notes to that item only.
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, can, require
from sinergi.audit.services import Change, record
from sinergi.coordination import followup
from sinergi.coordination.models import ActionItem, Decision, FollowUp, Meeting, meeting_zone
from sinergi.elections.models import Election
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region

MAX_DECISIONS = 30
MAX_ACTION_ITEMS = 30


class ActionItemInput(TypedDict, total=False):
    title: str
    description: str
    owner: Agency | None
    due_on: date | None
    decision: int | None  # the number of the decision it follows up, if any


# --- Who may edit what -------------------------------------------------------------------------


def may_edit(user: User, meeting: Meeting) -> bool:
    """The recording agency's officers (holding MANAGE_MEETINGS) edit the meeting and all its items."""
    if not can(user, Perm.MANAGE_MEETINGS):
        return False
    return user.is_superuser or (user.agency_id is not None and user.agency_id == meeting.recorded_by_id)


def may_update(user: User, item: ActionItem) -> bool:
    """The owner agency's officers update their own item; the recording agency's update any."""
    if may_edit(user, item.meeting):
        return True
    return can(user, Perm.VIEW_MEETINGS) and user.agency_id is not None and user.agency_id == item.owner_id


def local_day(meeting: Meeting, moment: datetime) -> date:
    """The day `moment` falls on in the meeting's time zone (the election's, else WITA)."""
    return timezone.localtime(moment, meeting.time_zone).date()


# --- Validation --------------------------------------------------------------------------------


def _text(value, *, limit: int, label: str, required: bool, errors: dict, key: str) -> str:
    text = str(value or "").strip()
    if required and not text:
        errors[key] = [f"{label} wajib diisi."]
    elif len(text) > limit or "\x00" in text:
        errors[key] = [f"{label} paling panjang {limit} karakter."]
    return text


def _clean_header(actor: User, data: dict, errors: dict) -> dict:
    """The meeting's own fields as stored; every problem goes into `errors` by field."""
    clean = {}
    kind = data.get("kind")
    if kind not in Meeting.Kind.values:
        errors["kind"] = ["Pilih jenis pertemuan: audiensi, rapat koordinasi, atau lainnya."]
    clean["kind"] = kind
    clean["title"] = _text(data.get("title"), limit=200, label="Judul/acara rapat", required=True, errors=errors, key="title")
    clean["place"] = _text(data.get("place"), limit=200, label="Tempat rapat", required=True, errors=errors, key="place")
    clean["other_attendees"] = _text(data.get("other_attendees"), limit=2000, label="Peserta lain", required=False, errors=errors, key="other_attendees")
    clean["minutes"] = _text(data.get("minutes"), limit=20000, label="Notulen", required=False, errors=errors, key="minutes")
    starts_at = data.get("starts_at")
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        errors["starts_at"] = ["Tanggal dan jam rapat wajib diisi (TTTT-BB-HH dan JJ:MM, waktu setempat)."]
    clean["starts_at"] = starts_at
    election = data.get("election")
    if election is not None and not isinstance(election, Election):
        errors["election"] = ["Pilih pemilihan yang dibahas, atau kosongkan untuk rapat umum."]
    clean["election"] = election
    region_code = str(data.get("region_code") or "")
    region = Region.objects.filter(code=region_code).first()
    area = actor.area_code
    if region is None:
        errors["region"] = [f"Wilayah {region_code or '(kosong)'} tidak ada: pilih kabupaten atau kecamatan rapat."]
    elif area is not None and not is_within(region.code, area):
        errors["region"] = [f"Wilayah rapat harus di dalam wilayah Anda ({area})."]
    clean["region"] = region
    agencies = list(data.get("agencies") or [])
    # Agencies from elsewhere may attend (a neighbouring district's Polres) and own items: they
    # then see the meeting (coordination/queries.py).
    if not agencies:
        errors["agencies"] = ["Pilih paling sedikit satu lembaga yang hadir."]
    clean["agencies"] = agencies
    return clean


def _clean_decisions(texts: list[str], first_number: int, errors: dict) -> list[tuple[int, str]]:
    """(number, text) of the non-empty decisions, numbered from `first_number`; errors keyed
    `decision_<row>` (the 1-based row of `texts`)."""
    numbered = []
    for row, value in enumerate(texts, start=1):
        text = _text(value, limit=2000, label=f"Keputusan baris {row}", required=False, errors=errors, key=f"decision_{row}")
        if text:
            numbered.append((first_number + len(numbered), text))
    if first_number - 1 + len(numbered) > MAX_DECISIONS:
        errors["decisions"] = [f"Paling banyak {MAX_DECISIONS} keputusan per rapat."]
    return numbered


def _clean_items(items: list[ActionItemInput], *, meeting_day: date | None, decision_numbers: set[int], existing: int, errors: dict) -> list[dict]:
    """The non-empty action-item rows as stored; errors keyed `item_<row>_<field>`."""
    clean = []
    for row, item in enumerate(items, start=1):
        if not any(item.get(key) for key in ("title", "description", "owner", "due_on", "decision")):
            continue  # an empty row of the form
        key = f"item_{row}_"
        title = _text(item.get("title"), limit=200, label=f"Tindak lanjut baris {row}", required=True, errors=errors, key=key + "title")
        description = _text(item.get("description"), limit=4000, label=f"Uraian tindak lanjut baris {row}", required=False, errors=errors, key=key + "description")
        owner = item.get("owner")
        if not isinstance(owner, Agency):
            errors[key + "owner"] = [f"Tindak lanjut baris {row}: pilih lembaga penanggung jawab."]
        due_on = item.get("due_on")
        if not isinstance(due_on, date):
            errors[key + "due_on"] = [f"Tindak lanjut baris {row}: batas waktu wajib diisi (TTTT-BB-HH)."]
        elif meeting_day is not None and due_on < meeting_day:
            errors[key + "due_on"] = [f"Tindak lanjut baris {row}: batas waktu tidak boleh sebelum hari rapat ({meeting_day:%d-%m-%Y})."]
        number = item.get("decision")
        if number is not None and number not in decision_numbers:
            known = ", ".join(str(n) for n in sorted(decision_numbers)) or "belum ada keputusan"
            errors[key + "decision"] = [f"Tindak lanjut baris {row}: keputusan nomor {number} tidak ada ({known}); kosongkan atau pilih nomor yang ada."]
        clean.append({"title": title, "description": description, "owner": owner, "due_on": due_on, "decision": number})
    if existing + len(clean) > MAX_ACTION_ITEMS:
        errors["action_items"] = [f"Paling banyak {MAX_ACTION_ITEMS} tindak lanjut per rapat."]
    return clean


def _meeting_day(clean: dict) -> date | None:
    starts_at = clean.get("starts_at")
    if not isinstance(starts_at, datetime) or timezone.is_naive(starts_at):
        return None
    election = clean.get("election")
    region = clean.get("region")
    zone = meeting_zone(region.code if region is not None else "", election if isinstance(election, Election) else None)
    return timezone.localtime(starts_at, zone).date()


# --- Writes ------------------------------------------------------------------------------------


def _write_rows(meeting: Meeting, decisions: list[tuple[int, str]], items: list[dict]) -> list[Change]:
    """Create the decisions and items (inside the caller's transaction); their audit changes."""
    slug = meeting.election.slug if meeting.election_id else ""
    by_number = {d.order: d for d in meeting.decisions.all()}
    changes = []
    for number, text in decisions:
        decision = Decision.objects.create(meeting=meeting, order=number, text=text)
        by_number[number] = decision
        changes.append(Change("meeting.decision", "coordination.meeting", meeting.pk, str(meeting), slug, {"keputusan": [None, f"{number}. {text}"]}, meeting.region_id))
    for item in items:
        action_item = ActionItem.objects.create(
            meeting=meeting, decision=by_number.get(item["decision"]), title=item["title"], description=item["description"], owner=item["owner"], due_on=item["due_on"]
        )
        changes.append(
            Change(
                "action_item.add", "coordination.actionitem", action_item.pk, action_item.title, slug,
                {"penanggung_jawab": [None, item["owner"].slug], "batas_waktu": [None, str(item["due_on"])], "rapat": [None, meeting.pk]}, meeting.region_id,
            )
        )  # fmt: skip
    return changes


def record_meeting(
    *,
    actor: User,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    region_code: str,
    agencies: list[Agency],
    election: Election | None = None,
    other_attendees: str = "",
    minutes: str = "",
    decisions: Sequence[str] = (),
    action_items: Sequence[ActionItemInput] = (),
) -> Meeting:
    """Record a meeting in the actor's area with its decisions and action items, all or nothing;
    ValidationError names every wrong field (`item_<row>_<field>` and `decision_<row>` for rows)."""
    require(actor, Perm.MANAGE_MEETINGS)
    if actor.agency_id is None and not actor.is_superuser:
        raise PermissionDenied("Akun tanpa lembaga tidak dapat mencatat rapat.")
    errors: dict[str, list[str]] = {}
    data = {"kind": kind, "title": title, "starts_at": starts_at, "place": place, "region_code": region_code, "agencies": agencies, "election": election}
    clean = _clean_header(actor, {**data, "other_attendees": other_attendees, "minutes": minutes}, errors)
    numbered = _clean_decisions(list(decisions), 1, errors)
    items = _clean_items(list(action_items), meeting_day=_meeting_day(clean), decision_numbers={n for n, _t in numbered}, existing=0, errors=errors)
    if errors:
        raise ValidationError(errors)
    recorder = actor.agency if actor.agency_id else clean["agencies"][0]
    agencies = clean.pop("agencies")
    with transaction.atomic(durable=True):
        meeting = Meeting.objects.create(recorded_by=recorder, created_by=actor, **clean)
        meeting.agencies.set(agencies)
        slug = election.slug if election else ""
        first = Change(
            f"meeting.{meeting.kind}", "coordination.meeting", meeting.pk, str(meeting), slug,
            {"waktu": [None, _utc(meeting.starts_at)], "tempat": [None, meeting.place], "lembaga": [None, sorted(a.slug for a in agencies)]}, meeting.region_id,
        )  # fmt: skip
        record(actor=actor, changes=[first, *_write_rows(meeting, numbered, items)])
    return meeting


def update_meeting(
    *,
    actor: User,
    meeting: Meeting,
    kind: str,
    title: str,
    starts_at: datetime,
    place: str,
    region_code: str,
    agencies: list[Agency],
    election: Election | None = None,
    other_attendees: str = "",
    minutes: str = "",
    new_decisions: Sequence[str] = (),
    new_action_items: Sequence[ActionItemInput] = (),
) -> Meeting:
    """Edit a meeting (the recording agency only): its own fields, and decisions and action items
    added after the ones it has; all or nothing, audited with what changed."""
    if not may_edit(actor, meeting):
        raise PermissionDenied("Hanya lembaga pencatat rapat yang dapat mengubahnya.")
    errors: dict[str, list[str]] = {}
    data = {"kind": kind, "title": title, "starts_at": starts_at, "place": place, "region_code": region_code, "agencies": agencies, "election": election}
    clean = _clean_header(actor, {**data, "other_attendees": other_attendees, "minutes": minutes}, errors)
    have = list(meeting.decisions.values_list("order", flat=True))
    numbered = _clean_decisions(list(new_decisions), max(have, default=0) + 1, errors)
    day = _meeting_day(clean)
    items = _clean_items(
        list(new_action_items), meeting_day=day, decision_numbers={*have, *(n for n, _t in numbered)},
        existing=meeting.action_items.count(), errors=errors,
    )  # fmt: skip
    if day is not None and (early := meeting.action_items.filter(due_on__lt=day).first()):
        errors["starts_at"] = [f"Tindak lanjut '{early.title}' jatuh tempo {early.due_on:%d-%m-%Y}, sebelum hari rapat yang baru; ubah tanggal rapat."]
    if errors:
        raise ValidationError(errors)
    agencies = clean.pop("agencies")
    with transaction.atomic(durable=True):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        before = _header_values(meeting)
        for name, value in clean.items():
            setattr(meeting, name, value)
        meeting.save()
        meeting.agencies.set(agencies)
        after = _header_values(meeting) | {"lembaga": sorted(a.slug for a in agencies)}
        changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
        slug = meeting.election.slug if meeting.election_id else ""
        record(actor=actor, changes=[Change("meeting.edit", "coordination.meeting", meeting.pk, str(meeting), slug, changes, meeting.region_id), *_write_rows(meeting, numbered, items)])
    return meeting


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _header_values(meeting: Meeting) -> dict:
    return {
        "jenis": meeting.kind,
        "judul": meeting.title,
        "waktu": _utc(meeting.starts_at),
        "tempat": meeting.place,
        "wilayah": meeting.region_id,
        "pemilihan": meeting.election.slug if meeting.election_id else None,
        "peserta_lain": meeting.other_attendees,
        "notulen": meeting.minutes,
        "lembaga": sorted(meeting.agencies.values_list("slug", flat=True)) if meeting.pk else [],
    }


def update_action_item(*, actor: User, item: ActionItem, status: str, note: str = "", done_on: date | None = None, at: datetime | None = None) -> FollowUp:
    """Set an item's status and/or add a follow-up note (its owner agency, or the recording
    agency). Finishing it sets `done_on` (the local day of `at` unless given); any other status
    clears it. `at` is for the demo's follow-ups of the past. Audited."""
    meeting = item.meeting
    if not may_update(actor, item):
        raise PermissionDenied("Hanya lembaga penanggung jawab atau pencatat rapat yang dapat memperbarui tindak lanjut ini.")
    now = at or timezone.now()
    today = local_day(meeting, now)
    errors: dict[str, list[str]] = {}
    if status not in followup.STATUSES:
        errors["status"] = ["Pilih status: terbuka, berjalan, selesai, atau dibatalkan."]
    note = _text(note, limit=4000, label="Catatan tindak lanjut", required=False, errors=errors, key="note")
    if status == item.status and not note and "note" not in errors and done_on is None:
        errors["note"] = ["Tulis catatan tindak lanjut, atau ubah statusnya."]
    if status == followup.CANCELLED and status != item.status and not note:
        errors["note"] = ["Tulis alasan pembatalan."]
    if done_on is not None and status != followup.DONE:
        errors["done_on"] = ["Tanggal selesai hanya untuk status selesai."]
    elif done_on is not None and done_on > today:
        errors["done_on"] = [f"Tanggal selesai tidak boleh setelah hari ini ({today:%d-%m-%Y})."]
    elif done_on is not None and done_on < local_day(meeting, meeting.starts_at):
        errors["done_on"] = [f"Tanggal selesai tidak boleh sebelum hari rapat ({local_day(meeting, meeting.starts_at):%d-%m-%Y})."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        item = ActionItem.objects.select_for_update().get(pk=item.pk)  # one update at a time (no join: PostgreSQL locks no outer join)
        changes = {}
        if status != item.status:
            changes["status"] = [item.status, status]
        new_done_on = (done_on or item.done_on or today) if status == followup.DONE else None
        if new_done_on != item.done_on:
            changes["selesai_pada"] = [str(item.done_on) if item.done_on else None, str(new_done_on) if new_done_on else None]
        if note:
            changes["catatan"] = [None, note]
        item.status, item.done_on = status, new_done_on
        item.save(update_fields=["status", "done_on"])
        follow_up = FollowUp.objects.create(action_item=item, note=note, status=status if "status" in changes else "", author=actor, agency=actor.agency or item.owner, at=now)
        slug = meeting.election.slug if meeting.election_id else ""
        record(actor=actor, changes=[Change("action_item.update", "coordination.actionitem", item.pk, item.title, slug, changes, meeting.region_id)])
    return follow_up
