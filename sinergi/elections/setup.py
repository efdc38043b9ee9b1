"""Everything an election needs before any district's data, written in one go from a definition
(`definition.py`): the election and its rules, stages and ballot types, Form A's checklists, the
vulnerability indicator catalogue with its rules, and the TPS kit. No region, agency, TPS or user:
those are the district's (`sinergi load-regions`, `import-stations`, the accounts services).

Each part is written by its own app's inner helper (no transaction of its own, the audit changes
returned); `services.create_election` and `services.install_preset` wrap them in one transaction.
"""

from sinergi.audit.services import Change, diff
from sinergi.elections.definition import BallotDef, ElectionDefinition, IndicatorDef, QuestionDef, StageDef, Vocabulary, from_preset
from sinergi.elections.models import INDONESIAN_ZONES, BallotType, Election, Stage
from sinergi.elections.presets import PRESETS
from sinergi.logistics.services import store_kit
from sinergi.risk.catalogue import DEFAULT_SEVERE, DEFAULT_SPECIAL, preset_rows, store_catalogue
from sinergi.risk.models import Indicator, RiskRules
from sinergi.supervisors.checklists import preset_questions, store_questions
from sinergi.supervisors.models import Question

VOCABULARY = Vocabulary(
    kinds=tuple(Election.Kind.values),
    time_zones=tuple(INDONESIAN_ZONES),
    checklist_stages=tuple(Question.Stage.values),
    question_kinds=tuple(Question.Kind.values),
)
ELECTION_FIELDS = ("kind", "name", "voting_date", "time_zone", "max_voters_per_station", "ballot_reserve_percent")


def preset_definition(preset: str) -> ElectionDefinition:
    """The preset `preset` whole, with its own dates, slug and name: election and calendar from
    `presets.py`, Form A's questions from `supervisors/checklists.py` (the Pemilu 2024 ones serve
    both presets), the catalogue from `risk/data/<preset>.csv`."""
    data = PRESETS[preset]
    indicators = [
        IndicatorDef(int(r["variabel"]), r["nama_variabel"], r["kode"], r["indikator"], r.get("nama_variabel_en", ""), r.get("indikator_en", ""))
        for r in preset_rows(preset)
    ]
    return from_preset(
        data,
        slug=preset,
        questions=[QuestionDef(*row) for row in preset_questions()],
        indicators=indicators,
        severe=DEFAULT_SEVERE.get(data["kind"], []),
        special=DEFAULT_SPECIAL.get(data["kind"], []),
    )


def definition_of(election: Election) -> ElectionDefinition:
    """An existing election as it stands (its calendar as adjusted, Form A's questions as Bawaslu
    worded them, its catalogue and rules): what `create-election --from-election` copies or dumps."""
    stage_order = {stage: n for n, stage in enumerate(Question.Stage.values)}
    questions = sorted(Question.objects.filter(election=election), key=lambda q: (stage_order.get(q.stage, len(stage_order)), q.order, q.pk))
    rules = RiskRules.objects.filter(election=election).first()
    return ElectionDefinition(
        slug=election.slug,
        name=election.name,
        kind=election.kind,
        voting_date=election.voting_date,
        time_zone=election.time_zone,
        max_voters_per_station=election.max_voters_per_station,
        ballot_reserve_percent=election.ballot_reserve_percent,
        stages=tuple(StageDef(s.code, s.name, s.starts_on, s.ends_on) for s in election.stages.order_by("order", "pk")),
        ballot_types=tuple(BallotDef(b.code, b.name, b.colour_name, b.colour_hex) for b in election.ballot_types.order_by("order", "pk")),
        questions=tuple(QuestionDef(q.stage, q.code, q.text, q.kind, q.required, q.security, q.concern) for q in questions),
        indicators=tuple(
            IndicatorDef(i.variable.number, i.variable.name, i.code, i.text, i.variable.name_en, i.text_en)
            for i in Indicator.objects.filter(election=election).select_related("variable").order_by("order", "pk")
        ),
        severe_codes=tuple(rules.severe_codes) if rules else (),
        special_codes=tuple(rules.special_codes) if rules else (),
    )


def write_definition(definition: ElectionDefinition) -> tuple[Election, list[Change]]:
    """Create the election of `definition`, or bring the one with its slug in line (idempotent);
    inside the caller's transaction. Returns the election and the audit changes.

    What an existing election already holds and people may have changed since is kept: Form A
    questions (Bawaslu's wording), the risk rules. The election's fields, stages, ballot types,
    catalogue and kit follow the definition."""
    wanted = {
        "kind": definition.kind,
        "name": definition.name,
        "voting_date": definition.voting_date,
        "time_zone": definition.time_zone,
        "max_voters_per_station": definition.max_voters_per_station,
        "ballot_reserve_percent": definition.ballot_reserve_percent,
    }
    changes = []
    election = Election.objects.select_for_update().filter(slug=definition.slug).first()
    if election is None:
        election = Election.objects.create(slug=definition.slug, **wanted)
        changes.append(Change("election.create", "elections.election", election.pk, election.name, election.slug, diff({}, wanted)))
    else:
        before = {name: getattr(election, name) for name in ELECTION_FIELDS}
        if before != wanted:
            for name, value in wanted.items():
                setattr(election, name, value)
            election.save()
            changes.append(Change("election.update", "elections.election", election.pk, election.name, election.slug, diff(before, wanted)))
    for order, stage in enumerate(definition.stages):
        changes += _sync_child(Stage, election, stage.code, {"name": stage.name, "starts_on": stage.starts_on, "ends_on": stage.ends_on, "order": order})
    for order, ballot in enumerate(definition.ballot_types):
        wanted_ballot = {"name": ballot.name, "colour_name": ballot.colour_name, "colour_hex": ballot.colour_hex, "order": order}
        changes += _sync_child(BallotType, election, ballot.code, wanted_ballot)
    changes += store_questions(election, [(q.stage, q.code, q.text, q.kind, q.required, q.security, q.concern) for q in definition.questions])
    rows = [
        {
            "variabel": str(i.variable),
            "nama_variabel": i.variable_name,
            "nama_variabel_en": i.variable_name_en,
            "kode": i.code,
            "indikator": i.text,
            "indikator_en": i.text_en,
        }
        for i in definition.indicators
    ]
    changes += store_catalogue(election, rows, severe=list(definition.severe_codes), special=list(definition.special_codes))
    changes += store_kit(election)
    return election, changes


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
