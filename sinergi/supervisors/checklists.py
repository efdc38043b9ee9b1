"""Form A's stage checklists: the Pemilu 2024 preset, the per-process copy the voting-day hot
path reads, and Bawaslu's changes to them (`save_question`)."""

import re
import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.elections.models import Election
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to
from sinergi.supervisors.models import Question

ATTACHMENT = "lampiran"  # the code of a photo that answers no particular question

# The Pemilu 2024 checklists as data (Sinergi's own short wording of what Form A asks).
PRESET = {
    Question.Stage.PREPARATION: [
        ("kotak_tersegel", "Kotak suara dalam keadaan tersegel sebelum dibuka", "ya_tidak", True),
        ("logistik_lengkap", "Perlengkapan pemungutan suara lengkap dan sesuai", "ya_tidak", True),
        ("dpt_ditempel", "Salinan DPT ditempel di TPS", "ya_tidak", False),
        ("kpps_hadir", "Jumlah anggota KPPS yang hadir", "angka", True),
    ],
    Question.Stage.VOTING: [
        ("dibuka_tepat_waktu", "TPS dibuka pukul 07.00", "ya_tidak", True),
        ("saksi_hadir", "Jumlah saksi peserta pemilu yang hadir", "angka", False),
        ("pemilih_tidak_berhak", "Ada orang yang tidak berhak ikut memilih", "ya_tidak", True),
        ("intimidasi", "Ada intimidasi atau tekanan kepada pemilih", "ya_tidak", True),
    ],
    Question.Stage.COUNTING: [
        ("penghitungan_terbuka", "Penghitungan suara terbuka dan dapat disaksikan", "ya_tidak", True),
        ("keberatan_saksi", "Ada keberatan saksi", "ya_tidak", True),
        ("foto_c_hasil", "Foto C.Hasil (salinan pengawas)", "foto", False),
    ],
    Question.Stage.TRANSFER: [
        ("dikawal", "Kotak suara dikawal ke PPS", "ya_tidak", True),
        ("segel_utuh", "Segel kotak suara utuh saat diserahkan", "ya_tidak", True),
    ],
}


# The preset's answers that bear on the security of a TPS, which the police read too (with no
# narrative and no personal data: docs/supervisors.md, "Who reads voting day"). Chosen because the
# police act on them: a ballot box not sealed or a seal broken (tampering), equipment missing, a TPS
# not opened on time, people voting who may not, intimidation, a count not open to watch or
# contested by witnesses (where a dispute starts), a box not escorted to the PPS. The others (the
# voters' list posted, how many KPPS members or witnesses came, the C.Hasil photo) are about the
# procedure, Bawaslu's own business. Each with the answer that needs attention (the coverage board
# lists the TPS that gave it). Stored on each question (`Question.security`, `Question.concern`), so
# Bawaslu may change an election's choice on the checklist page.
CONCERNS: dict[str, bool] = {
    "kotak_tersegel": False,
    "logistik_lengkap": False,
    "dibuka_tepat_waktu": False,
    "pemilih_tidak_berhak": True,
    "intimidasi": True,
    "penghitungan_terbuka": False,
    "keberatan_saksi": True,
    "dikawal": False,
    "segel_utuh": False,
}
SECURITY = frozenset(CONCERNS)
KEEP = "keep"  # save_question: leave the mark as it is


def preset_questions() -> list[tuple[str, str, str, str, bool]]:
    """The preset's questions as (Form A stage, code, text, kind, required), in order."""
    return [(stage, code, text, kind, required) for stage, questions in PRESET.items() for code, text, kind, required in questions]


def store_questions(election: Election, questions: list[tuple]) -> list[Change]:
    """Add the checked questions (Form A stage, code, text, kind, required[, security[, concern]])
    the election lacks, inside the caller's transaction; the audit changes, for the caller to
    record. A question already there keeps Bawaslu's wording and marks (`save_question` changes
    them). `security` missing or None: the preset's choice by code (`CONCERNS`), its concern too."""
    changes, order = [], {}
    for stage, code, text, kind, required, *rest in questions:
        if rest and rest[0] is not None:
            security, concern = rest[0], (rest[1] if len(rest) > 1 else None)
        else:
            security, concern = code in SECURITY, CONCERNS.get(code)
        concern = concern if security and kind == Question.Kind.YES_NO else None
        position = order[stage] = order.get(stage, -1) + 1
        wanted = {"text": text, "kind": kind, "required": required, "order": position, "security": security, "concern": concern}
        question, created = Question.objects.get_or_create(election=election, stage=stage, code=code, defaults=wanted)
        if created:
            after = {"pertanyaan": text, "wajib": required, "urutan": position, "jenis": kind, "untuk_kepolisian": security, "perlu_perhatian": concern}
            changes.append(Change("checklist.question", "supervisors.question", question.pk, f"{stage}/{code}", election.slug, diff({}, after)))
    if changes:
        transaction.on_commit(forget_checklists)
    return changes


# Each server process keeps the checklists it has read for CHECKLIST_SECONDS: on voting day every
# report needs them and they do not change then. A change reaches every process within that time.
CHECKLIST_SECONDS = 30
_checklists: dict[int, tuple[float, dict[str, dict[str, Question]]]] = {}


def checklists(election_id: int) -> dict[str, dict[str, Question]]:
    """The election's questions, {stage: {code: question}} (read-only: shared between threads)."""
    now = time.monotonic()
    cached = _checklists.get(election_id)
    if cached is None or now - cached[0] > CHECKLIST_SECONDS:
        stages: dict[str, dict[str, Question]] = {}
        for question in Question.objects.filter(election_id=election_id):
            stages.setdefault(question.stage, {})[question.code] = question
        cached = _checklists[election_id] = (now, stages)
    return cached[1]


def forget_checklists() -> None:
    _checklists.clear()


def save_question(
    *,
    actor: User | None,
    election: Election,
    stage: str,
    code: str,
    text: str,
    kind: str,
    required: bool,
    order: int,
    security: bool | None = None,
    concern: bool | None | str = KEEP,
) -> Question:
    """Add a question to a stage's checklist, or change the wording, requirement, place or marks
    of one (its code and kind stay: stored answers are keyed by them): `security`, the police read
    its answers (None keeps it; a new question is not marked), and `concern`, for a yes/no question
    the police read, the answer that needs attention (True, False, None for none; KEEP keeps it). The checklist holds for every TPS
    of the election, so only a user whose area covers all of them may change it. A change reaches
    every server process within CHECKLIST_SECONDS."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
        if Station.objects.filter(election=election).exclude(pk__in=stations_visible_to(actor, election).values("pk")).exists():
            raise PermissionDenied(
                "Daftar periksa berlaku untuk seluruh TPS pemilihan; hanya pengguna yang wilayahnya mencakup semuanya yang dapat mengubahnya."
            )
    errors = []
    if stage not in Question.Stage.values:
        errors.append(f"Tahap '{stage}' tidak dikenal.")
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", code) or code == ATTACHMENT:
        errors.append("Kode: huruf kecil, angka dan garis bawah, diawali huruf, 2–40 karakter (bukan 'lampiran').")
    if kind not in Question.Kind.values:
        errors.append(f"Jenis '{kind}' tidak dikenal.")
    if not text.strip() or len(text) > 300:
        errors.append("Isi pertanyaan, paling panjang 300 karakter.")
    if concern not in (KEEP, None) and (kind != Question.Kind.YES_NO or security is False):
        errors.append("Jawaban yang perlu perhatian: hanya untuk pertanyaan ya/tidak yang dibaca kepolisian; kosongkan untuk pertanyaan lain.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        question = Question.objects.select_for_update().filter(election=election, stage=stage, code=code).first()
        before = (
            {
                "pertanyaan": question.text,
                "wajib": question.required,
                "urutan": question.order,
                "untuk_kepolisian": question.security,
                "perlu_perhatian": question.concern,
            }
            if question
            else {}
        )
        if question is None:
            question = Question.objects.create(
                election=election,
                stage=stage,
                code=code,
                text=text.strip(),
                kind=kind,
                required=required,
                order=order,
                security=bool(security),
                concern=None if concern == KEEP else concern,
            )
        elif question.kind != kind:
            raise ValidationError(f"Jenis pertanyaan '{code}' tidak dapat diubah (jawaban yang tersimpan memakainya); buat kode baru.")
        else:
            question.text, question.required, question.order = text.strip(), required, order
            question.security = question.security if security is None else security
            question.concern = question.concern if concern == KEEP else concern
            if not question.security:
                question.concern = None  # nothing needs the police's attention in what they do not read
            question.save(update_fields=["text", "required", "order", "security", "concern"])
        after = {
            "pertanyaan": question.text,
            "wajib": question.required,
            "urutan": question.order,
            "untuk_kepolisian": question.security,
            "perlu_perhatian": question.concern,
        }
        if changes := diff(before, after):
            record(
                actor=actor,
                changes=[
                    Change(
                        "checklist.question",
                        "supervisors.question",
                        question.pk,
                        f"{stage}/{code}",
                        election.slug,
                        changes | ({"jenis": [None, kind]} if not before else {}),
                    )
                ],
            )
        # This process forgets its copy once the change is committed (not before: a request in
        # between would cache the old questions again).
        transaction.on_commit(forget_checklists)
    return question
