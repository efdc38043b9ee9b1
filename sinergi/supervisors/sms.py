"""Reports and incidents by SMS, for phones without data (docs/sms.md). The parser is pure; the
webhook view identifies the sender by the phone number on the roster and files through the same
idempotent services as the app, the gateway's message id standing in for the report's id.

    LAP P Y Y T 7 #tertib         preparation report: answers in checklist order
    KEJ INT T Warga menghalangi pemilih    incident: category, severity, description
"""

import re
import uuid
from dataclasses import dataclass

STAGES = {"P": "persiapan", "S": "pemungutan", "H": "penghitungan", "K": "pengiriman"}
CATEGORIES = {"INT": "intimidasi", "UANG": "politik_uang", "PTB": "pemilih_tidak_berhak", "LOG": "logistik", "PROS": "prosedur", "BEN": "bencana", "LAIN": "lainnya"}
SEVERITIES = {"R": "rendah", "S": "sedang", "T": "tinggi"}
# A fixed namespace: the same gateway message id always gives the same report id.
NAMESPACE = uuid.UUID("3f0c6a1e-7b5d-4c1a-9a57-5b1e0d2c8f10")


class SmsError(ValueError):
    """A message that cannot be understood; the text is the reply the sender gets."""


@dataclass(frozen=True)
class SmsReport:
    stage: str
    answers: dict
    narrative: str


@dataclass(frozen=True)
class SmsIncident:
    category: str
    severity: str
    description: str


def client_id_for(gateway_id: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"sms:{gateway_id}")


def parse(text: str, checklists: dict[str, list[tuple[str, str, str, bool]]]) -> SmsReport | SmsIncident:
    """`checklists`: stage -> [(code, text, kind, required)] in order (photo questions are skipped
    by SMS). Raises SmsError with the reply explaining what is wrong."""
    body, _, narrative = text.strip().partition("#")
    words = body.split()
    if not words:
        raise SmsError("Pesan kosong. Format: LAP <tahap P/S/H/K> <jawaban...> atau KEJ <kategori> <tingkat R/S/T> <uraian>.")
    keyword = words[0].upper()
    if keyword == "LAP":
        if len(words) < 2 or words[1].upper() not in STAGES:
            raise SmsError("Tahap tidak dikenal. Tulis LAP P (persiapan), LAP S (pemungutan), LAP H (penghitungan) atau LAP K (pengiriman).")
        stage = STAGES[words[1].upper()]
        questions = [q for q in checklists.get(stage, []) if q[2] != "foto"]
        values = words[2:]
        if len(values) != len(questions):
            expected = " ".join("Y/T" if kind == "ya_tidak" else "angka" if kind == "angka" else "teks" for _, _, kind, _ in questions)
            raise SmsError(f"Tahap {stage} perlu {len(questions)} jawaban ({expected}), diterima {len(values)}.")
        answers = {}
        for n, ((code, _, kind, _), value) in enumerate(zip(questions, values, strict=True), start=1):
            if kind == "ya_tidak":
                if value.upper() not in ("Y", "T"):
                    raise SmsError(f"Jawaban ke-{n} ({code}) harus Y atau T, bukan '{value}'.")
                answers[code] = value.upper() == "Y"
            elif kind == "angka":
                if not (value.isascii() and value.isdigit()):
                    raise SmsError(f"Jawaban ke-{n} ({code}) harus angka, bukan '{value}'.")
                answers[code] = int(value)
            else:
                answers[code] = value
        return SmsReport(stage, answers, narrative.strip())
    if keyword == "KEJ":
        if len(words) < 4:
            raise SmsError("Format kejadian: KEJ <kategori> <tingkat R/S/T> <uraian>. Kategori: " + ", ".join(CATEGORIES) + ".")
        category, severity = words[1].upper(), words[2].upper()
        if category not in CATEGORIES:
            raise SmsError(f"Kategori '{words[1]}' tidak dikenal. Pilih: {', '.join(CATEGORIES)}.")
        if severity not in SEVERITIES:
            raise SmsError(f"Tingkat '{words[2]}' tidak dikenal. Pilih R (rendah), S (sedang) atau T (tinggi).")
        description = re.split(r"\s+", text.strip(), maxsplit=3)[3] if len(text.split()) > 3 else ""
        return SmsIncident(CATEGORIES[category], SEVERITIES[severity], description.strip())
    raise SmsError(f"Kata kunci '{words[0]}' tidak dikenal. Awali dengan LAP (laporan) atau KEJ (kejadian).")
