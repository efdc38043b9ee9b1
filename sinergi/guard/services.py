"""Writes of the guard plan's inputs: formations and personnel per Polsek (the Polres's)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sinergi.accounts.models import Agency, User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.elections.models import Election
from sinergi.guard.models import Formation, FormationRule, PolsekPersonnel
from sinergi.guard.presets import FORMATIONS
from sinergi.regions.codes import is_within
from sinergi.risk.models import StationClass


def _check_polres(actor: User | None, agency: Agency) -> None:
    if actor is None:
        return
    require(actor, Perm.MANAGE_GUARD)
    if actor.area_code is not None and not is_within(agency.region_id, actor.area_code):
        raise PermissionDenied("Lembaga ini di luar wilayah Anda.")


def set_formation(*, actor: User | None, election: Election, polres: Agency, name: str, source: str, rules: dict[str, tuple[int, int, int]]) -> Formation:
    """Create or replace the Polres's formation: `rules` maps class -> (police, TPS, Linmas)."""
    _check_polres(actor, polres)
    if polres.kind != Agency.Kind.POLRES:
        raise ValidationError(f"{polres} bukan Polres.")
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
    with transaction.atomic(durable=True):
        formation, created = Formation.objects.get_or_create(election=election, agency=polres, defaults={"name": name, "source": source})
        before = {"name": formation.name, "source": formation.source, **{r.level: [r.police, r.stations, r.linmas] for r in formation.rules.all()}}
        wanted = {"name": name, "source": source, **{level: list(numbers) for level, numbers in rules.items()}}
        if not created and before == wanted:
            return formation
        Formation.objects.filter(pk=formation.pk).update(name=name, source=source)
        formation.rules.all().delete()
        FormationRule.objects.bulk_create(
            [FormationRule(formation=formation, level=level, police=p, stations=t, linmas=lm) for level, (p, t, lm) in rules.items()]
        )
        record(
            actor=actor,
            changes=[Change("formation.save", "guard.formation", formation.pk, name, election.slug, diff({} if created else before, wanted), polres.region_id)],
        )
    return formation


def install_formation_preset(*, actor: User | None, election: Election, polres: Agency, preset: str) -> Formation:
    data = FORMATIONS[preset]
    return set_formation(actor=actor, election=election, polres=polres, name=data["name"], source=data["source"], rules=data["rules"])


def set_personnel(*, actor: User | None, election: Election, polsek: Agency, available: int, reinforcements: int = 0) -> PolsekPersonnel:
    _check_polres(actor, polsek)
    if polsek.kind != Agency.Kind.POLSEK:
        raise ValidationError(f"{polsek} bukan Polsek.")
    if available < 0 or reinforcements < 0:
        raise ValidationError("Jumlah personel tidak boleh negatif.")
    with transaction.atomic(durable=True):
        row = PolsekPersonnel.objects.filter(election=election, agency=polsek).first()
        before = {"available": row.available, "reinforcements": row.reinforcements} if row else {}
        wanted = {"available": available, "reinforcements": reinforcements}
        if before == wanted:
            return row
        row, _ = PolsekPersonnel.objects.update_or_create(election=election, agency=polsek, defaults=wanted)
        record(
            actor=actor, changes=[Change("personnel.save", "guard.polsekpersonnel", row.pk, str(polsek), election.slug, diff(before, wanted), polsek.region_id)]
        )
    return row
