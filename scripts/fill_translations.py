"""Fill locale/en/LC_MESSAGES/django.po from the English wording table below.

Run after `make messages` has extracted new strings; it leaves entries not in the table
untouched (and the translation test then names them).
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "sinergi" / "locale" / "en" / "LC_MESSAGES" / "django.po"

ENGLISH = {
    "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil.": "Wrong username or password. Mind upper and lower case.",
    "Akun ini tidak aktif. Hubungi administrator lembaga Anda.": "This account is inactive. Contact your agency's administrator.",
    "Bawaslu Kabupaten/Kota": "Bawaslu (district election supervisory body)",
    "Panwaslu Kecamatan": "Panwascam (sub-district supervisors)",
    "Panwaslu Kelurahan/Desa": "PKD (village supervisor)",
    "Polres": "Polres (district police)",
    "Polsek": "Polsek (sub-district police)",
    "KPU Kabupaten/Kota": "KPU (district election commission)",
    "Kejaksaan Negeri": "District prosecutor's office",
    "Pemerintah Daerah / Linmas": "Local government / Linmas",
    "jenis": "kind",
    "nama": "name",
    "lembaga": "agency",
    "Pimpinan/administrator": "Head/administrator",
    "Staf": "Staff",
    "Petugas lapangan": "Field officer",
    "peran": "role",
    "pengguna": "user",
    "Akun dikunci sementara": "Account temporarily locked",
    "Terlalu banyak percobaan masuk yang gagal. Tunggu beberapa menit lalu coba lagi, atau hubungi administrator lembaga Anda.": "Too many failed sign-in attempts. Wait a few minutes and try again, or contact your agency's administrator.",
    "Kembali ke halaman masuk": "Back to the sign-in page",
    "Masuk": "Sign in",
    "Masuk ke Sinergi": "Sign in to Sinergi",
    "Pengawasan dan pengamanan pemilu bersama: Bawaslu, Polri, KPU, Kejaksaan dan Pemda.": "Joint election supervision and security: Bawaslu, police, KPU, prosecutors and local government.",
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Ganti kata sandi": "Change password",
    "Simpan kata sandi baru": "Save new password",
    "Kata sandi telah diganti.": "Your password has been changed.",
    "waktu": "time",
    "tindakan": "action",
    "jenis objek": "object type",
    "id objek": "object id",
    "objek": "object",
    "pemilihan": "election",
    "perubahan": "changes",
    "peristiwa audit": "audit event",
    "Log audit": "Audit log",
    "Setiap perubahan data tercatat di sini, berantai dengan hash. Periksa keutuhannya dengan perintah": "Every change of data is recorded here, hash-chained. Check its integrity with the command",
    "Tindakan": "Action",
    "Pengguna": "User",
    "Pemilihan": "Election",
    "Terapkan": "Apply",
    "Waktu": "Time",
    "Objek": "Object",
    "Perubahan": "Changes",
    "Belum ada peristiwa.": "No events yet.",
    "Pemilu": "General election (Pemilu)",
    "Pilkada": "Regional head election (Pilkada)",
    "hari pemungutan suara": "voting day",
    "zona waktu": "time zone",
    "pemilih maksimal per TPS": "maximum voters per TPS",
    "cadangan surat suara (%)": "ballot reserve (%)",
    "mulai": "starts",
    "selesai": "ends",
    "warna": "colour",
    "Belum ada pemilihan": "No election yet",
    "Muat data demo dengan perintah": "Load the demo data with the command",
    "Hari pemungutan suara": "Voting day",
    "Wilayah Anda": "Your area",
    "TPS": "Polling stations (TPS)",
    "Pemilih (DPT)": "Registered voters (DPT)",
    "Desa/kelurahan": "Village",
    "TPS lewat laut": "TPS reached by sea",
    "perkiraan": "estimated",
    "%(n)s TPS memakai koordinat perkiraan (data demo), bukan titik resmi KPU.": (
        "%(n)s TPS uses estimated coordinates (demo data), not an official KPU point.",
        "%(n)s TPS use estimated coordinates (demo data), not official KPU points.",
    ),
    "Per kecamatan": "By sub-district (kecamatan)",
    "Kode": "Code",
    "Kecamatan": "Sub-district (kecamatan)",
    "Pemilih": "Voters",
    "Belum ada TPS untuk pemilihan ini di wilayah Anda.": "No TPS for this election in your area yet.",
    "Tahapan": "Stages",
    "Mulai": "Starts",
    "Selesai": "Ends",
    "Aturan": "Rules",
    "Pemilih maksimal per TPS": "Maximum voters per TPS",
    "Cadangan surat suara": "Ballot reserve",
    "Zona waktu": "Time zone",
    "Jenis surat suara": "Ballot types",
    "Provinsi": "Province",
    "Kabupaten/Kota": "Regency/City",
    "Desa/Kelurahan": "Village (desa/kelurahan)",
    "Kabupaten": "Regency (kabupaten)",
    "Kota": "City (kota)",
    "Desa": "Village (desa)",
    "Kelurahan": "Urban village (kelurahan)",
    "kode": "code",
    "tingkat": "level",
    "wilayah": "region",
    "Berkas TPS (.xlsx atau .csv)": "TPS file (.xlsx or .csv)",
    "Gunakan berkas .xlsx atau .csv.": "Use an .xlsx or .csv file.",
    "Berkas terlalu besar (%(size)s MB; paling besar %(max)s MB). Pecah per kecamatan atau gunakan 'sinergi import-stations'.": (
        "The file is too large (%(size)s MB; at most %(max)s MB). Split it by kecamatan or use 'sinergi import-stations'."
    ),
    "Darat": "Land",
    "Laut (penyeberangan)": "Sea (crossing)",
    "desa/kelurahan": "village",
    "nomor TPS": "TPS number",
    "lokasi": "place",
    "lintang": "latitude",
    "bujur": "longitude",
    "pemilih (DPT)": "registered voters (DPT)",
    "akses": "access",
    "penyeberangan": "crossing",
    "lokasi khusus": "special location",
    "koordinat perkiraan": "estimated coordinates",
    "%(n)s TPS": ("%(n)s TPS", "%(n)s TPS"),
    "Lokasi": "Place",
    "Akses": "Access",
    "laut": "sea",
    "darat": "land",
    "Tidak ada TPS yang cocok.": "No matching TPS.",
    "Titik TPS ini berada di luar batas desanya. Periksa koordinatnya.": "This TPS point lies outside its village boundary. Check its coordinates.",
    "Koordinat": "Coordinates",
    "Lokasi khusus": "Special location",
    "ya": "yes",
    "tidak": "no",
    "TPS lain di desa ini": "Other TPS in this village",
    "Impor TPS": "Import TPS",
    "Unggah berkas .xlsx atau .csv, satu baris per TPS. Kolom wajib: <code>kode_desa</code>, <code>nomor_tps</code>, <code>pemilih</code> (paling banyak %(max)s per TPS). Impor bersifat semua-atau-tidak-sama-sekali: jika ada satu baris salah, tidak ada yang disimpan. Berkas hasil unduhan dapat diimpor kembali.": (
        "Upload an .xlsx or .csv file, one row per TPS. Required columns: <code>kode_desa</code>, <code>nomor_tps</code>, "
        "<code>pemilih</code> (at most %(max)s per TPS). The import is all or nothing: if one row is wrong, nothing is saved. "
        "A downloaded file can be imported again."
    ),
    "%(n)s kesalahan; tidak ada TPS yang disimpan.": ("%(n)s error; no TPS was saved.", "%(n)s errors; no TPS was saved."),
    "Peringatan:": "Warnings:",
    "Impor": "Import",
    "Daftar TPS": "Polling stations",
    "Semua": "All",
    "Cari (nomor, lokasi, desa)": "Search (number, place, village)",
    "Unduh Excel": "Download Excel",
    "Unduh CSV": "Download CSV",
    "Peta TPS": "TPS map",
    "pemilih": "voters",
    "Buka rincian TPS": "Open TPS details",
    "Dasar peta: batas desa/kelurahan (tanpa internet). Titik TPS dikelompokkan; perbesar untuk melihat tiap TPS.": "Base map: village boundaries (works offline). TPS are clustered; zoom in to see each one.",
    "Impor selesai: %(summary)s": "Import finished: %(summary)s",
    "Halaman": "Pages",
    "Sebelumnya": "Previous",
    "Halaman %(n)s dari %(total)s": "Page %(n)s of %(total)s",
    "Berikutnya": "Next",
    "Navigasi utama": "Main navigation",
    "Ringkasan": "Overview",
    "Peta": "Map",
    "Keluar": "Sign out",
}


def _unquote(lines: list[str]) -> str:
    return "".join(re.match(r'^(?:msgid(?:_plural)?\s+)?"(.*)"$', line).group(1) for line in lines).replace('\\"', '"')


def _quote(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"'


def main() -> int:
    blocks = PO.read_text(encoding="utf-8").split("\n\n")
    out, missing = [], []
    for block in blocks:
        lines = block.split("\n")
        try:
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
        except StopIteration:
            out.append(block)
            continue
        end = next((i for i, line in enumerate(lines) if line.startswith("msgstr") or line.startswith("msgid_plural")), len(lines))
        msgid = _unquote(lines[start:end])
        if msgid == "":
            out.append(block)
            continue
        english = ENGLISH.get(msgid)
        if english is None:
            missing.append(msgid)
            out.append(block)
            continue
        head = lines[: next(i for i, line in enumerate(lines) if line.startswith("msgstr"))]
        if isinstance(english, tuple):
            body = [f"msgstr[0] {_quote(english[0])}", f"msgstr[1] {_quote(english[1])}"]
        else:
            body = [f"msgstr {_quote(english)}"]
        out.append("\n".join([line for line in head if line != "#, fuzzy"] + body))
    PO.write_text("\n\n".join(out), encoding="utf-8")
    for msgid in missing:
        print(f"no English for: {msgid}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
