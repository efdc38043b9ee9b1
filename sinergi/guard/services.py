"""Writes of the guard plan's inputs: formations and personnel per Polsek (the Polres's), one at a
time from the page or all at once from a file (`load_formation_file`). Voting day's posts are
written in post_services.py."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.core.tabular import HeaderNotFound, InputRejected, RowError, Table, UnreadableFile, read_table
from sinergi.elections.models import Election
from sinergi.guard import formation_file as ff
from sinergi.guard.models import Formation, FormationRule, PolsekPersonnel
from sinergi.guard.presets import FORMATIONS
from sinergi.guard.queries import polseks_by_kecamatan
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.queries import regions_within
from sinergi.risk.models import StationClass

Rules = dict[str, tuple[int, int, int]]


def check_polres(actor: User | None, agency: Agency) -> None:
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
    check_polres(actor, polres)
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
    check_polres(actor, polsek)
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
    check_polres(actor, polres)
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
        names = dict(regions_within(polres.region_id, level=codes.KECAMATAN).values_list("code", "name"))
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
