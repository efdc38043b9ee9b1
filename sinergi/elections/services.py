"""Writes to elections, their stages and ballot types."""

from django.db import transaction

from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.elections.models import BallotType, Election, Stage
from sinergi.elections.presets import PRESETS

_ELECTION_FIELDS = ("kind", "name", "voting_date", "time_zone", "max_voters_per_station", "ballot_reserve_percent")


def install_preset(*, actor, slug: str) -> Election:
    """Create or update the election `slug` from its preset; idempotent, audited when it changes."""
    if actor is not None:
        require(actor, Perm.MANAGE_ELECTIONS)
    preset = PRESETS[slug]
    with transaction.atomic(durable=True):
        election = Election.objects.filter(slug=slug).first()
        wanted = {name: preset[name] for name in _ELECTION_FIELDS}
        changes = []
        if election is None:
            election = Election.objects.create(slug=slug, **wanted)
            changes.append(Change("election.create", "elections.election", election.pk, election.name, slug, diff({}, wanted)))
        else:
            before = {name: getattr(election, name) for name in _ELECTION_FIELDS}
            if before != wanted:
                for name, value in wanted.items():
                    setattr(election, name, value)
                election.save()
                changes.append(Change("election.update", "elections.election", election.pk, election.name, slug, diff(before, wanted)))
        for order, (code, name, starts_on, ends_on) in enumerate(preset["stages"]):
            wanted_stage = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "order": order}
            changes += _sync_child(Stage, election, code, wanted_stage)
        for order, (code, name, colour_name, colour_hex) in enumerate(preset["ballot_types"]):
            wanted_ballot = {"name": name, "colour_name": colour_name, "colour_hex": colour_hex, "order": order}
            changes += _sync_child(BallotType, election, code, wanted_ballot)
        record(actor=actor, changes=changes)
    return election


def _sync_child(model, election: Election, code: str, wanted: dict) -> list[Change]:
    """Create or update the `code` row of a per-election table; the audit change if any."""
    row, created = model.objects.get_or_create(election=election, code=code, defaults=wanted)
    before = {} if created else {key: getattr(row, key) for key in wanted}
    if before == wanted:
        return []
    if not created:
        model.objects.filter(pk=row.pk).update(**wanted)
    label = model._meta.model_name
    return [Change(f"{label}.save", f"elections.{label}", row.pk, wanted["name"], election.slug, diff(before, wanted))]
