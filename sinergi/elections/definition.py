"""An election as one document: what `sinergi create-election` writes, from a preset or a file.

Pure (no Django): the definition as frozen dataclasses, `shifted` (a preset moved to a new voting
day, every stage keeping its offset), `parse` (a JSON document checked field by field, every error
in Indonesian naming its place, e.g. `tahapan[2].selesai`) and `to_document` (what `parse` reads
back: a round trip changes nothing). The format is described in docs/elections.md.
"""

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

FORMAT = "sinergi-pemilihan/1"
VOTING_STAGE = "pemungutan-suara"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
QUESTION_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
ATTACHMENT = "lampiran"  # reserved by Form A for a photo that answers no question
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


# --- the document ---------------------------------------------------------------------------

TOP = ("format", "kode", "nama", "jenis", "hari_pemungutan", "zona_waktu", "aturan", "tahapan", "surat_suara", "daftar_periksa", "indikator",
       "indikator_berat", "indikator_lokasi_khusus")  # fmt: skip
RULES = ("pemilih_maks_per_tps", "cadangan_surat_suara_persen")
STAGE_KEYS = ("kode", "nama", "mulai", "selesai")
BALLOT_KEYS = ("kode", "nama", "warna", "warna_hex")
BALLOT_REQUIRED = ("kode", "nama")
QUESTION_KEYS = ("kode", "pertanyaan", "jenis", "wajib")
INDICATOR_KEYS = ("variabel", "nama_variabel", "nama_variabel_en", "kode", "indikator", "indikator_en")
INDICATOR_REQUIRED = ("variabel", "nama_variabel", "kode", "indikator")


def to_document(definition: ElectionDefinition) -> dict:
    """The definition as the JSON document `parse` reads (dates as YYYY-MM-DD, the reserve as text
    so that 2.50 stays 2.50)."""
    questions: dict[str, list] = {}
    for q in definition.questions:
        questions.setdefault(q.stage, []).append({"kode": q.code, "pertanyaan": q.text, "jenis": q.kind, "wajib": q.required})
    return {
        "format": FORMAT,
        "kode": definition.slug,
        "nama": definition.name,
        "jenis": definition.kind,
        "hari_pemungutan": definition.voting_date.isoformat(),
        "zona_waktu": definition.time_zone,
        "aturan": {"pemilih_maks_per_tps": definition.max_voters_per_station, "cadangan_surat_suara_persen": str(definition.ballot_reserve_percent)},
        "tahapan": [{"kode": s.code, "nama": s.name, "mulai": s.starts_on.isoformat(), "selesai": s.ends_on.isoformat()} for s in definition.stages],
        "surat_suara": [{"kode": b.code, "nama": b.name, "warna": b.colour_name, "warna_hex": b.colour_hex} for b in definition.ballot_types],
        "daftar_periksa": questions,
        "indikator": [
            {
                "variabel": i.variable,
                "nama_variabel": i.variable_name,
                "nama_variabel_en": i.variable_name_en,
                "kode": i.code,
                "indikator": i.text,
                "indikator_en": i.text_en,
            }
            for i in definition.indicators
        ],
        "indikator_berat": list(definition.severe_codes),
        "indikator_lokasi_khusus": list(definition.special_codes),
    }


class _Reader:
    """Collects every error of a document instead of stopping at the first."""

    def __init__(self):
        self.errors: list[str] = []
        self.failed: set[str] = set()

    def fail(self, where: str, message: str) -> None:
        """One error per place: a missing key is not also reported as an empty value, nor the
        fields of a missing object."""
        if not any(where == f or where.startswith((f + ".", f + "[")) for f in self.failed):
            self.failed.add(where)
            self.errors.append(f"{where}: {message}")

    def obj(self, where: str, value, keys: tuple[str, ...], required: tuple[str, ...]) -> dict | None:
        if not isinstance(value, dict):
            self.fail(where, "harus berupa objek {...}.")
            return None
        for key in value:
            if key not in keys:
                self.fail(f"{where}.{key}".removeprefix("dokumen."), f"kunci '{key}' tidak dikenal; yang dikenal: {', '.join(keys)}.")
        for key in required:
            if key not in value:
                self.fail(f"{where}.{key}".removeprefix("dokumen."), "kunci ini wajib ada (lihat docs/elections.md).")
        return value

    def items(self, where: str, value) -> list:
        if not isinstance(value, list):
            self.fail(where, "harus berupa daftar [...].")
            return []
        return value

    def string(self, where: str, value) -> str:
        """Text whose content `problems` checks (the slug, name and zone): here only its type."""
        if not isinstance(value, str):
            self.fail(where, "harus berupa teks dalam tanda petik.")
            return ""
        return value.strip()

    def text(self, where: str, value, limit: int, *, blank: bool = False) -> str:
        if value is None and blank:
            return ""
        if not isinstance(value, str) or len(value) > limit or "\x00" in value or (not blank and not value.strip()):
            self.fail(where, f"isi teks {'0' if blank else '1'}–{limit} karakter.")
            return ""
        return value.strip()

    def code(self, where: str, value, pattern: re.Pattern, limit: int, hint: str) -> str:
        text = self.text(where, value, limit)
        if text and not pattern.match(text):
            self.fail(where, f"'{text}' tidak sah; {hint}.")
        return text

    def day(self, where: str, value) -> date:
        if isinstance(value, str):
            try:
                if len(value) == 10:
                    return date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(where, f"'{value}' bukan tanggal; tulis TTTT-BB-HH, misalnya 2024-02-14.")
        return date(FIRST_YEAR, 1, 1)

    def whole(self, where: str, value, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, f"isi bilangan bulat {low}–{high}.")
            return low
        return value

    def flag(self, where: str, value) -> bool:
        if not isinstance(value, bool):
            self.fail(where, "isi true atau false.")
            return False
        return value

    def choice(self, where: str, value, choices: Collection[str]) -> str:
        if value not in choices:
            self.fail(where, f"'{value}' tidak dikenal; pilih salah satu: {', '.join(choices)}.")
        return value if isinstance(value, str) else ""


def _percent(read: _Reader, where: str, value) -> Decimal:
    # A number (2.5) or text ("2.50"); two decimals at most, like the column.
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        number = Decimal(str(value))
        if not (number.is_finite() and 0 <= number <= 100 and number == number.quantize(Decimal("0.01"))):
            raise InvalidOperation
    except InvalidOperation:
        read.fail(where, 'isi persen 0–100 dengan paling banyak dua angka desimal, misalnya "2.00".')
        return Decimal("0")
    return number.quantize(Decimal("0.01"))


def parse(document, vocabulary: Vocabulary) -> ElectionDefinition:
    """Check a document (already decoded from JSON) and return its definition; raises
    DefinitionRejected listing every problem, each naming its place (`surat_suara[1].warna_hex`)."""
    read = _Reader()
    top = read.obj("dokumen", document, TOP, TOP)
    if top is None:
        raise DefinitionRejected(read.errors)
    if top.get("format") != FORMAT:
        read.fail("format", f'tulis "{FORMAT}" (format berkas ini); yang tertulis: {top.get("format")!r}.')
    rules = read.obj("aturan", top.get("aturan"), RULES, RULES) or {}
    stages, seen = [], set()
    for n, row in enumerate(read.items("tahapan", top.get("tahapan"))):
        where = f"tahapan[{n}]"
        if read.obj(where, row, STAGE_KEYS, STAGE_KEYS) is None:
            continue
        stage = StageDef(
            read.code(f"{where}.kode", row.get("kode"), CODE, 40, "pakai huruf kecil, angka dan tanda hubung"),
            read.text(f"{where}.nama", row.get("nama"), 150),
            read.day(f"{where}.mulai", row.get("mulai")),
            read.day(f"{where}.selesai", row.get("selesai")),
        )
        if stage.code in seen:
            read.fail(f"{where}.kode", f"'{stage.code}' muncul dua kali.")
        seen.add(stage.code)
        if stage.ends_on < stage.starts_on:
            read.fail(
                f"{where}.selesai", f"{stage.ends_on:%d-%m-%Y} sebelum mulai {stage.starts_on:%d-%m-%Y}; tahapan selesai pada atau sesudah hari mulainya."
            )
        stages.append(stage)
    ballots, seen = [], set()
    for n, row in enumerate(read.items("surat_suara", top.get("surat_suara"))):
        where = f"surat_suara[{n}]"
        if read.obj(where, row, BALLOT_KEYS, BALLOT_REQUIRED) is None:
            continue
        ballot = BallotDef(
            read.code(f"{where}.kode", row.get("kode"), CODE, 40, "pakai huruf kecil, angka dan tanda hubung"),
            read.text(f"{where}.nama", row.get("nama"), 150),
            read.text(f"{where}.warna", row.get("warna"), 40, blank=True),
            read.text(f"{where}.warna_hex", row.get("warna_hex"), 7, blank=True),
        )
        if ballot.colour_hex and not HEX.match(ballot.colour_hex):
            read.fail(f"{where}.warna_hex", f"'{ballot.colour_hex}' bukan warna; tulis #rrggbb (misalnya #e6c200) atau kosongkan.")
        if ballot.code in seen:
            read.fail(f"{where}.kode", f"'{ballot.code}' muncul dua kali.")
        seen.add(ballot.code)
        ballots.append(ballot)
    if isinstance(top.get("surat_suara"), list) and not ballots:
        read.fail("surat_suara", "perlu sedikitnya satu jenis surat suara (perlengkapan TPS dihitung darinya).")
    questions = _questions(read, top.get("daftar_periksa"), vocabulary)
    indicators = _indicators(read, top.get("indikator"))
    codes = {i.code for i in indicators}
    severe, special = (_codes(read, key, top.get(key), codes) for key in ("indikator_berat", "indikator_lokasi_khusus"))
    definition = ElectionDefinition(
        slug=read.string("kode", top.get("kode")),
        name=read.string("nama", top.get("nama")),
        kind=read.choice("jenis", top.get("jenis"), vocabulary.kinds),
        voting_date=read.day("hari_pemungutan", top.get("hari_pemungutan")),
        time_zone=read.string("zona_waktu", top.get("zona_waktu")),
        max_voters_per_station=read.whole("aturan.pemilih_maks_per_tps", rules.get("pemilih_maks_per_tps"), 1, 1000),
        ballot_reserve_percent=_percent(read, "aturan.cadangan_surat_suara_persen", rules.get("cadangan_surat_suara_persen")),
        stages=tuple(stages),
        ballot_types=tuple(ballots),
        questions=questions,
        indicators=indicators,
        severe_codes=severe,
        special_codes=special,
    )
    stage_errors = any(where.startswith(("tahapan", "hari_pemungutan")) for where in read.failed)
    # The rules of a whole definition, for the fields not already reported.
    read.errors += [e for e in problems(definition, vocabulary, check_stages=not stage_errors) if e.split(":", 1)[0] not in read.failed]
    if read.errors:
        raise DefinitionRejected(read.errors)
    return definition


def _codes(read: _Reader, key: str, value, codes: set[str]) -> tuple[str, ...]:
    found = []
    for n, code in enumerate(read.items(key, value)):
        if code not in codes:
            read.fail(f"{key}[{n}]", f"'{code}' bukan kode di daftar indikator; tulis kode yang ada di 'indikator' atau hapus.")
        found.append(code)
    return tuple(found)


def _questions(read: _Reader, value, vocabulary: Vocabulary) -> tuple[QuestionDef, ...]:
    if not isinstance(value, dict):
        read.fail("daftar_periksa", 'harus berupa objek {"persiapan": [...], ...}, satu daftar pertanyaan per tahap Form A.')
        return ()
    questions = []
    for stage, rows in value.items():
        if stage not in vocabulary.checklist_stages:
            read.fail(f"daftar_periksa.{stage}", f"tahap '{stage}' tidak dikenal; pilih dari: {', '.join(vocabulary.checklist_stages)}.")
            continue
        seen = set()
        for n, row in enumerate(read.items(f"daftar_periksa.{stage}", rows)):
            where = f"daftar_periksa.{stage}[{n}]"
            if read.obj(where, row, QUESTION_KEYS, QUESTION_KEYS) is None:
                continue
            code = read.code(f"{where}.kode", row.get("kode"), QUESTION_CODE, 40, "huruf kecil, angka dan garis bawah, diawali huruf, 2–40 karakter")
            if code == ATTACHMENT:
                read.fail(f"{where}.kode", f"'{ATTACHMENT}' dipakai Form A untuk foto lampiran; pilih kode lain.")
            if code in seen:
                read.fail(f"{where}.kode", f"'{code}' muncul dua kali di tahap {stage}.")
            seen.add(code)
            questions.append(
                QuestionDef(
                    stage,
                    code,
                    read.text(f"{where}.pertanyaan", row.get("pertanyaan"), 300),
                    read.choice(f"{where}.jenis", row.get("jenis"), vocabulary.question_kinds),
                    read.flag(f"{where}.wajib", row.get("wajib")),
                )
            )
    return tuple(questions)


def _indicators(read: _Reader, value) -> tuple[IndicatorDef, ...]:
    indicators, seen, variables = [], set(), {}
    for n, row in enumerate(read.items("indikator", value)):
        where = f"indikator[{n}]"
        if read.obj(where, row, INDICATOR_KEYS, INDICATOR_REQUIRED) is None:
            continue
        indicator = IndicatorDef(
            variable=read.whole(f"{where}.variabel", row.get("variabel"), 1, 99),
            variable_name=read.text(f"{where}.nama_variabel", row.get("nama_variabel"), 120),
            code=read.text(f"{where}.kode", row.get("kode"), 12),
            text=read.text(f"{where}.indikator", row.get("indikator"), 300),
            variable_name_en=read.text(f"{where}.nama_variabel_en", row.get("nama_variabel_en"), 120, blank=True),
            text_en=read.text(f"{where}.indikator_en", row.get("indikator_en"), 300, blank=True),
        )
        if indicator.code in seen:
            read.fail(f"{where}.kode", f"kode indikator '{indicator.code}' muncul dua kali.")
        seen.add(indicator.code)
        named = variables.setdefault(indicator.variable, indicator.variable_name)
        if named != indicator.variable_name:
            read.fail(f"{where}.nama_variabel", f"variabel {indicator.variable} sudah bernama '{named}'; samakan namanya.")
        indicators.append(indicator)
    return tuple(indicators)


def with_options(definition: ElectionDefinition, *, slug: str | None, name: str | None, voting_date: date | None, time_zone: str | None) -> ElectionDefinition:
    """The command line's options over a preset's or a file's values (a new voting day moves every stage)."""
    if voting_date is not None:
        definition = shifted(definition, voting_date)
    changes = {key: value for key, value in (("slug", slug), ("name", name), ("time_zone", time_zone)) if value is not None}
    return replace(definition, **changes)
