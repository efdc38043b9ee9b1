"""Demo cases of Pemilu 2024 in Klungkung (idempotent, by their fixed tracking codes):

- the obstruction at TPS 17 and 18 of Desa Ped (Pasal 510): villagers tried to stop 17 residents
  under a customary sanction from voting. A finding taken through Sentra Gakkumdu to the police and
  the prosecutor. The event is real (docs/domain.md); the people and every step after the finding are
  fictitious, for the demo;
- a money-politics report in the quiet period (Pasal 523), registered and under examination;
- a report filed after its seven working days, refused registration with the computation.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sinergi.accounts.models import User
from sinergi.cases import workflow
from sinergi.cases.models import Case
from sinergi.cases.services import file_public_report, record_finding, take_step
from sinergi.elections.models import Election

PED = "51.05.01.2010"
WITA = ZoneInfo("Asia/Makassar")
ALL_MET = {code: True for code, _label in workflow.CHECKLIST}


def _at(*args) -> datetime:
    return datetime(*args, tzinfo=WITA)


def _ped_obstruction(election: Election, users: dict[str, User]) -> Case:
    case = record_finding(
        actor=users["panwascam-nusapenida"],
        election=election,
        region_code=PED,
        at=_at(2024, 2, 14, 15, 30),
        code="LP-DEMX-PED7",
        facts={
            "reported_party": "Sejumlah warga Desa Ped (identitas dalam klarifikasi; fiktif untuk demo)",
            "occurred_on": date(2024, 2, 14),
            "known_on": date(2024, 2, 14),
            "occurred_place": "TPS 17 dan TPS 18 Desa Ped, Nusa Penida",
            "description": (
                "Pada hari pemungutan suara, sekelompok warga berupaya menghalangi 17 warga yang sedang menjalani sanksi adat "
                "untuk memberikan suara di TPS 17 dan TPS 18 Desa Ped. PTPS mencatat kejadian dan melapor ke Panwaslu Kecamatan. "
                "Dugaan: menyebabkan orang kehilangan hak pilihnya (UU 7/2017 Pasal 510). [Data demo]"
            ),
            "witnesses": [{"nama": "PTPS TPS 17 Desa Ped (demo)", "alamat": "Desa Ped"}, {"nama": "PTPS TPS 18 Desa Ped (demo)", "alamat": "Desa Ped"}],
        },
    )
    bawaslu, polres, jaksa = users["bawaslu"], users["polres"], users["jaksa"]
    steps = [
        (bawaslu, "registrasi", "", "", _at(2024, 2, 15, 10, 0)),
        (bawaslu, "pembahasan", "", "Pembahasan pertama Sentra Gakkumdu: peristiwa memenuhi unsur awal Pasal 510; klarifikasi para pihak. [Demo]", _at(2024, 2, 15, 14, 0)),
        (bawaslu, "pemeriksaan", "", "", _at(2024, 2, 16, 9, 0)),
        (bawaslu, "putus", workflow.CRIME, "Kajian: dugaan tindak pidana pemilu Pasal 510; diteruskan melalui Sentra Gakkumdu. [Demo]", _at(2024, 2, 22, 15, 0)),
        (jaksa, "pembahasan", "", "Pembahasan kedua: unsur terpenuhi; sepakat diteruskan ke penyidik. [Demo]", _at(2024, 2, 22, 16, 0)),
        (bawaslu, "teruskan", "", "", _at(2024, 2, 23, 9, 0)),
        (polres, "serahkan_berkas", "", "", _at(2024, 3, 6, 10, 0)),
    ]
    for actor, action, outcome, note, at in steps:
        take_step(actor=actor, case=case, action=action, outcome=outcome, note=note, checklist=ALL_MET if action == "registrasi" else None, at=at)
    return case


def _quiet_period_money(election: Election, users: dict[str, User]) -> Case:
    case = file_public_report(
        election=election,
        source=Case.Source.VOTER,
        region_code="51.05.04.2002",
        at=_at(2024, 2, 13, 11, 20),
        code="LP-DEMX-UANG",
        facts={
            "reporter_name": "Warga pelapor (fiktif)",
            "reporter_address": "Kecamatan Dawan, Klungkung",
            "reporter_phone": "0812-0000-0000",
            "reported_party": "Tim pemenangan seorang calon anggota DPRD (fiktif)",
            "occurred_on": date(2024, 2, 12),
            "known_on": date(2024, 2, 12),
            "occurred_place": "Balai banjar (fiktif), Kecamatan Dawan",
            "description": "Pembagian amplop berisi uang kepada warga pada masa tenang, disertai ajakan memilih calon tertentu (UU 7/2017 Pasal 523 ayat 2). [Data demo]",
            "witnesses": [{"nama": "Saksi warga (fiktif)", "alamat": "Kecamatan Dawan"}],
        },
    )
    take_step(actor=users["bawaslu"], case=case, action="registrasi", checklist=ALL_MET, at=_at(2024, 2, 13, 15, 0))
    take_step(actor=users["bawaslu"], case=case, action="pemeriksaan", at=_at(2024, 2, 15, 9, 0))
    return case


def _too_late(election: Election, users: dict[str, User]) -> Case:
    case = file_public_report(
        election=election,
        source=Case.Source.PARTICIPANT,
        region_code="51.05.03.1008",
        at=_at(2024, 3, 4, 10, 0),
        code="LP-DEMX-TRMB",
        facts={
            "reporter_name": "Saksi peserta pemilu (fiktif)",
            "reporter_address": "Semarapura, Klungkung",
            "reported_party": "KPPS sebuah TPS (fiktif)",
            "occurred_on": date(2024, 2, 14),
            "known_on": date(2024, 2, 15),
            "occurred_place": "TPS (fiktif), Kelurahan Semarapura Kaja",
            "description": "Dugaan salah hitung surat suara pada penghitungan di TPS, diketahui saat rekapitulasi di kecamatan. [Data demo]",
        },
    )
    take_step(
        actor=users["bawaslu"],
        case=case,
        action="tidak_diregistrasi",
        note="Laporan disampaikan melewati batas 7 hari kerja sejak diketahui (15 Februari 2024); syarat formal tidak terpenuhi. [Demo]",
        at=_at(2024, 3, 5, 10, 0),
    )
    return case


def seed(election: Election) -> int:
    """The three demo cases of Pemilu 2024; returns how many were created now (0 when present)."""
    if election.slug != "pemilu-2024":
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["bawaslu", "polres", "jaksa", "panwascam-nusapenida"]).select_related("agency")}
    created = 0
    for code, make in (("LP-DEMX-PED7", _ped_obstruction), ("LP-DEMX-UANG", _quiet_period_money), ("LP-DEMX-TRMB", _too_late)):
        if not Case.objects.filter(tracking_code=code).exists():
            make(election, users)
            created += 1
    return created
