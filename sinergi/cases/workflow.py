"""The path of a case, as data: its statuses, the steps that move it, who takes each step, which
steps the public sees, and which deadline runs in each status. Pure: no Django, no database.

A step is taken by an agency kind (Bawaslu handles the case; the police investigate; the
prosecutor prosecutes and records the courts' verdicts). Deliberations of Sentra Gakkumdu are seen
by its members only; the reporter's page shows the public steps, by their label and date only.
"""

from dataclasses import dataclass
from datetime import timedelta

from sinergi.cases import deadlines as d

# Statuses (the values stored in Case.status).
RECEIVED = "diterima"
INCOMPLETE = "perlu_dilengkapi"
REGISTERED = "teregistrasi"
NOT_REGISTERED = "tidak_diregistrasi"
EXAMINATION = "pemeriksaan"
DECIDED = "diputus"
GAKKUMDU = "pembahasan_gakkumdu"
INVESTIGATION = "penyidikan"
PROSECUTION = "penuntutan"
FILE_RETURNED = "berkas_dikembalikan"
FILE_COMPLETE = "berkas_lengkap"
TRIAL = "sidang_pn"
VERDICT = "putusan_pn"
APPEAL = "banding"
CLOSED = "selesai"

STATUS_LABEL = {
    RECEIVED: "Diterima",
    INCOMPLETE: "Perlu dilengkapi pelapor",
    REGISTERED: "Teregistrasi",
    NOT_REGISTERED: "Tidak diregistrasi",
    EXAMINATION: "Pemeriksaan/klarifikasi",
    DECIDED: "Diputus",
    GAKKUMDU: "Pembahasan Sentra Gakkumdu",
    INVESTIGATION: "Penyidikan Kepolisian",
    PROSECUTION: "Berkas di penuntut umum",
    FILE_RETURNED: "Berkas dikembalikan ke penyidik",
    FILE_COMPLETE: "Berkas lengkap (P-21)",
    TRIAL: "Sidang pengadilan negeri",
    VERDICT: "Putusan pengadilan negeri",
    APPEAL: "Banding di pengadilan tinggi",
    CLOSED: "Selesai",
}
FINAL = frozenset({NOT_REGISTERED, DECIDED, CLOSED})

# Who takes a step: the kind of the acting user's agency (accounts.Agency.Kind values).
BAWASLU = "bawaslu"
POLICE = "polres"
PROSECUTOR = "kejaksaan"
# Members of Sentra Gakkumdu at the district: Bawaslu, the Polres and the Kejaksaan Negeri.
GAKKUMDU_MEMBERS = frozenset({BAWASLU, POLICE, PROSECUTOR})

# Decisions after examination (Case.outcome).
NOT_VIOLATION = "bukan_pelanggaran"
ADMINISTRATIVE = "administratif"
ETHICS = "kode_etik"
OTHER_LAWS = "hukum_lainnya"
CRIME = "tindak_pidana"
OUTCOME_LABEL = {
    NOT_VIOLATION: "Bukan pelanggaran",
    ADMINISTRATIVE: "Pelanggaran administratif (ditangani Bawaslu)",
    ETHICS: "Pelanggaran kode etik penyelenggara (diteruskan ke DKPP)",
    OTHER_LAWS: "Pelanggaran hukum lainnya (diteruskan ke instansi berwenang)",
    CRIME: "Dugaan tindak pidana pemilu (Sentra Gakkumdu)",
}

# An event a step sets, from which later deadlines count (deadlines.py's start events), and the
# one the completion window counts from.
COMPLETION_ASKED = "diminta_dilengkapi"


@dataclass(frozen=True)
class Action:
    code: str
    label: str  # what the step is, in Indonesian (the public page shows this and the date)
    sources: tuple[str, ...]  # the statuses it may be taken from
    target: str  # the status it leads to ("" for a decision: the outcome picks it)
    agency: str  # the agency kind that takes it
    public: bool  # shown on the reporter's page (label and date only)
    document: str  # the title of the PDF the step produces
    sets: str = ""  # the deadline start event it sets (its day, or its moment for hour rules)
    deliberation: bool = False  # Sentra Gakkumdu's deliberation: its members only
    needs_note: bool = False  # a reason or summary must be written
    awaits_deadline: bool = False  # taken once the running time has passed (a verdict final without appeal)


ACTIONS: dict[str, Action] = {
    a.code: a
    for a in (
        Action("minta_lengkapi", "Pelapor diminta melengkapi laporan", (RECEIVED,), INCOMPLETE, BAWASLU, True, "Pemberitahuan Kekurangan Syarat Laporan", COMPLETION_ASKED, needs_note=True),
        Action("dilengkapi", "Laporan dilengkapi pelapor", (INCOMPLETE,), RECEIVED, BAWASLU, True, "Tanda Terima Kelengkapan Laporan", needs_note=True),
        Action("registrasi", "Laporan/temuan diregistrasi", (RECEIVED,), REGISTERED, BAWASLU, True, "Tanda Bukti Registrasi", d.REGISTERED),
        Action("tidak_diregistrasi", "Tidak diregistrasi", (RECEIVED, INCOMPLETE), NOT_REGISTERED, BAWASLU, True, "Pemberitahuan Laporan Tidak Diregistrasi", needs_note=True),
        Action("pemeriksaan", "Pemeriksaan dan klarifikasi dimulai", (REGISTERED,), EXAMINATION, BAWASLU, True, "Undangan Klarifikasi"),
        Action("perpanjang", "Waktu pemeriksaan diperpanjang (perlu keterangan tambahan)", (REGISTERED, EXAMINATION), EXAMINATION, BAWASLU, False, "Berita Acara Perpanjangan Waktu", needs_note=True),
        Action("putus", "Status laporan/temuan diputuskan", (REGISTERED, EXAMINATION), "", BAWASLU, True, "Pemberitahuan Status Laporan/Temuan", d.FORWARDED, needs_note=True),
        Action("pembahasan", "Pembahasan Sentra Gakkumdu", (REGISTERED, EXAMINATION, GAKKUMDU, INVESTIGATION, PROSECUTION, FILE_RETURNED, FILE_COMPLETE), "", BAWASLU, False, "Berita Acara Pembahasan Sentra Gakkumdu", deliberation=True, needs_note=True),
        Action("teruskan", "Diteruskan ke Kepolisian", (GAKKUMDU,), INVESTIGATION, BAWASLU, True, "Surat Penerusan Dugaan Tindak Pidana Pemilu", d.TO_POLICE),
        Action("hentikan_gakkumdu", "Tidak dilanjutkan ke penyidikan (kesimpulan Sentra Gakkumdu)", (GAKKUMDU,), CLOSED, BAWASLU, True, "Pemberitahuan Penghentian", needs_note=True),
        Action("serahkan_berkas", "Berkas penyidikan diserahkan ke penuntut umum", (INVESTIGATION,), PROSECUTION, POLICE, True, "Surat Pengiriman Berkas Perkara", d.FILE_RECEIVED),
        Action("hentikan_penyidikan", "Penyidikan dihentikan", (INVESTIGATION,), CLOSED, POLICE, True, "Surat Ketetapan Penghentian Penyidikan", needs_note=True),
        Action("kembalikan_berkas", "Berkas dikembalikan ke penyidik untuk dilengkapi", (PROSECUTION,), FILE_RETURNED, PROSECUTOR, False, "Pengembalian Berkas Perkara (P-19)", d.FILE_RETURNED, needs_note=True),
        Action("serahkan_kembali", "Berkas yang dilengkapi diserahkan kembali", (FILE_RETURNED,), PROSECUTION, POLICE, False, "Surat Pengiriman Kembali Berkas Perkara", d.FILE_RECEIVED),
        Action("berkas_lengkap", "Berkas dinyatakan lengkap", (PROSECUTION,), FILE_COMPLETE, PROSECUTOR, False, "Pemberitahuan Hasil Penyidikan Sudah Lengkap (P-21)", d.FILE_COMPLETE),
        Action("limpahkan", "Perkara dilimpahkan ke pengadilan negeri", (FILE_COMPLETE,), TRIAL, PROSECUTOR, True, "Surat Pelimpahan Perkara", d.AT_COURT),
        Action("putusan_pn", "Putusan pengadilan negeri", (TRIAL,), VERDICT, PROSECUTOR, True, "Catatan Putusan Pengadilan Negeri", d.VERDICT, needs_note=True),
        Action("banding", "Banding diajukan", (VERDICT,), APPEAL, PROSECUTOR, True, "Catatan Permohonan Banding", d.APPEALED, needs_note=True),
        Action("berkekuatan_tetap", "Putusan berkekuatan hukum tetap (tanpa banding)", (VERDICT,), CLOSED, PROSECUTOR, True, "Catatan Putusan Berkekuatan Hukum Tetap", awaits_deadline=True),
        Action("putusan_pt", "Putusan pengadilan tinggi (terakhir dan mengikat)", (APPEAL,), CLOSED, PROSECUTOR, True, "Catatan Putusan Pengadilan Tinggi", needs_note=True),
    )
}


def may_take(action: Action, agency_kind: str) -> bool:
    """Whether an agency of `agency_kind` takes `action` (deliberations: any Gakkumdu member)."""
    if action.deliberation:
        return agency_kind in GAKKUMDU_MEMBERS
    return agency_kind == action.agency


def available(status: str, agency_kind: str | None) -> list[Action]:
    """The steps an agency of `agency_kind` may take on a case in `status`, in workflow order."""
    return [a for a in ACTIONS.values() if status in a.sources and agency_kind is not None and may_take(a, agency_kind)]


def judged_by_deadline(action: Action) -> bool:
    """Whether taking `action` is what the running deadline asks for (so it can be late): a step
    that moves the case on; not a deliberation, an extension, or a verdict becoming final."""
    return bool(action.target or action.code == "putus") and not action.awaits_deadline and action.code != "perpanjang"


def target_of(action: Action, outcome: str = "") -> str:
    """The status `action` leads to; a decision's depends on its outcome."""
    if action.target:
        return action.target
    if action.code == "putus":
        if outcome not in OUTCOME_LABEL:
            raise ValueError(f"unknown outcome {outcome!r}")
        return GAKKUMDU if outcome == CRIME else DECIDED
    return ""  # a deliberation leaves the status as it is


# The deadline running in each status: candidate rule codes, the first in the election's rule set
# wins (a Pilkada has no separate initial review: Bawaslu decides within 3 days of receipt).
PENDING_RULES: dict[str, tuple[str, ...]] = {
    RECEIVED: ("kajian_awal", "putusan"),
    INCOMPLETE: ("kelengkapan",),
    REGISTERED: ("putusan",),
    EXAMINATION: ("putusan",),
    GAKKUMDU: ("penerusan",),
    INVESTIGATION: ("penyidikan",),
    PROSECUTION: ("pengembalian_berkas",),
    FILE_RETURNED: ("penyerahan_kembali",),
    FILE_COMPLETE: ("pelimpahan",),
    TRIAL: ("putusan_pn",),
    VERDICT: ("banding",),
    APPEAL: ("putusan_pt",),
}
# Who answers for the running deadline (reminders go to that agency's officers).
RESPONSIBLE = {
    INVESTIGATION: POLICE,
    FILE_RETURNED: POLICE,
    PROSECUTION: PROSECUTOR,
    FILE_COMPLETE: PROSECUTOR,
    TRIAL: PROSECUTOR,
    VERDICT: PROSECUTOR,
    APPEAL: PROSECUTOR,
}


def pending_rule(status: str, rules: tuple[d.Rule, ...], *, extended: bool = False) -> d.Rule | None:
    """The rule whose deadline runs while a case is in `status`, or None (final, or no rule in
    this election kind's set)."""
    codes = PENDING_RULES.get(status, ())
    if extended and status in (REGISTERED, EXAMINATION):
        codes = ("putusan_diperpanjang", *codes)
    by_code = {rule.code: rule for rule in rules}
    return next((by_code[code] for code in codes if code in by_code), None)


def completion_rule(days: int, unit: d.Unit) -> d.Rule:
    """The window a reporter has to complete a report lacking a requirement (a setting)."""
    return d.Rule("kelengkapan", "Pelapor melengkapi laporan", days, unit, COMPLETION_ASKED, "Perbawaslu 7/2022 (batas kelengkapan laporan; diatur lewat CASE_COMPLETION_DAYS)")


# The intake checklist: formal and material requirements of a report (docs/domain.md §8). The filing
# time limit is computed, not ticked.
FORMAL = (
    ("identitas", "Identitas pelapor (nama) jelas"),
    ("alamat", "Alamat pelapor jelas"),
    ("terlapor", "Pihak terlapor disebutkan"),
)
MATERIAL = (
    ("waktu_tempat", "Waktu dan tempat kejadian"),
    ("uraian", "Uraian kejadian"),
    ("bukti", "Bukti (dokumen, foto, saksi)"),
)
CHECKLIST = FORMAL + MATERIAL


def missing(checklist: dict[str, bool]) -> list[str]:
    """The labels of the requirements not met."""
    return [label for code, label in CHECKLIST if not checklist.get(code)]


# Reminders: at half of the time, one day before the end, and once overdue.
HALF, DAY_BEFORE, OVERDUE = "separuh_waktu", "sehari_sebelum", "terlambat"
REMINDER_LABEL = {HALF: "Separuh waktu telah lewat", DAY_BEFORE: "Satu hari sebelum batas waktu", OVERDUE: "Batas waktu terlewati"}


def reminder_moments(start, end) -> list[tuple[str, object]]:
    """When each reminder of a deadline running from `start` to `end` (aware datetimes) is due,
    in order. A deadline shorter than two days gets no 'one day before' reminder before its half."""
    half = start + (end - start) / 2
    day_before = end - timedelta(days=1)
    moments = [(HALF, half)]
    if day_before > half:
        moments.append((DAY_BEFORE, day_before))
    moments.append((OVERDUE, end))
    return moments


def due_reminder(start, end, now) -> tuple[str | None, list[str]]:
    """The reminder to send at `now` (the latest one due) and the earlier ones it supersedes."""
    due = [kind for kind, at in reminder_moments(start, end) if at <= now]
    if not due:
        return None, []
    return due[-1], due[:-1]

