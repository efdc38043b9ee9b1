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


def preset_questions() -> list[tuple[str, str, str, str, bool]]:
    """The preset's questions as (Form A stage, code, text, kind, required), in order."""
    return [(stage, code, text, kind, required) for stage, questions in PRESET.items() for code, text, kind, required in questions]


def store_questions(election: Election, questions: list[tuple[str, str, str, str, bool]]) -> list[Change]:
    """Add the checked questions (Form A stage, code, text, kind, required) the election lacks,
    inside the caller's transaction; the audit changes, for the caller to record. A question
    already there keeps Bawaslu's wording (`save_question` changes it)."""
    changes, order = [], {}
    for stage, code, text, kind, required in questions:
        position = order[stage] = order.get(stage, -1) + 1
        wanted = {"text": text, "kind": kind, "required": required, "order": position}
        question, created = Question.objects.get_or_create(election=election, stage=stage, code=code, defaults=wanted)
        if created:
            after = {"pertanyaan": text, "wajib": required, "urutan": position, "jenis": kind}
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


def save_question(*, actor: User | None, election: Election, stage: str, code: str, text: str, kind: str, required: bool, order: int) -> Question:
    """Add a question to a stage's checklist, or change the wording, requirement or place of one
    (its code and kind stay: stored answers are keyed by them). The checklist holds for every TPS
    of the election, so only a user whose area covers all of them may change it. A change reaches
    every server process within CHECKLIST_SECONDS."""
    if actor is not None:
        require(actor, Perm.MANAGE_SUPERVISORS)
        if Station.objects.filter(election=election).exclude(pk__in=stations_visible_to(actor, election).values("pk")).exists():
            raise PermissionDenied("Daftar periksa berlaku untuk seluruh TPS pemilihan; hanya pengguna yang wilayahnya mencakup semuanya yang dapat mengubahnya.")
    errors = []
    if stage not in Question.Stage.values:
        errors.append(f"Tahap '{stage}' tidak dikenal.")
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,39}", code) or code == ATTACHMENT:
        errors.append("Kode: huruf kecil, angka dan garis bawah, diawali huruf, 2–40 karakter (bukan 'lampiran').")
    if kind not in Question.Kind.values:
        errors.append(f"Jenis '{kind}' tidak dikenal.")
    if not text.strip() or len(text) > 300:
        errors.append("Isi pertanyaan, paling panjang 300 karakter.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        question = Question.objects.select_for_update().filter(election=election, stage=stage, code=code).first()
        before = {"pertanyaan": question.text, "wajib": question.required, "urutan": question.order} if question else {}
        if question is None:
            question = Question.objects.create(election=election, stage=stage, code=code, text=text.strip(), kind=kind, required=required, order=order)
        elif question.kind != kind:
            raise ValidationError(f"Jenis pertanyaan '{code}' tidak dapat diubah (jawaban yang tersimpan memakainya); buat kode baru.")
        else:
            question.text, question.required, question.order = text.strip(), required, order
            question.save(update_fields=["text", "required", "order"])
        after = {"pertanyaan": question.text, "wajib": question.required, "urutan": question.order}
        if changes := diff(before, after):
            record(actor=actor, changes=[Change("checklist.question", "supervisors.question", question.pk, f"{stage}/{code}", election.slug, changes | ({"jenis": [None, kind]} if not before else {}))])
        # This process forgets its copy once the change is committed (not before: a request in
        # between would cache the old questions again).
        transaction.on_commit(forget_checklists)
    return question
