"""The handover form makes the receiver count (issue 13, item 21): counted fields start empty, the
expected quantity is shown beside each, and a missing count is refused naming the item."""

import re

import pytest

from sinergi.logistics.custody import dispatch
from sinergi.logistics.models import Consignment, Handover, KitItem
from tests import personas


def url(c):
    return f"/pemilihan/pemilu-2024/logistik/konsinyasi/{c.pk}/"


@pytest.fixture
def dispatched(consignment):
    dispatch(actor=None, consignment=consignment, seals=["KLK-1"])
    return Consignment.objects.get(pk=consignment.pk)


@pytest.mark.django_db
def test_the_counted_fields_start_empty_with_the_expected_shown_beside(client_of, dispatched):
    page = client_of(personas.KPU).get(url(dispatched)).text
    for code, count in dispatched.contents.items():
        field = re.search(rf'<input[^>]*name="count_{code}"[^>]*>', page).group(0)
        assert "value=" not in field, field
        assert f"(diharapkan {count})" in page


@pytest.mark.django_db
def test_a_missing_count_is_refused_naming_the_item(client_of, dispatched, pemilu):
    counts = {f"count_{code}": str(n) for code, n in dispatched.contents.items()}
    missing = next(iter(dispatched.contents))
    del counts[f"count_{missing}"]
    form = {
        "handover": "1", "to_party": "pps:51.05.01.2010", "place": "Kantor Desa Ped", "handed_at": "2024-02-11T11:20",
        "giver_name": "I Made", "receiver_name": "Ni Kadek", "seals": "KLK-1", **counts,
    }  # fmt: skip
    response = client_of(personas.KPU).post(url(dispatched), form)
    name = KitItem.objects.get(election=pemilu, code=missing).name
    assert response.status_code == 400
    assert f"Jumlah {name} yang dihitung belum diisi" in response.text
    assert not Handover.objects.filter(consignment=dispatched).exists()
