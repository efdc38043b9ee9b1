"""Writes of the guard plan's inputs: formations and personnel per Polsek (the Polres's), one at a
time from the page or all at once from a file (`load_formation_file`); and of voting day's posts:
fixing the plan into posts, officers assigned and moved, check-ins from a phone."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.core.tabular import HeaderNotFound, InputRejected, RowError, Table, UnreadableFile, read_table
from sinergi.elections.models import Election
from sinergi.guard import formation_file as ff
from sinergi.guard.fixing import match, next_codes, station_key
from sinergi.guard.models import Formation, FormationRule, GuardOfficer, GuardPost, OfficerMove, PolsekPersonnel, PostCheckIn
from sinergi.guard.presets import FORMATIONS
from sinergi.guard.queries import may_act_on_post, polseks_by_kecamatan, posts_for
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.queries import regions_within, within
from sinergi.risk.models import StationClass
from sinergi.supervisors.reports import conflict  # the field apps' one wording of a reused id

Rules = dict[str, tuple[int, int, int]]


def _check_polres(actor: User | None, agency: Agency) -> None:
    if actor is None:
        return
    require(actor, Perm.MANAGE_GUARD)
    if actor.area_code is not None and not is_within(agency.region_id, actor.area_code):
        raise PermissionDenied("Lembaga ini di luar wilayah Anda.")


def _check_rules(rules: Rules) -> None:
    levels = set(StationClass.Level.values)
    if set(rules) != levels:
        missing, extra = sorted(levels - set(rules)), sorted(set(rules) - levels)
        raise ValidationError(
            "Formasi harus mengatur tepat empat kelas (kurang rawan, rawan, sangat rawan, khusus)."
            + (f" Belum ada: {', '.join(missing)}." if missing else "")
            + (f" Tidak dikenal: {', '.join(extra)}." if extra else "")
        )
    for level, numbers in rules.items():
        if len(numbers) != 3 or min(numbers) < 0 or numbers[1] < 1:
            raise ValidationError(f"Formasi kelas {level}: isi polisi, TPS (paling sedikit 1) dan Linmas per pos.")


def current_rules(election: Election, polres: Agency) -> Rules:
    """The Polres's formation for the election, class -> (police, TPS, Linmas); {} when it has none."""
    return {r.level: (r.police, r.stations, r.linmas) for r in FormationRule.objects.filter(formation__election=election, formation__agency=polres)}


def _write_formation(*, election: Election, polres: Agency, name: str, source: str, rules: Rules) -> Change | None:
    """Create or replace the formation inside the caller's transaction; the audit change, or None
    when nothing changed."""
    formation, created = Formation.objects.get_or_create(election=election, agency=polres, defaults={"name": name, "source": source})
    before = {"name": formation.name, "source": formation.source, **{r.level: [r.police, r.stations, r.linmas] for r in formation.rules.all()}}
    wanted = {"name": name, "source": source, **{level: list(numbers) for level, numbers in rules.items()}}
    if not created and before == wanted:
        return None
    Formation.objects.filter(pk=formation.pk).update(name=name, source=source)
    formation.rules.all().delete()
    FormationRule.objects.bulk_create([FormationRule(formation=formation, level=level, police=p, stations=t, linmas=lm) for level, (p, t, lm) in rules.items()])
    return Change("formation.save", "guard.formation", formation.pk, name, election.slug, diff({} if created else before, wanted), polres.region_id)


def set_formation(*, actor: User | None, election: Election, polres: Agency, name: str, source: str, rules: Rules) -> Formation:
    """Create or replace the Polres's formation: `rules` maps class -> (police, TPS, Linmas)."""
    _check_polres(actor, polres)
    if polres.kind != Agency.Kind.POLRES:
        raise ValidationError(f"{polres} bukan Polres.")
    _check_rules(rules)
    with transaction.atomic(durable=True):
        change = _write_formation(election=election, polres=polres, name=name, source=source, rules=rules)
        if change is not None:
            record(actor=actor, changes=[change])
    return Formation.objects.get(election=election, agency=polres)


def install_formation_preset(*, actor: User | None, election: Election, polres: Agency, preset: str) -> Formation:
    data = FORMATIONS[preset]
    return set_formation(actor=actor, election=election, polres=polres, name=data["name"], source=data["source"], rules=data["rules"])


def _write_personnel(*, election: Election, polsek: Agency, available: int, reinforcements: int) -> Change | None:
    row = PolsekPersonnel.objects.filter(election=election, agency=polsek).first()
    before = {"available": row.available, "reinforcements": row.reinforcements} if row else {}
    wanted = {"available": available, "reinforcements": reinforcements}
    if before == wanted:
        return None
    row, _ = PolsekPersonnel.objects.update_or_create(election=election, agency=polsek, defaults=wanted)
    return Change("personnel.save", "guard.polsekpersonnel", row.pk, str(polsek), election.slug, diff(before, wanted), polsek.region_id)


def set_personnel(*, actor: User | None, election: Election, polsek: Agency, available: int, reinforcements: int = 0) -> PolsekPersonnel:
    _check_polres(actor, polsek)
    if polsek.kind != Agency.Kind.POLSEK:
        raise ValidationError(f"{polsek} bukan Polsek.")
    if available < 0 or reinforcements < 0:
        raise ValidationError("Jumlah personel tidak boleh negatif.")
    with transaction.atomic(durable=True):
        change = _write_personnel(election=election, polsek=polsek, available=available, reinforcements=reinforcements)
        if change is not None:
            record(actor=actor, changes=[change])
    return PolsekPersonnel.objects.get(election=election, agency=polsek)


# -- The formation file (docs/import-formats.md, "Guard formation and personnel") -------------


@dataclass
class PersonnelChange:
    polsek: Agency
    available: int
    reinforcements: int
    before: tuple[int, int] | None  # (available, reinforcements) stored now; None: not set yet


@dataclass
class FormationImport:
    """What a formation file sets (or, in a preview, would set)."""

    polres: Agency
    rules: Rules | None  # None: the file has no formation table
    rules_before: Rules
    personnel: list[PersonnelChange] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    @property
    def formation_changed(self) -> bool:
        return self.rules is not None and self.rules != self.rules_before

    @property
    def personnel_created(self) -> int:
        return sum(1 for p in self.personnel if p.before is None)

    @property
    def personnel_updated(self) -> int:
        return sum(1 for p in self.personnel if p.before is not None and p.before != (p.available, p.reinforcements))

    @property
    def changed(self) -> int:
        """Rows that change: the formation counts as one, each Polsek as one."""
        return int(self.formation_changed) + self.personnel_created + self.personnel_updated

    def summary(self) -> str:
        parts = []
        if self.rules is None:
            parts.append("Formasi: tidak ada di berkas (tetap).")
        elif not self.formation_changed:
            parts.append("Formasi: tidak berubah.")
        else:
            shown = "; ".join(
                f"{ff.LEVEL_NAMES[level]} {p} : {t} : {lm}" for level, (p, t, lm) in sorted(self.rules.items(), key=lambda kv: ff.LEVELS.index(kv[0]))
            )
            parts.append(f"Formasi {'baru' if not self.rules_before else 'diganti'} (polisi : TPS : Linmas per pos): {shown}.")
        if self.personnel:
            unchanged = len(self.personnel) - self.personnel_created - self.personnel_updated
            parts.append(f"Personel: {self.personnel_created} Polsek baru, {self.personnel_updated} diubah, {unchanged} tidak berubah.")
        else:
            parts.append("Personel: tidak ada di berkas (tetap).")
        return " ".join(parts)


def _read_part(filename: str, content: bytes, required: tuple[str, ...], known: tuple[str, ...], errors: list[RowError]) -> Table | None:
    """One of the file's two tables, or None when the file has no header naming its columns."""
    try:
        return read_table(filename, content, required=required, known=known)
    except HeaderNotFound:
        return None
    except UnreadableFile as error:
        errors.append(RowError(None, None, str(error)))
    except InputRejected as rejected:
        errors.extend(rejected.errors)
    return None


def _on_sheet(errors: list[RowError], table: Table) -> list[RowError]:
    """Name the sheet in each message: the file has two tables, each on its own sheet."""
    if table.sheet is None:
        return errors
    return [RowError(e.row, e.column, f"{e.message} (lembar '{table.sheet}')") for e in errors]


def polsek_refs(polres: Agency) -> list[ff.PolsekRef]:
    """The Polsek of the Polres's area, each with the kecamatan it answers for."""
    covered: dict[int, list[str]] = {}
    agencies: dict[int, Agency] = {}
    for code, polsek in polseks_by_kecamatan(polres.region_id).items():
        covered.setdefault(polsek.pk, []).append(code)
        agencies[polsek.pk] = polsek
    return [ff.PolsekRef(a.slug, a.name, tuple(sorted(covered[pk]))) for pk, a in sorted(agencies.items(), key=lambda kv: kv[1].region_id)]


def load_formation_file(*, actor: User | None, election: Election, polres: Agency, filename: str, content: bytes, dry_run: bool = False) -> FormationImport:
    """Set the Polres's formation and its Polsek's personnel from a .xlsx/.csv file, all or nothing.

    The file holds the formation table, the personnel table, or both (each on its own sheet); what
    it does not hold is left as it is, as are the Polsek it does not list. Raises InputRejected
    naming every bad row (nothing written). `dry_run`: the same checks and the same answer,
    nothing written (the page's preview). `actor` None: the command line."""
    _check_polres(actor, polres)
    if polres.kind != Agency.Kind.POLRES:
        raise InputRejected([RowError(None, None, f"{polres} bukan Polres: formasi ditetapkan oleh Polres.")])
    errors: list[RowError] = []
    formation_table = _read_part(filename, content, ff.FORMATION_REQUIRED, ff.FORMATION_COLUMNS, errors)
    personnel_table = _read_part(filename, content, ff.PERSONNEL_REQUIRED, ff.PERSONNEL_COLUMNS, errors)
    if formation_table is None and personnel_table is None and not errors:
        raise InputRejected(
            [
                RowError(
                    None,
                    None,
                    "Berkas tidak memuat tabel formasi (kolom kelas, polisi_per_pos, tps_per_pos, linmas_per_pos) maupun tabel personel "
                    "Polsek (kolom kode_kecamatan, personel_tersedia, bko). Unduh templat formasi dari halaman pengamanan lalu isi.",
                )
            ]
        )
    rules = None
    if formation_table is not None:
        rules, found = ff.parse_formation(formation_table)
        errors += _on_sheet(found, formation_table)
    rows: list[ff.PersonnelRow] = []
    polseks = {}
    if personnel_table is not None:
        refs = polsek_refs(polres)
        polseks = {a.slug: a for a in Agency.objects.filter(slug__in=[r.slug for r in refs])}
        names = dict(regions_within(polres.region_id, level=codes.DISTRICT).values_list("code", "name"))
        rows, found = ff.parse_personnel(personnel_table, polseks=refs, kecamatan_names=names, polres_name=polres.name)
        errors += _on_sheet(found, personnel_table)
    if errors:
        raise InputRejected(errors)
    warnings = [
        RowError(table.header_row, name, f"Kolom '{name}' tidak dikenal, jadi isinya tidak disimpan." + (f" (lembar '{table.sheet}')" if table.sheet else ""))
        for table in (formation_table, personnel_table)
        if table is not None
        for name in table.unknown
    ]
    stored = {
        p.agency_id: (p.available, p.reinforcements) for p in PolsekPersonnel.objects.filter(election=election, agency__slug__in=[r.polsek_slug for r in rows])
    }
    result = FormationImport(
        polres=polres,
        rules=rules,
        rules_before=current_rules(election, polres),
        personnel=[PersonnelChange(polseks[r.polsek_slug], r.available, r.reinforcements, stored.get(polseks[r.polsek_slug].pk)) for r in rows],
        warnings=warnings,
    )
    if dry_run or not result.changed:
        return result
    try:
        with transaction.atomic(durable=True):
            changes = []
            if result.formation_changed:
                name, source = f"{polres.name}, {election.name}", f"Diimpor dari berkas '{filename}'"
                changes.append(_write_formation(election=election, polres=polres, name=name, source=source, rules=rules))
            for entry in result.personnel:
                changes.append(_write_personnel(election=election, polsek=entry.polsek, available=entry.available, reinforcements=entry.reinforcements))
            record(actor=actor, changes=[c for c in changes if c is not None])
    except IntegrityError:
        # Another save of the same formation or personnel at the same moment; ours was rolled back whole.
        raise InputRejected(
            [RowError(None, None, "Formasi yang sama sedang disimpan oleh pengguna lain pada saat yang sama. Tidak ada yang disimpan; ulangi impor.")]
        ) from None
    return result


# -- Voting day's posts (docs/risk-and-guard.md, "Voting-day posts") ----------------------------


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
    _check_polres(actor, polres)
    if polres.kind != Agency.Kind.POLRES:
        raise ValidationError(f"{polres} bukan Polres: rencana pengamanan ditetapkan oleh Polres.")
    now = now or timezone.now()
    plan, _classes, _uncovered = posts_for(_planner(polres), election, polres.region_id)
    seats = {polsek.region_id: polsek for polsek in polseks_by_kecamatan(polres.region_id).values()}
    result = FixResult()
    planned = [post for post in plan.posts if post.district_code in seats]
    result.without_polsek = len(plan.posts) - len(planned)
    keys = [station_key(post.station_ids) for post in planned]
    # A post is the same post when the same Polsek guards the same TPS: a kecamatan handed to
    # another Polsek gets new posts (the old Polsek's are retired with their history).
    identities = [f"{seats[post.district_code].pk}:{key}" for post, key in zip(planned, keys, strict=True)]
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
            by_polsek.setdefault(seats[planned[index].district_code].pk, []).append(index)
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
