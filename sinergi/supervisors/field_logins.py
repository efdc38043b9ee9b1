"""Field sign-in codes of the PTPS (docs/supervisors.md, "Field sign-in codes"): issuing one for
every active PTPS post without one, a post's code for printing or SMS, signing in with it, and
revoking it (a lost phone; a replacement revokes the old PTPS's).

**The code is never stored.** It is the HMAC, under the server's SECRET_KEY, of a random nonce
kept on the row (`FieldLogin.nonce`), written in `field_codes`' alphabet. So the server can print
the same code again (a surat tugas printed twice carries the same QR code, and so do the
invitation, the slip and the SMS), while a copy of the database alone — a backup, a dump —
reveals no code: that needs the key, which lives outside the database. A typed code is found by
`digest`, a second keyed hash. After a SECRET_KEY rotation the old key stays in
SECRET_KEY_FALLBACKS and every code keeps working and printing; once an old key is dropped, the
codes made under it no longer sign in and must be issued again (revoke, then issue).
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from sinergi.accounts.models import Agency, ApiToken, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.regions.codes import is_within
from sinergi.regions.queries import within
from sinergi.supervisors import field_codes
from sinergi.supervisors.models import Assignment, FieldLogin, Supervisor
from sinergi.supervisors.queries import eligible_posts, without_code

_CODE_SALT = "sinergi.supervisors.field_code"
_DIGEST_SALT = "sinergi.supervisors.field_code.digest"
REFUSED = "Kode tidak dikenal atau sudah tidak berlaku. Periksa kode pada surat tugas, undangan atau SMS; bila ponsel hilang atau Anda pengganti, minta kode baru kepada Bawaslu."


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def _derive(nonce: str, key: str) -> str:
    return field_codes.code_from_bytes(salted_hmac(_CODE_SALT, nonce, secret=key, algorithm="sha256").digest())


def _digest(code: str, key: str) -> str:
    return salted_hmac(_DIGEST_SALT, code, secret=key, algorithm="sha256").hexdigest()


def code_of(login: FieldLogin) -> str | None:
    """The code of `login` as printed ("7KQ2M-XH9TA"), from its nonce and the key it was made
    under; None when that key is no longer configured (the code must be issued again)."""
    for key in _keys():
        code = _derive(login.nonce, key)
        if constant_time_compare(_digest(code, key), login.digest):
            return field_codes.grouped(code)
    return None


def _new_login(assignment: Assignment, actor: User | None) -> FieldLogin:
    nonce = secrets.token_hex(16)
    return FieldLogin(assignment=assignment, nonce=nonce, digest=_digest(_derive(nonce, settings.SECRET_KEY), settings.SECRET_KEY), issued_by=actor)


def _check_area(actor: User | None, region_code: str) -> None:
    if actor is not None and actor.area_code is not None and not is_within(region_code, actor.area_code):
        raise PermissionDenied("PTPS ini di luar wilayah Anda.")


def _label(post: Assignment) -> str:
    return f"PTPS TPS {post.station.number} {post.station.village.name} · {post.supervisor.name}"


def _field_account(post: Assignment, pkd: Agency) -> tuple[User, Change]:
    """A new account for the PTPS of `post`: a field account of its village's PKD, with no usable
    password (it signs in with its code only), tied to the roster entry."""
    supervisor = post.supervisor
    user = User(username=f"ptps-{supervisor.pk}", agency=pkd, role=User.Role.FIELD, first_name=supervisor.name)
    user.set_unusable_password()
    user.save()
    Supervisor.objects.filter(pk=supervisor.pk).update(user=user)
    supervisor.user = user
    change = Change("user.save", "accounts.user", user.pk, user.username, post.election.slug, {"agency": [None, pkd.pk], "role": [None, User.Role.FIELD], "full_name": [None, supervisor.name]}, pkd.region_id)
    return user, change


def _issue(actor: User | None, posts: list[Assignment]) -> tuple[list[FieldLogin], list[Change]]:
    """Inside a transaction: a code (and, when missing, an account) for each of `posts`, which have
    none. All or nothing: a village without a PKD agency (whose field account a PTPS is) refuses
    the whole run, naming each such village."""
    if not posts:
        return [], []
    villages = {post.station.village_id for post in posts if post.supervisor.user_id is None}
    pkds = {agency.region_id: agency for agency in Agency.objects.filter(kind=Agency.Kind.PKD, region_id__in=villages)}
    missing = sorted({(post.station.village_id, post.station.village.name) for post in posts if post.supervisor.user_id is None and post.station.village_id not in pkds})
    if missing:
        raise ValidationError(
            [f"Desa/kelurahan {name} ({code}) belum punya lembaga PKD di Sinergi; akun PTPS adalah akun PKD desanya. Buat lembaganya lebih dulu, lalu ulangi." for code, name in missing]
        )
    changes = []
    for post in posts:
        if post.supervisor.user_id is None:
            changes.append(_field_account(post, pkds[post.station.village_id])[1])
    # Both databases return the ids of a bulk insert (PostgreSQL, SQLite ≥ 3.35), in order.
    logins = FieldLogin.objects.bulk_create([_new_login(post, actor) for post in posts])
    for post, login in zip(posts, logins, strict=True):
        login.assignment = post
        changes.append(Change("field_login.issue", "supervisors.fieldlogin", login.pk, _label(post), post.election.slug, {"kode": [None, "dibuat"]}, post.region_id))
    return logins, changes


def _locked(posts: QuerySet[Assignment]) -> list[Assignment]:
    # Locked, then read again without a live code: two people issuing at once make one code each.
    ids = list(posts.values_list("pk", flat=True))
    locked = Assignment.objects.select_for_update(of=("self",)).filter(pk__in=ids, status__in=Assignment.ACTIVE)
    return list(without_code(locked).select_related("supervisor__user", "station__village__parent", "election").order_by("region_id", "station__number"))


@dataclass(frozen=True)
class Issued:
    post: Assignment
    code: str


def issue_codes(*, actor: User | None, election: Election) -> list[Issued]:
    """A code for every active PTPS of the actor's area that has none (those with one keep it);
    returns the new ones with their codes. Idempotent: a second run issues nothing."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    with transaction.atomic(durable=True):
        logins, changes = _issue(actor, _locked(without_code(eligible_posts(actor, election))))
        record(actor=actor, changes=changes)
    return [Issued(login.assignment, code_of(login)) for login in logins]


def codes_for(*, actor: User | None, election: Election, posts: QuerySet[Assignment], purpose: str) -> dict[int, str]:
    """Post id -> code, for printing `purpose` (a surat tugas, invitations, slips): the live code
    of each active PTPS post among `posts`, issued first where there is none. Every code handed
    out is an audit event (a code is a secret, like a NIK read in full)."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    area = actor.area_code if actor is not None else None
    ptps = posts.filter(within("region__code", area), role=Assignment.Role.PTPS, status__in=Assignment.ACTIVE, election=election)
    with transaction.atomic(durable=True):
        _logins, changes = _issue(actor, _locked(without_code(ptps)))
        live = FieldLogin.objects.filter(assignment__in=ptps, revoked_at__isnull=True).select_related("assignment__station__village", "assignment__supervisor")
        codes = {}
        for login in live:
            code = code_of(login)
            if code is None:
                continue  # made under a key no longer configured: revoke it and issue again
            codes[login.assignment_id] = code
            changes.append(Change("field_login.print", "supervisors.fieldlogin", login.pk, _label(login.assignment), election.slug, {"dokumen": [None, purpose]}, login.assignment.region_id))
        record(actor=actor, changes=changes)
    return codes


def _end_sign_ins(user: User) -> None:
    """Every sign-in of `user` ends at its next request: a new (unusable) password changes the
    hash each session was signed in with, which Django checks on every request; its API tokens go.
    A password it had goes too: a lost phone may have kept it."""
    user.set_unusable_password()
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()


def revoke_in_transaction(*, actor: User | None, post: Assignment, reason: str) -> list[Change]:
    """Inside the caller's transaction: the post's live code revoked and its PTPS's sign-ins ended
    (also for a PTPS that signs in with a password). The changes to record; none when there was
    nothing to revoke."""
    now = timezone.now()
    changes = []
    login = FieldLogin.objects.select_for_update(of=("self",)).filter(assignment=post, revoked_at__isnull=True).order_by().first()
    if login is not None:
        login.revoked_at, login.revoked_by, login.revoke_reason = now, actor, reason[:200]
        login.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        changes.append(Change("field_login.revoke", "supervisors.fieldlogin", login.pk, _label(post), post.election.slug, {"alasan": [None, reason[:200]]}, post.region_id))
    user = User.objects.filter(supervisor__pk=post.supervisor_id).first()
    if user is not None:
        _end_sign_ins(user)
        changes.append(Change("user.sign_ins_ended", "accounts.user", user.pk, user.username, post.election.slug, {"alasan": [None, reason[:200]]}, post.region_id))
    return changes


def revoke_code(*, actor: User | None, post: Assignment, reason: str) -> None:
    """Revoke a PTPS's code (a lost phone): it no longer signs in, and every sign-in made with it
    ends. A new code can then be issued for the same post."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    _check_area(actor, post.region_id)
    if not reason.strip():
        raise ValidationError("Isi alasan pencabutan, misalnya: ponsel hilang.")
    with transaction.atomic(durable=True):
        if not FieldLogin.objects.filter(assignment=post, revoked_at__isnull=True).exists():
            raise ValidationError("PTPS ini tidak punya kode masuk yang berlaku.")
        record(actor=actor, changes=revoke_in_transaction(actor=actor, post=post, reason=reason.strip()))


def queue_sms(*, actor: User | None, election: Election, posts: QuerySet[Assignment], sign_in_url: str, only_unsent: bool) -> int:
    """Send the live code of each of `posts` that has one, to its PTPS's phone, in the background
    (supervisors/tasks.py, after this commits); how many were queued. `only_unsent`: skip the
    codes already sent. `sign_in_url`: the full address of the field sign-in page."""
    from sinergi.supervisors.tasks import send_field_code

    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
    area = actor.area_code if actor is not None else None
    with transaction.atomic(durable=True):
        logins = FieldLogin.objects.select_for_update(of=("self",)).filter(
            within("assignment__region__code", area), assignment__in=posts, assignment__election=election, assignment__status__in=Assignment.ACTIVE, revoked_at__isnull=True
        )
        if only_unsent:
            logins = logins.filter(sms_sent_at__isnull=True)
        logins = [login for login in logins.select_related("assignment__supervisor", "assignment__station__village") if login.assignment.supervisor.phone]
        now = timezone.now()
        FieldLogin.objects.filter(pk__in=[login.pk for login in logins]).update(sms_queued_at=now, sms_sent_at=None, sms_error="")
        record(actor=actor, changes=[Change("field_login.sms", "supervisors.fieldlogin", login.pk, _label(login.assignment), election.slug, {"sms": [None, "antre"]}, login.assignment.region_id) for login in logins])
        for login in logins:
            transaction.on_commit(lambda pk=login.pk: send_field_code.enqueue(pk, sign_in_url))
    return len(logins)


def sign_in(*, code: str) -> User | None:
    """The PTPS account a typed code signs in, or None (refused: unknown, revoked, a post no
    longer active, a deactivated account). Both are audited — never the code."""
    typed = field_codes.normalize(code)
    digests = [_digest(typed, key) for key in _keys()] if typed else []
    with transaction.atomic(durable=True):
        login = (
            FieldLogin.objects.filter(digest__in=digests).select_related("assignment__supervisor__user__agency", "assignment__station__village", "assignment__election").first()
            if digests
            else None
        )
        post = login.assignment if login else None
        user = post.supervisor.user if post else None
        valid = login is not None and login.revoked_at is None and post.status in Assignment.ACTIVE and user is not None and user.is_active
        if not valid:
            # A revoked code tried again (a lost phone in someone's hands) is named, for its administrators.
            change = Change("field_login.failed", "supervisors.fieldlogin", login.pk if login else "", _label(post) if post else "", post.election.slug if post else "", {"dicabut": [None, bool(login and login.revoked_at)]}, post.region_id if post else "", by=(None, "anonim", ""))
            record(actor=None, changes=[change])
            return None
        login.signed_in_at = timezone.now()
        login.save(update_fields=["signed_in_at"])
        record(actor=user, changes=[Change("user.sign_in", "accounts.user", user.pk, user.username, post.election.slug, {"cara": [None, "kode lapangan"]}, post.region_id)])
    return user
