"""Built-in election presets (docs/domain.md §2 and §6). Plain data; no Django import.

Pilkada ballot colours are not in our sources, so they are left empty rather than invented.
"""

from datetime import date
from decimal import Decimal

PRESETS: dict[str, dict] = {
    "pemilu-2024": {
        "kind": "pemilu",
        "name": "Pemilu 2024",
        "voting_date": date(2024, 2, 14),
        "time_zone": "Asia/Makassar",
        "max_voters_per_station": 300,
        "ballot_reserve_percent": Decimal("2.00"),
        "stages": [
            ("kampanye", "Masa kampanye", date(2023, 11, 28), date(2024, 2, 10)),
            ("pendaftaran-ptps", "Pendaftaran Pengawas TPS", date(2024, 1, 2), date(2024, 1, 6)),
            ("pelantikan-ptps", "Pelantikan Pengawas TPS", date(2024, 1, 22), date(2024, 1, 22)),
            ("pemetaan-tps-rawan", "Pengumpulan data TPS rawan", date(2024, 2, 3), date(2024, 2, 8)),
            ("masa-tenang", "Masa tenang", date(2024, 2, 11), date(2024, 2, 13)),
            ("pemungutan-suara", "Pemungutan dan penghitungan suara", date(2024, 2, 14), date(2024, 2, 14)),
            ("rekapitulasi", "Rekapitulasi hasil penghitungan suara", date(2024, 2, 15), date(2024, 3, 20)),
        ],
        "ballot_types": [
            ("ppwp", "Presiden dan Wakil Presiden", "abu-abu", "#8c8c8c"),
            ("dpr", "DPR RI", "kuning", "#e6c200"),
            ("dpd", "DPD RI", "merah", "#c62828"),
            ("dprd-provinsi", "DPRD Provinsi", "biru", "#1e5bbf"),
            ("dprd-kabkota", "DPRD Kabupaten/Kota", "hijau", "#2e8b3e"),
        ],
    },
    "pilkada-2024": {
        "kind": "pilkada",
        "name": "Pilkada Serentak 2024",
        "voting_date": date(2024, 11, 27),
        "time_zone": "Asia/Makassar",
        "max_voters_per_station": 600,
        "ballot_reserve_percent": Decimal("2.50"),
        "stages": [
            ("kampanye", "Masa kampanye", date(2024, 9, 25), date(2024, 11, 23)),
            # 23 days before voting day: the latest a PTPS may be formed.
            ("pelantikan-ptps", "Pelantikan Pengawas TPS", date(2024, 11, 4), date(2024, 11, 4)),
            ("pemetaan-tps-rawan", "Pengumpulan data TPS rawan", date(2024, 11, 10), date(2024, 11, 15)),
            ("masa-tenang", "Masa tenang", date(2024, 11, 24), date(2024, 11, 26)),
            ("pemungutan-suara", "Pemungutan dan penghitungan suara", date(2024, 11, 27), date(2024, 11, 27)),
            ("rekapitulasi", "Rekapitulasi hasil penghitungan suara", date(2024, 11, 27), date(2024, 12, 16)),
        ],
        "ballot_types": [
            ("gubernur", "Gubernur dan Wakil Gubernur", "", ""),
            ("bupati", "Bupati dan Wakil Bupati / Wali Kota dan Wakil Wali Kota", "", ""),
        ],
    },
}
