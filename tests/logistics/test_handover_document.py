"""The printed berita acara serah terima: a number, item labels (not codes), the KPU's letterhead,
signature blocks with name and NIP/NRP lines kept with the closing sentence."""

import re

import pytest

from tests import personas
from tests.pdfs import page_with, pages_of


@pytest.mark.django_db
def test_the_berita_acara_has_a_number_item_labels_and_full_signature_blocks(client_of, consignment, ped17, user_of):
    from sinergi.logistics.custody import dispatch, record_handover
    from sinergi.logistics.models import KitItem

    dispatch(actor=None, consignment=consignment, seals=["KLK-1"])
    code = next(c for c in consignment.contents if c.startswith("surat-suara-"))
    label = KitItem.objects.get(election=consignment.election, code=code).name
    counts = {**consignment.contents, code: consignment.contents[code] - 2}
    record_handover(
        actor=None, consignment=consignment, from_party="kpu:51.05", to_party="pps:51.05.01.2010", place="Kantor Desa Ped",
        giver_name="I Made Contoh", receiver_name="Ni Kadek Contoh", counts=counts,
    )  # fmt: skip
    response = client_of(personas.KPU).get(f"/pemilihan/pemilu-2024/logistik/konsinyasi/{consignment.pk}/berita-acara/1.pdf")
    assert response.status_code == 200
    pages = pages_of(response.content)
    text = " ".join(pages)
    assert "KOMISI PEMILIHAN UMUM PROVINSI BALI KOMISI PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text
    assert "Nomor: BAST/PL/51.05.01.2010/TPS-017/K-1/2024" in text
    assert f"Kurang: {label} sebanyak 2" in text and code not in text
    assert re.search(r"Yang menyerahkan, KPU Klungkung I Made Contoh NIP\. \.{10,}", text), text[-600:]
    assert re.search(r"Saksi kepolisian \(\.{10,}\) NRP\. \.{10,}", text)
    assert page_with(pages, "Saksi kepolisian") == page_with(pages, "Demikian berita acara")
