"""Writes to elections: creating one (from a preset or a file), installing a preset, its calendar."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.elections.definition import ElectionDefinition, StageDef, calendar_problems, problems
from sinergi.elections.models import Election, Stage
from sinergi.elections.setup import VOCABULARY, preset_definition, write_definition


def install_preset(*, actor, slug: str) -> Election:
    """Create or update the election `slug` from its preset, with its own dates (the demo and the
    tests); idempotent, audited when it changes. A new election on another day: `create_election`."""
    if actor is not None:
        require(actor, Perm.MANAGE_ELECTIONS)
    definition = preset_definition(slug)
    with transaction.atomic(durable=True):
        election, changes = write_definition(definition)
        record(actor=actor, changes=changes)
    return election


def create_election(*, actor, definition: ElectionDefinition) -> Election:
    """Create a new election whole from `definition` (`sinergi create-election`): the election,
    stages, ballot types, Form A checklists, indicator catalogue and rules, TPS kit; all or nothing,
    audited. Refuses a slug already taken: an existing election is never overwritten."""
    if actor is not None:
        require(actor, Perm.MANAGE_ELECTIONS)
    if errors := problems(definition, VOCABULARY):
        raise ValidationError(errors)
    taken = ValidationError(f"kode: pemilihan '{definition.slug}' sudah ada; pilih kode lain (pemilihan yang ada tidak ditimpa).")
    try:
        with transaction.atomic(durable=True):
            if Election.objects.filter(slug=definition.slug).exists():
                raise taken
            election, changes = write_definition(definition)
            record(actor=actor, changes=changes)
    except IntegrityError:
        # Another process created the same slug between the check and the insert.
        if Election.objects.filter(slug=definition.slug).exists():
            raise taken from None
        raise
    return election


def set_stage_dates(*, actor, election: Election, dates: dict[str, tuple[date, date]]) -> int:
    """Set the start and end of every stage of `election` (`dates`: stage code -> (start, end),
    local dates in the election's time zone; every stage given). Refuses the whole change on any
    problem (`definition.calendar_problems`). One audit event per stage that changed; returns how
    many changed."""
    if actor is not None:
        require(actor, Perm.MANAGE_ELECTIONS)
    with transaction.atomic(durable=True):
        stages = list(Stage.objects.select_for_update().filter(election=election).order_by("order", "pk"))
        known = {stage.code for stage in stages}
        errors = [f"Tahapan '{code}' bukan tahapan {election.name}." for code in dates if code not in known]
        errors += [f"Tahapan '{stage.name}': isi tanggal mulai dan selesai." for stage in stages if stage.code not in dates]
        if errors:
            raise ValidationError(errors)
        wanted = [StageDef(stage.code, stage.name, *dates[stage.code]) for stage in stages]
        if errors := calendar_problems(wanted, election.voting_date):
            raise ValidationError(errors)
        changes = []
        for stage, new in zip(stages, wanted, strict=True):
            before, after = {"mulai": stage.starts_on, "selesai": stage.ends_on}, {"mulai": new.starts_on, "selesai": new.ends_on}
            if before == after:
                continue
            Stage.objects.filter(pk=stage.pk).update(starts_on=new.starts_on, ends_on=new.ends_on)
            changes.append(Change("stage.dates", "elections.stage", stage.pk, stage.name, election.slug, diff(before, after)))
        record(actor=actor, changes=changes)
    return len(changes)
