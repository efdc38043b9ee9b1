"""Formation presets (docs/domain.md §5): police : TPS : Linmas per post. No Django import.

Where a source gives no figure for a class (khusus everywhere; Polres Klungkung's kurang rawan
and rawan), the preset says what it borrows, so nobody mistakes it for a published number.
"""

FORMATIONS: dict[str, dict] = {
    "nasional-2019": {
        "name": "Ketentuan nasional 2019",
        "source": "Rumus nasional 2019; khusus mengikuti sangat rawan",
        "rules": {"kurang_rawan": (2, 4, 6), "rawan": (4, 2, 8), "sangat_rawan": (6, 2, 8), "khusus": (6, 2, 8)},
    },
    "polda-bali-pilkada-2024": {
        "name": "Polda Bali, Pilkada 2024",
        "source": "Polda Bali, Pilkada 2024; khusus mengikuti sangat rawan",
        "rules": {"kurang_rawan": (2, 4, 12), "rawan": (2, 2, 4), "sangat_rawan": (2, 1, 2), "khusus": (2, 1, 2)},
    },
    "polresta-denpasar-pemilu-2024": {
        "name": "Polresta Denpasar, Pemilu 2024",
        "source": "Polresta Denpasar, Pemilu 2024; khusus mengikuti sangat rawan",
        "rules": {"kurang_rawan": (2, 6, 12), "rawan": (2, 4, 6), "sangat_rawan": (2, 3, 3), "khusus": (2, 3, 3)},
    },
    "polres-klungkung-pemilu-2024": {
        "name": "Polres Klungkung, Pemilu 2024",
        "source": (
            "Sangat rawan: 2 polisi + 2 Linmas per TPS (Polres Klungkung, Pemilu 2024). Kurang rawan dan rawan tidak "
            "dipublikasikan: dipinjam dari formasi Polda Bali Pilkada 2024; khusus mengikuti sangat rawan"
        ),
        "rules": {"kurang_rawan": (2, 4, 12), "rawan": (2, 2, 4), "sangat_rawan": (2, 1, 2), "khusus": (2, 1, 2)},
    },
}
