"""The requirements a supervisor must meet (Pemilu 2024, docs/domain.md §7), each with its reason.
No Django import."""

from dataclasses import dataclass
from datetime import date

MIN_AGE = 21
EDUCATION_ORDER = ("sd", "smp", "sma", "d3", "s1", "s2", "s3")
# Recorded as yes/no: the person declares them (a statement letter), the system keeps the answer.
DECLARATIONS = {
    "wni": "Warga negara Indonesia",
    "sehat": "Sehat jasmani dan rohani, bebas penyalahgunaan narkotika",
    "bukan_anggota_partai": "Tidak menjadi anggota partai politik sekurang-kurangnya 5 tahun",
    "tidak_dipidana": "Tidak pernah dipidana penjara 5 tahun atau lebih",
    "tidak_menikah_penyelenggara": "Tidak dalam ikatan perkawinan dengan sesama penyelenggara pemilu",
    "penuh_waktu": "Bersedia bekerja penuh waktu",
}


@dataclass(frozen=True)
class Applicant:
    birth_date: date
    education: str
    residence_kecamatan: str  # the kecamatan code of the village of residence
    declarations: dict[str, bool]


def age_on(birth_date: date, day: date) -> int:
    """Whole years: someone born on 14 Feb 2003 is 21 on 14 Feb 2024."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def failed_checks(person: Applicant, *, registered_on: date, post_kecamatan: str, other_active_post: str | None) -> list[str]:
    """The requirements not met, each as an Indonesian sentence (empty: eligible)."""
    failed = []
    age = age_on(person.birth_date, registered_on)
    if age < MIN_AGE:
        failed.append(f"Umur {age} tahun pada tanggal pendaftaran {registered_on:%d-%m-%Y}; paling rendah {MIN_AGE} tahun.")
    if person.education not in EDUCATION_ORDER or EDUCATION_ORDER.index(person.education) < EDUCATION_ORDER.index("sma"):
        failed.append("Pendidikan paling rendah SMA/SMK/sederajat.")
    if person.residence_kecamatan != post_kecamatan:
        failed.append(f"Berdomisili di kecamatan {person.residence_kecamatan}, bukan kecamatan tempat bertugas ({post_kecamatan}).")
    if other_active_post:
        failed.append(f"Masih bertugas aktif sebagai {other_active_post}.")
    for code, text in DECLARATIONS.items():
        if person.declarations.get(code) is not True:
            failed.append(f"Pernyataan belum dipenuhi: {text}.")
    return failed
