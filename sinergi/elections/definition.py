"""An election as plain data: what `sinergi create-election` writes, from a preset or a file.

Pure (no Django): the definition as frozen dataclasses, `shifted` (a preset moved to a new voting
day, every stage keeping its offset), `problems` and `calendar_problems` (the rules of a whole
definition, in Indonesian). The file format that carries a definition is `fileformat.py`.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

VOTING_STAGE = "pemungutan-suara"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A voting day outside these years is a typing error, not an election.
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class StageDef:
    code: str
    name: str
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class BallotDef:
    code: str
    name: str
    colour_name: str = ""
    colour_hex: str = ""


@dataclass(frozen=True)
class QuestionDef:
    """One Form A question: `stage` is a Form A stage (persiapan, pemungutan, ...), not a stage of the calendar."""

    stage: str
    code: str
    text: str
    kind: str
    required: bool
    # Its answers are read by the police (supervisors.Question.security); None: the preset's choice
    # by code (supervisors/checklists.CONCERNS), and its `concern` too.
    security: bool | None = None
    # For a yes/no question the police read: the answer that needs attention (Question.concern).
    concern: bool | None = None


@dataclass(frozen=True)
class IndicatorDef:
    variable: int
    variable_name: str
    code: str
    text: str
    variable_name_en: str = ""
    text_en: str = ""


@dataclass(frozen=True)
class ElectionDefinition:
    slug: str
    name: str
    kind: str
    voting_date: date
    time_zone: str
    max_voters_per_station: int
    ballot_reserve_percent: Decimal
    stages: tuple[StageDef, ...]
    ballot_types: tuple[BallotDef, ...]
    questions: tuple[QuestionDef, ...]
    indicators: tuple[IndicatorDef, ...]
    severe_codes: tuple[str, ...]
    special_codes: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The values the database accepts, handed in by the caller (they live on Django models)."""

    kinds: Collection[str]
    time_zones: Collection[str]
    checklist_stages: Collection[str]
    question_kinds: Collection[str]


class DefinitionRejected(Exception):
    """Every problem of a document or of the command's options, each a sentence naming its field."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def shifted(definition: ElectionDefinition, voting_date: date) -> ElectionDefinition:
    """`definition` with its voting day moved to `voting_date` and every stage moved by the same
    number of days, so each keeps its offset from voting day (H-3 stays H-3). Weekdays are not
    kept: a stage that began on a Monday may begin on any day."""
    delta = voting_date - definition.voting_date
    stages = tuple(replace(s, starts_on=s.starts_on + delta, ends_on=s.ends_on + delta) for s in definition.stages)
    return replace(definition, voting_date=voting_date, stages=stages)


def offsets(definition: ElectionDefinition) -> dict[str, tuple[int, int]]:
    """Each stage's start and end as days from voting day (negative before it)."""
    return {s.code: ((s.starts_on - definition.voting_date).days, (s.ends_on - definition.voting_date).days) for s in definition.stages}


def problems(definition: ElectionDefinition, vocabulary: Vocabulary, *, check_stages: bool = True) -> list[str]:
    """The rules a whole definition must meet, whatever it came from (a preset with options given
    on the command line, or a file): every error as a sentence naming the field. `check_stages`
    False skips the voting stage's check (when the stages themselves could not be read)."""
    errors = []
    if not SLUG.match(definition.slug) or len(definition.slug) > 60:
        errors.append(f"kode: '{definition.slug}' tidak sah; pakai huruf kecil, angka dan tanda hubung (misalnya psu-pemilu-2024), paling panjang 60.")
    if not definition.name.strip() or len(definition.name) > 150:
        errors.append("nama: isi nama pemilihan, 1–150 karakter.")
    if definition.time_zone not in vocabulary.time_zones:
        errors.append(f"zona_waktu: '{definition.time_zone}' tidak dikenal; pilih salah satu: {', '.join(vocabulary.time_zones)}.")
    if not FIRST_YEAR <= definition.voting_date.year <= LAST_YEAR:
        errors.append(f"hari_pemungutan: tahun {definition.voting_date.year} di luar {FIRST_YEAR}–{LAST_YEAR}.")
    if check_stages:
        errors += calendar_problems(definition.stages, definition.voting_date)
    return errors


def calendar_problems(stages: Collection[StageDef], voting_date: date) -> list[str]:
    """What is wrong with an election's calendar, each stage named: a stage ending before it
    starts, a date outside FIRST_YEAR–LAST_YEAR, no voting stage or one that misses voting day.
    Stages may overlap and need no order (Pilkada's recapitulation starts on voting day)."""
    errors = []
    for stage in stages:
        for day in (stage.starts_on, stage.ends_on):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                errors.append(f"Tahapan '{stage.name}': tahun {day.year} di luar {FIRST_YEAR}–{LAST_YEAR}.")
                break
        if stage.ends_on < stage.starts_on:
            errors.append(
                f"Tahapan '{stage.name}': selesai {stage.ends_on:%d-%m-%Y} sebelum mulai {stage.starts_on:%d-%m-%Y}; tanggal selesai harus sama dengan atau sesudah tanggal mulai."
            )
    voting = [s for s in stages if s.code == VOTING_STAGE]
    if not voting:
        errors.append(f"Perlu tahapan berkode '{VOTING_STAGE}' yang memuat hari pemungutan suara {voting_date:%d-%m-%Y}.")
    elif not voting[0].starts_on <= voting_date <= voting[0].ends_on:
        errors.append(
            f"Tahapan '{voting[0].name}' ({voting[0].starts_on:%d-%m-%Y} s.d. {voting[0].ends_on:%d-%m-%Y}) harus memuat hari pemungutan suara "
            f"{voting_date:%d-%m-%Y}."
        )
    return errors


def from_preset(
    preset: dict, *, slug: str, questions: list[QuestionDef], indicators: list[IndicatorDef], severe: list[str], special: list[str]
) -> ElectionDefinition:
    """A definition from a preset of `presets.py` (its own dates, slug and name), with the Form A
    questions and indicator catalogue that go with it."""
    return ElectionDefinition(
        slug=slug,
        name=preset["name"],
        kind=preset["kind"],
        voting_date=preset["voting_date"],
        time_zone=preset["time_zone"],
        max_voters_per_station=preset["max_voters_per_station"],
        ballot_reserve_percent=preset["ballot_reserve_percent"],
        stages=tuple(StageDef(*row) for row in preset["stages"]),
        ballot_types=tuple(BallotDef(*row) for row in preset["ballot_types"]),
        questions=tuple(questions),
        indicators=tuple(indicators),
        severe_codes=tuple(c for c in severe if c in {i.code for i in indicators}),
        special_codes=tuple(c for c in special if c in {i.code for i in indicators}),
    )


def with_options(definition: ElectionDefinition, *, slug: str | None, name: str | None, voting_date: date | None, time_zone: str | None) -> ElectionDefinition:
    """The command line's options over a preset's or a file's values (a new voting day moves every stage)."""
    if voting_date is not None:
        definition = shifted(definition, voting_date)
    changes = {key: value for key, value in (("slug", slug), ("name", name), ("time_zone", time_zone)) if value is not None}
    return replace(definition, **changes)
