"""The election file (`sinergi-pemilihan/1`, JSON; docs/elections.md): `parse` checks a decoded
document field by field and returns its definition, or raises DefinitionRejected with every error
in Indonesian named by its place (`tahapan[2].selesai`); `to_document` writes what `parse` reads
back (a round trip changes nothing). Pure: no Django.
"""

import re
from collections.abc import Collection
from datetime import date
from decimal import Decimal, InvalidOperation

from sinergi.elections.definition import (
    FIRST_YEAR,
    BallotDef,
    DefinitionRejected,
    ElectionDefinition,
    IndicatorDef,
    QuestionDef,
    StageDef,
    Vocabulary,
    problems,
)

FORMAT = "sinergi-pemilihan/1"
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
QUESTION_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
ATTACHMENT = "lampiran"  # reserved by Form A for a photo that answers no question
# A ballot type's kit item is coded "surat-suara-<code>" in a 40-character column.
BALLOT_CODE_LIMIT = 40 - len("surat-suara-")

TOP = ("format", "kode", "nama", "jenis", "hari_pemungutan", "zona_waktu", "aturan", "tahapan", "surat_suara", "daftar_periksa", "indikator",
       "indikator_berat", "indikator_lokasi_khusus")  # fmt: skip
RULES = ("pemilih_maks_per_tps", "cadangan_surat_suara_persen")
STAGE_KEYS = ("kode", "nama", "mulai", "selesai")
BALLOT_KEYS = ("kode", "nama", "warna", "warna_hex")
BALLOT_REQUIRED = ("kode", "nama")
QUESTION_KEYS = ("kode", "pertanyaan", "jenis", "wajib", "kepolisian", "perhatian")
QUESTION_REQUIRED = ("kode", "pertanyaan", "jenis", "wajib")
INDICATOR_KEYS = ("variabel", "nama_variabel", "nama_variabel_en", "kode", "indikator", "indikator_en")
INDICATOR_REQUIRED = ("variabel", "nama_variabel", "kode", "indikator")


def to_document(definition: ElectionDefinition) -> dict:
    """The definition as the JSON document `parse` reads (dates as YYYY-MM-DD, the reserve as text
    so that 2.50 stays 2.50)."""
    questions: dict[str, list] = {}
    for q in definition.questions:
        row = {"kode": q.code, "pertanyaan": q.text, "jenis": q.kind, "wajib": q.required}
        if q.security is not None:
            row["kepolisian"] = q.security
        if q.concern is not None:
            row["perhatian"] = q.concern
        questions.setdefault(q.stage, []).append(row)
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
            read.code(f"{where}.kode", row.get("kode"), CODE, BALLOT_CODE_LIMIT, "pakai huruf kecil, angka dan tanda hubung"),
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
            if read.obj(where, row, QUESTION_KEYS, QUESTION_REQUIRED) is None:
                continue
            code = read.code(f"{where}.kode", row.get("kode"), QUESTION_CODE, 40, "huruf kecil, angka dan garis bawah, diawali huruf, 2–40 karakter")
            if code == ATTACHMENT:
                read.fail(f"{where}.kode", f"'{ATTACHMENT}' dipakai Form A untuk foto lampiran; pilih kode lain.")
            if code in seen:
                read.fail(f"{where}.kode", f"'{code}' muncul dua kali di tahap {stage}.")
            seen.add(code)
            kind = read.choice(f"{where}.jenis", row.get("jenis"), vocabulary.question_kinds)
            security = read.flag(f"{where}.kepolisian", row["kepolisian"]) if "kepolisian" in row else None
            concern = read.flag(f"{where}.perhatian", row["perhatian"]) if "perhatian" in row else None
            if concern is not None and (security is not True or kind != "ya_tidak"):
                read.fail(f"{where}.perhatian", 'hanya untuk pertanyaan ya_tidak dengan "kepolisian": true; hapus kunci ini atau tambahkan keduanya.')
            questions.append(
                QuestionDef(
                    stage,
                    code,
                    read.text(f"{where}.pertanyaan", row.get("pertanyaan"), 300),
                    kind,
                    read.flag(f"{where}.wajib", row.get("wajib")),
                    security,
                    concern,
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
