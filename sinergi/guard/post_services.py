"""Writes of voting day's guard posts: fixing the plan into posts (a stable identity across re-fixes),
officers assigned and moved, check-ins from a phone (docs/risk-and-guard.md, "Voting-day posts")."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.guard.fixing import match, next_codes, station_key
from sinergi.guard.models import Formation, GuardOfficer, GuardPost, OfficerMove, PostCheckIn
from sinergi.guard.post_queries import may_act_on_post
from sinergi.guard.queries import polseks_by_kecamatan, posts_for
from sinergi.guard.services import check_polres
from sinergi.regions.queries import within
from sinergi.supervisors.reports import conflict  # the field apps' one wording of a reused id


@dataclass
class FixResult:
    created: list[str] = field(default_factory=list)  # codes of new posts
    kept: list[str] = field(default_factory=list)  # codes of posts whose TPS did not change
    updated: list[str] = field(default_factory=list)  # kept posts whose number, class, police or Linmas changed
    retired: list[str] = field(default_factory=list)  # codes of posts the plan no longer has
    without_polsek: int = 0  # planned posts in a kecamatan no Polsek answers for: not fixed

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.retired)

    def summary(self) -> str:
        text = f"{len(self.created)} pos baru, {len(self.kept)} pos tetap ({len(self.updated)} diubah jumlah/kelasnya), {len(self.retired)} pos tidak dipakai lagi."
        if self.without_polsek:
            text += f" {self.without_polsek} pos tidak ditetapkan karena kecamatannya tanpa Polsek."
        return text


def _planner(polres: Agency) -> User:
    """Who the plan is computed as: an unsaved staff account of the Polres, which sees exactly the
    Polres's area — never the actor's own view (a narrower one would retire the posts outside it);
    the actor's right to fix is checked separately."""
    return User(username=f"sistem-{polres.slug}", agency=polres, role=User.Role.STAFF, is_active=True)


def fix_plan(*, actor: User | None, election: Election, polres: Agency, now: datetime | None = None) -> FixResult:
    """Fix ("tetapkan") the Polres's guard plan for `election` into posts. Idempotent: a re-fix
    with nothing changed writes nothing; a post over the same TPS keeps its code, officers and
    check-ins; a post whose TPS changed is retired and a new one made. Audited."""
    check_polres(actor, polres)
    if polres.kind != Agency.Kind.POLRES:
        raise ValidationError(f"{polres} bukan Polres: rencana pengamanan ditetapkan oleh Polres.")
    now = now or timezone.now()
    plan, _classes, _uncovered = posts_for(_planner(polres), election, polres.region_id)
    seats = {polsek.region_id: polsek for polsek in polseks_by_kecamatan(polres.region_id).values()}
    result = FixResult()
    planned = [post for post in plan.posts if post.kecamatan_code in seats]
    result.without_polsek = len(plan.posts) - len(planned)
    keys = [station_key(post.station_ids) for post in planned]
    # A post is the same post when the same Polsek guards the same TPS: a kecamatan handed to
    # another Polsek gets new posts (the old Polsek's are retired with their history).
    identities = [f"{seats[post.kecamatan_code].pk}:{key}" for post, key in zip(planned, keys, strict=True)]
    with transaction.atomic(durable=True):
        # One fix of a Polres at a time: the formation row is the lock (no formation, no plan).
        Formation.objects.select_for_update().filter(election=election, agency=polres).first()
        # Every post in force in the Polres's area, also of a Polsek that now guards no kecamatan.
        in_area = GuardPost.objects.select_for_update().filter(within("polsek__region__code", polres.region_id), election=election, retired_at__isnull=True)
        fixed = {p.pk: p for p in in_area}
        matching = match({pk: f"{p.polsek_id}:{p.station_key}" for pk, p in fixed.items()}, identities)
        for index, pk in matching.kept.items():
            post, wanted = fixed[pk], planned[index]
            result.kept.append(post.code)
            values = {"number": wanted.number, "level": wanted.level, "police": wanted.police, "linmas": wanted.linmas}
            if any(getattr(post, name) != value for name, value in values.items()):
                GuardPost.objects.filter(pk=pk).update(**values)
                result.updated.append(post.code)
        if matching.retired:
            GuardPost.objects.filter(pk__in=matching.retired).update(retired_at=now)
            result.retired = sorted(fixed[pk].code for pk in matching.retired)
        by_polsek: dict[int, list[int]] = {}
        for index in matching.new:
            by_polsek.setdefault(seats[planned[index].kecamatan_code].pk, []).append(index)
        Through = GuardPost.stations.through
        links = []
        for polsek_pk, indexes in sorted(by_polsek.items()):
            polsek = next(p for p in seats.values() if p.pk == polsek_pk)
            used = GuardPost.objects.filter(election=election, code__startswith=polsek.region_id + "/").values_list("code", flat=True)
            for index, code in zip(indexes, next_codes(polsek.region_id, used, len(indexes)), strict=True):
                wanted = planned[index]
                post = GuardPost.objects.create(
                    election=election, polsek=polsek, code=code, number=wanted.number, level=wanted.level, station_key=keys[index],
                    police=wanted.police, linmas=wanted.linmas, fixed_at=now,
                )  # fmt: skip
                links += [Through(guardpost_id=post.pk, station_id=sid) for sid in wanted.station_ids]
                result.created.append(code)
        Through.objects.bulk_create(links)
        if result.changed:
            changes = {"pos_baru": [None, len(result.created)], "pos_diubah": [None, result.updated], "pos_dihentikan": [None, result.retired]}
            record(
                actor=actor, changes=[Change("guard.fix_plan", "guard.guardpost", "", f"Rencana pos {polres.name}", election.slug, changes, polres.region_id)]
            )
    return result


def _check_post(actor: User | None, perm: Perm, post: GuardPost) -> None:
    if actor is None:
        return
    require(actor, perm)
    if not may_act_on_post(actor, post):
        raise PermissionDenied(f"Pos {post.number} ({post.code}) milik {post.polsek.name}, bukan pos Anda.")


def _officer_errors(post: GuardPost, name: str, nrp: str, user: User | None, taken: set[str]) -> list[str]:
    errors = []
    if not name or len(name) > 150:
        errors.append("Nama petugas wajib diisi, paling panjang 150 karakter.")
    if not nrp.isdigit() or not 6 <= len(nrp) <= 20:
        errors.append("NRP diisi angka saja (6 sampai 20 digit).")
    if user is not None and (user.agency_id != post.polsek_id or user.role != User.Role.FIELD):
        errors.append(f"Akun {user.username} bukan akun petugas lapangan {post.polsek.name}.")
    if post.retired_at is not None:
        errors.append(f"Pos {post.code} tidak dipakai lagi; tugaskan petugas ke pos yang berlaku.")
    if nrp in taken:
        errors.append(f"NRP {nrp} sudah ditugaskan di pos lain pada pemilihan ini; pindahkan petugasnya dari sana.")
    return errors


def assign_officers(*, actor: User | None, assignments: list[tuple[GuardPost, str, str, User | None]]) -> list[GuardOfficer]:
    """Assign officers to posts, all or none: (post, name, NRP, the Polsek's field account the
    officer signs in with or None) each. The Kapolsek for the Polsek's posts, the Polres for its
    area's. An NRP serves at one post of an election. Audited, one event per officer."""
    for post, *_ in assignments:
        _check_post(actor, Perm.MOVE_OFFICERS, post)
    elections = {post.election_id for post, *_ in assignments}
    taken = set(GuardOfficer.objects.filter(post__election__in=elections).values_list("nrp", flat=True))
    errors, rows = [], []
    for post, name, nrp, user in assignments:
        name, nrp = name.strip(), nrp.strip()
        errors += _officer_errors(post, name, nrp, user, taken)
        taken.add(nrp)
        rows.append(GuardOfficer(post=post, name=name, nrp=nrp, user=user))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        officers = [GuardOfficer.objects.create(post=o.post, name=o.name, nrp=o.nrp, user=o.user) for o in rows]
        changes = [
            Change(
                "guard.assign_officer",
                "guard.guardofficer",
                o.pk,
                str(o),
                o.post.election.slug,
                {"pos": [None, o.post.code], "akun": [None, o.user.username if o.user else ""]},
                o.post.polsek.region_id,
            )
            for o in officers
        ]
        record(actor=actor, changes=changes)
    return officers


def assign_officer(*, actor: User | None, post: GuardPost, name: str, nrp: str, user: User | None = None) -> GuardOfficer:
    """One officer to one post (`assign_officers`)."""
    return assign_officers(actor=actor, assignments=[(post, name, nrp, user)])[0]


def move_officer(*, actor: User | None, officer: GuardOfficer, to_post: GuardPost, reason: str = "", now: datetime | None = None) -> OfficerMove:
    """Move an officer to another post of the same Polsek; the plan keeps the move (from, to,
    who, when). Audited."""
    from_post = officer.post
    _check_post(actor, Perm.MOVE_OFFICERS, from_post)
    errors = []
    if to_post.pk == from_post.pk:
        errors.append("Petugas sudah di pos ini; pilih pos lain.")
    if to_post.election_id != from_post.election_id or to_post.polsek_id != from_post.polsek_id:
        errors.append(f"Petugas hanya dapat dipindah antarpos {from_post.polsek.name}.")
    if to_post.retired_at is not None:
        errors.append(f"Pos {to_post.code} tidak dipakai lagi; pilih pos yang berlaku.")
    if len(reason) > 300:
        errors.append("Alasan paling panjang 300 karakter.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        locked = GuardOfficer.objects.select_for_update().get(pk=officer.pk)
        if locked.post_id != from_post.pk:
            raise ValidationError("Petugas ini baru saja dipindah oleh pengguna lain; muat ulang halaman.")
        GuardOfficer.objects.filter(pk=officer.pk).update(post=to_post)
        move = OfficerMove.objects.create(
            officer=officer, from_post=from_post, to_post=to_post, moved_by=actor, moved_at=now or timezone.now(), reason=reason.strip()
        )
        change = Change(
            "guard.move_officer",
            "guard.guardofficer",
            officer.pk,
            str(officer),
            from_post.election.slug,
            {"pos": [from_post.code, to_post.code], "alasan": [None, reason.strip()]},
            from_post.polsek.region_id,
        )
        record(actor=actor, changes=[change])
    officer.post = to_post
    return move


CHECK_IN_FIELDS = {"post_id": "pos", "kind": "jenis", "at": "waktu", "linmas_present": "Linmas hadir", "police_present": "polisi hadir", "notes": "catatan"}


def check_in(
    *, actor: User, post: GuardPost, client_id: uuid.UUID, at: datetime, kind: str = PostCheckIn.Kind.ARRIVAL, latitude: float | None = None,
    longitude: float | None = None, linmas_present: int | None = None, police_present: int | None = None, notes: str = "",
) -> tuple[PostCheckIn, bool]:  # fmt: skip
    """An officer's arrival at a post, or a patrol note, sent from a phone; stored once per
    `client_id` (the same id again answers with what is stored; another content under it is a
    conflict). Only at a post of the officer's own Polsek (the Polres: of its area). Audited."""
    _check_post(actor, Perm.CHECK_IN_POSTS, post)
    notes = notes.strip()
    given = {"post_id": post.pk, "kind": kind, "at": at, "linmas_present": linmas_present, "police_present": police_present, "notes": notes}

    def stored() -> PostCheckIn | None:
        existing = PostCheckIn.objects.filter(client_id=client_id).first()
        if existing is not None:
            kept = {name: getattr(existing, name) for name in CHECK_IN_FIELDS}
            if (error := conflict("laporan pos", client_id, CHECK_IN_FIELDS, kept, given)) is not None:
                raise error
        return existing

    if (existing := stored()) is not None:
        return existing, False
    errors = []
    if kind not in PostCheckIn.Kind.values:
        errors.append(f"Jenis '{kind}' tidak dikenal; pilih: {', '.join(PostCheckIn.Kind.values)}.")
    if post.retired_at is not None:
        errors.append(f"Pos {post.code} tidak dipakai lagi sejak rencana ditetapkan ulang; lapor di pos yang berlaku.")
    if (latitude is None) != (longitude is None) or (latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180)):
        errors.append("Posisi (latitude, longitude) diisi keduanya dalam derajat, atau dikosongkan.")
    if kind == PostCheckIn.Kind.PATROL and not notes:
        errors.append("Catatan patroli wajib diisi.")
    if len(notes) > 4000 or "\x00" in notes:
        errors.append("Catatan paling panjang 4.000 karakter.")
    if at > timezone.now() + timedelta(minutes=10):
        errors.append("Waktu laporan di masa depan: periksa jam ponsel.")
    if errors:
        raise ValidationError(errors)
    officer = GuardOfficer.objects.filter(post=post, user=actor).first()
    try:
        with transaction.atomic(durable=True):
            row = PostCheckIn.objects.create(
                post=post, client_id=client_id, kind=kind, officer=officer, by=actor, at=at, latitude=latitude, longitude=longitude,
                linmas_present=linmas_present, police_present=police_present, notes=notes,
            )  # fmt: skip
            change = Change(
                f"guard.check_in.{kind}",
                "guard.postcheckin",
                row.pk,
                f"{post} {kind}",
                post.election.slug,
                {"pos": [None, post.code], "linmas_hadir": [None, linmas_present]},
                post.polsek.region_id,
            )
            record(actor=actor, changes=[change])
    except IntegrityError:
        if (existing := stored()) is None:
            raise
        return existing, False
    return row, True
