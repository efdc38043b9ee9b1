"""Writes to agencies, users and API tokens."""

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import NATIONAL_KINDS, Agency, ApiToken, PolsekCoverage, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region

TOKEN_PREFIX = "sng_"
# The level of the region each kind of agency serves: the area its users see by default. A
# Panwascam, a Polsek and a PPK serve a kecamatan, a PKD and a PPS a village, every other agency a
# kabupaten/kota.
AGENCY_LEVEL = {
    Agency.Kind.PANWASCAM: codes.KECAMATAN,
    Agency.Kind.POLSEK: codes.KECAMATAN,
    Agency.Kind.PPK: codes.KECAMATAN,
    Agency.Kind.PKD: codes.VILLAGE,
    Agency.Kind.PPS: codes.VILLAGE,
    Agency.Kind.BAWASLU_PROVINSI: codes.PROVINCE,
    Agency.Kind.POLDA: codes.PROVINCE,
    Agency.Kind.KPU_PROVINSI: codes.PROVINCE,
}


def token_digest(raw: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


def ensure_agency(*, actor: User | None, slug: str, kind: str, name: str, region_code: str | None) -> Agency:
    """Create or update the agency `slug`; audited only when something changed. A national body
    (Bawaslu RI, Polri, KPU RI) has no region: `region_code` None."""
    if actor is not None:
        require(actor, Perm.MANAGE_ACCOUNTS)
    region = Region.objects.filter(code=region_code).first() if region_code is not None else None
    if region is None and region_code is not None:
        raise ValidationError(f"Wilayah {region_code} tidak ada.")
    check_agency_region(kind=kind, region=region)
    with transaction.atomic(durable=True):
        agency = Agency.objects.filter(slug=slug).first()
        wanted = {"kind": kind, "name": name, "region": region_code}
        before = {"kind": agency.kind, "name": agency.name, "region": agency.region_id} if agency else {}
        if agency is None:
            agency = Agency.objects.create(slug=slug, kind=kind, name=name, region_id=region_code)
        elif before != wanted:
            agency.kind, agency.name, agency.region_id = kind, name, region_code
            agency.save()
        else:
            return agency
        record(actor=actor, changes=[Change("agency.save", "accounts.agency", agency.pk, name, changes=diff(before, wanted), region=region_code)])
    return agency


def coverage_change(*, kecamatan: Region, polsek: Agency) -> Change | None:
    """Let `polsek` guard `kecamatan` (its own Polsek: the kecamatan's row goes), checked; the audit
    change, or None when nothing changed. Inside the caller's transaction.

    No chains: a Polsek whose own kecamatan another Polsek guards covers nothing, and a kecamatan
    whose Polsek still covers others is not handed over before those are."""
    if kecamatan.level != codes.KECAMATAN:
        raise ValidationError(f"{kecamatan.code} ({kecamatan.name}) bukan kecamatan: pilih kode kecamatan, misalnya 51.05.01.")
    if polsek.kind != Agency.Kind.POLSEK:
        raise ValidationError(f"{polsek.name} bukan Polsek.")
    if codes.parent_of(polsek.region_id) != kecamatan.parent_id:
        raise ValidationError(f"{polsek.name} berada di kabupaten/kota lain: Kecamatan {kecamatan.name} hanya dapat dijaga Polsek kabupaten/kotanya sendiri.")
    current = PolsekCoverage.objects.select_related("polsek").filter(kecamatan=kecamatan).first()
    own = polsek.region_id == kecamatan.code
    if not own:
        seat = PolsekCoverage.objects.select_related("polsek").filter(kecamatan_id=polsek.region_id).first()
        if seat is not None:
            raise ValidationError(f"Kecamatan {polsek.region.name} sendiri dijaga {seat.polsek.name}: {polsek.name} tidak dapat menjaga kecamatan lain. Pilih {seat.polsek.name}.")
        still = [c.kecamatan.name for c in PolsekCoverage.objects.select_related("kecamatan").filter(polsek__region_id=kecamatan.code)]
        if still:
            raise ValidationError(f"Polsek Kecamatan {kecamatan.name} masih menjaga Kecamatan {', '.join(still)}: serahkan kecamatan itu ke Polsek lain lebih dulu.")
    if (own and current is None) or (not own and current is not None and current.polsek_id == polsek.pk):
        return None
    before, after = (current.polsek.name if current else None), (None if own else polsek.name)
    if own:
        current.delete()
    else:
        PolsekCoverage.objects.update_or_create(kecamatan=kecamatan, defaults={"polsek": polsek})
    # None on either side: the kecamatan's own Polsek.
    return Change("polsek_coverage.save", "accounts.polsekcoverage", kecamatan.code, f"Kecamatan {kecamatan.name}", changes={"polsek": [before, after]}, region=kecamatan.code)


def set_polsek_coverage(*, actor: User | None, kecamatan_code: str, polsek: Agency) -> bool:
    """Let `polsek` guard the kecamatan `kecamatan_code` (the Polres's administrators, inside their
    area; the kecamatan's own Polsek takes it back); audited. Whether anything changed."""
    if actor is not None:
        require(actor, Perm.MANAGE_POLSEK_AREAS)
        area = actor.area_code
        if area is not None and not (is_within(kecamatan_code, area) and is_within(polsek.region_id, area)):
            raise PermissionDenied("Kecamatan atau Polsek ini di luar wilayah Anda.")
    kecamatan = Region.objects.filter(code=kecamatan_code).first()
    if kecamatan is None:
        raise ValidationError(f"Wilayah {kecamatan_code} tidak ada.")
    with transaction.atomic(durable=True):
        change = coverage_change(kecamatan=kecamatan, polsek=polsek)
        if change is None:
            return False
        record(actor=actor, changes=[change])
    return True


def check_agency_region(*, kind: str, region: Region | None) -> None:
    """Refuse a region of the wrong level for the kind of agency (a Polsek serves a kecamatan, a
    Polda a province), and a region for a national body or none for any other; shared by
    `ensure_agency` and the operator's admin (audit/admin_site.py)."""
    if kind in NATIONAL_KINDS:
        if region is not None:
            raise ValidationError(f"{Agency.Kind(kind).label} adalah lembaga nasional: kosongkan wilayahnya.")
        return
    if region is None:
        raise ValidationError(f"{Agency.Kind(kind).label} memerlukan wilayah.")
    level = AGENCY_LEVEL.get(kind, codes.DISTRICT)
    if region.level != level:
        raise ValidationError(
            f"{Agency.Kind(kind).label} berkedudukan di tingkat {Region.Level(level).label}, bukan {Region.Level(region.level).label} ({region.code} {region.name})."
        )


def check_user_area(*, agency: Agency | None, area: Region | None) -> None:
    """A user's narrower area lies inside the agency's region (and needs an agency)."""
    if area is None:
        return
    if agency is None:
        raise ValidationError(f"Wilayah pengguna {area.code} hanya dapat diisi bila lembaganya diisi.")
    if agency.region_id is not None and not is_within(area.code, agency.region_id):
        raise ValidationError(f"Wilayah pengguna {area.code} harus berada di dalam wilayah lembaganya ({agency.region_id}).")


def set_agency_contact(*, actor: User | None, agency: Agency, address: str | None = None, phone: str | None = None, email: str | None = None) -> Agency:
    """Set the office's address, telephone and/or e-mail printed on its letterhead (None leaves a
    field as it is, "" clears it); checked whole, audited when something changed."""
    if actor is not None:
        require(actor, Perm.MANAGE_ACCOUNTS)
    wanted = {name: value.strip() for name, value in (("address", address), ("phone", phone), ("email", email)) if value is not None}
    errors = {}
    limits = {"address": Agency._meta.get_field("address").max_length, "phone": Agency._meta.get_field("phone").max_length}
    for name, limit in limits.items():
        if len(wanted.get(name, "")) > limit:
            errors[name] = [f"Paling panjang {limit} karakter."]
    if wanted.get("email"):
        try:
            validate_email(wanted["email"])
        except ValidationError:
            errors["email"] = ["Alamat surel tidak sah: tulis seperti nama@contoh.go.id."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = Agency.objects.select_for_update().get(pk=agency.pk)
        before = {name: getattr(current, name) for name in wanted}
        if before == wanted:
            return current
        for name, value in wanted.items():
            setattr(current, name, value)
        current.save(update_fields=list(wanted))
        record(actor=actor, changes=[Change("agency.contact", "accounts.agency", current.pk, current.name, changes=diff(before, wanted), region=current.region_id)])
    return current


def ensure_user(
    *,
    actor: User | None,
    username: str,
    agency: Agency,
    role: str,
    full_name: str,
    password: str,
    area_code: str | None = None,
    email: str | None = None,
) -> User:
    """Create the user if missing (with `password`), else bring agency/role/name/area (and the
    e-mail address, when given: where a password-reset link goes) in line.

    An existing user's password is left alone: re-running the demo must not undo a change.
    """
    if actor is not None:
        require(actor, Perm.MANAGE_ACCOUNTS)
    if area_code is not None and agency.region_id is not None and not is_within(area_code, agency.region_id):
        raise ValidationError(f"Wilayah pengguna {area_code} harus berada di dalam wilayah lembaganya ({agency.region_id}).")
    with transaction.atomic(durable=True):
        user = User.objects.filter(username=username).first()
        wanted = {"agency": agency.pk, "role": role, "full_name": full_name, "area": area_code}
        if email is not None:
            wanted["email"] = User.objects.normalize_email(email)
        if user is None:
            user = User(username=username, agency=agency, role=role, first_name=full_name, area_id=area_code, email=wanted.get("email", ""))
            user.set_password(password)
            user.save()
            before = {}
        else:
            before = {"agency": user.agency_id, "role": user.role, "full_name": user.first_name, "area": user.area_id}
            if email is not None:
                before["email"] = user.email
            if before == wanted:
                return user
            user.agency, user.role, user.first_name, user.area_id = agency, role, full_name, area_code
            user.email = wanted.get("email", user.email)
            user.save()
        record(actor=actor, changes=[Change("user.save", "accounts.user", user.pk, username, changes=diff(before, wanted), region=agency.region_id)])
    return user


def change_password(*, user: User, new_password: str) -> None:
    with transaction.atomic(durable=True):
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=user, changes=[Change("user.password_change", "accounts.user", user.pk, user.username, region=user.agency.region_id if user.agency_id else "")])


def reset_password(*, user: User, new_password: str) -> None:
    """The new password of a reset by e-mail (the link proved the address): the user is the actor."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        record(actor=user, changes=[Change("user.password_reset", "accounts.user", user.pk, user.username, region=_region_of(user))])


def _region_of(user: User) -> str:
    return user.agency.region_id if user.agency_id else ""


@transaction.atomic
def record_sign_in(*, user: User) -> None:
    """A successful sign-in on the web (the API's bearer tokens are not sign-ins)."""
    record(actor=user, changes=[Change("user.sign_in", "accounts.user", user.pk, user.username, region=_region_of(user))])


@transaction.atomic
def record_sign_out(*, user: User) -> None:
    record(actor=user, changes=[Change("user.sign_out", "accounts.user", user.pk, user.username, region=_region_of(user))])


@transaction.atomic
def record_failed_sign_in(*, username: str, locked_out: bool) -> None:
    """A refused sign-in: wrong password, unknown or inactive account, or one locked by django-axes
    (`locked_out`). Nobody is signed in, so there is no actor; the username tried is kept (never
    the password), and the account's region when it exists, so that its administrators see it."""
    username = username[:150]
    user = User.objects.select_related("agency").filter(username=username).first()
    change = Change(
        "user.sign_in_failed",
        "accounts.user",
        user.pk if user else "",
        username,
        changes={"username": [None, username], "locked_out": [None, locked_out]},
        region=_region_of(user) if user else "",
        by=(None, "anonim", ""),
    )
    record(actor=None, changes=[change])


def create_token(*, actor: User | None, user: User, name: str = "") -> str:
    """Create an API token for `user` and return it; only its digest is kept."""
    if actor is not None and actor != user:
        require(actor, Perm.MANAGE_ACCOUNTS)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(user=user, name=name, digest=token_digest(raw), prefix=raw[:10])
        record(
            actor=actor,
            changes=[Change(
                    "token.create",
                    "accounts.apitoken",
                    token.pk,
                    f"{token.prefix}… {user.username}",
                    changes={"name": [None, name]},
                    region=user.agency.region_id if user.agency_id else "",
                )],
        )
    return raw


def mark_token_used(token: ApiToken) -> None:
    """Stamp the token's last use, at most once a minute (one write per request would be waste).

    Bookkeeping, not a change of state anyone acts on: not audited.
    """
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now  # the process keeps the token (accounts.queries): not again for a minute


def revoke_tokens(*, actor: User | None, user: User, prefix: str = "") -> int:
    """Delete `user`'s API tokens (only those starting with `prefix`, when given); how many."""
    if actor is not None and actor != user:
        require(actor, Perm.MANAGE_ACCOUNTS)
    with transaction.atomic(durable=True):
        tokens = list(ApiToken.objects.select_for_update().filter(user=user, prefix__startswith=prefix))
        region = user.agency.region_id if user.agency_id else ""
        changes = [Change("token.revoke", "accounts.apitoken", t.pk, f"{t.prefix}… {user.username}", region=region) for t in tokens]
        ApiToken.objects.filter(pk__in=[t.pk for t in tokens]).delete()
        record(actor=actor, changes=changes)
    return len(tokens)
