"""A province viewer's vulnerability release, logistics requirements and guard plan: one section per
district and the province total, on tests/situation/province.py (Klungkung and the invented Rekaan
Barat); a district viewer's pages are as before."""

import pytest

from sinergi.logistics.requirement_queries import requirements_for
from sinergi.risk.queries import release_for
from tests import personas
from tests.situation.province import BAWASLU_BALI, KPU_BALI, POLDA_BALI, REKAAN


@pytest.mark.django_db
def test_the_release_has_a_column_per_district_and_a_section_of_kecamatan_per_district(bali, pemilu, client_of, user_of):
    context = client_of(BAWASLU_BALI).get("/pemilihan/pemilu-2024/rawan/").context
    assert context["districts"] == [("51.05", "Klungkung"), (REKAAN, "Rekaan Barat")]
    klungkung_only = {entry.code: entry.total for entry in release_for(user_of(BAWASLU_BALI), pemilu, "51.05").indicators}
    present = [(entry, counts) for entry, counts in context["district_matrix"] if entry.total]
    assert present
    for entry, (klungkung, rekaan) in present:
        assert klungkung == klungkung_only[entry.code] and rekaan == 0  # no checklist in Rekaan Barat
        assert klungkung + rekaan == entry.total
    assert [name for name, _columns, _rows in context["district_sections"]] == ["Klungkung", "Rekaan Barat"]
    assert "district_sections" not in client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/rawan/").context


@pytest.mark.django_db
def test_the_requirements_have_a_row_per_district_with_its_own_reserves(bali, pemilu, client_of, user_of):
    response = client_of(KPU_BALI).get("/pemilihan/pemilu-2024/logistik/")
    rows = {d.code: (d, counts) for d, counts in response.context["district_counts"]}
    assert list(rows) == ["51.05", REKAAN]
    rekaan, rekaan_counts = rows[REKAAN]
    assert (rekaan.stations, rekaan.voters) == (5, 800)
    result = response.context["result"]
    alone = requirements_for(user_of(KPU_BALI), pemilu, REKAAN)
    assert rekaan_counts == [alone.grand_total(item.code) for item in result.items]  # no reserve in Rekaan Barat
    klungkung = requirements_for(user_of(personas.KPU), pemilu)
    assert rows["51.05"][1] == [klungkung.grand_total(item.code) for item in result.items]  # with Klungkung's reserves
    assert [sum(column) for column in zip(*(counts for _d, counts in rows.values()), strict=True)] == [result.grand_total(i.code) for i in result.items]
    assert "districts" not in client_of(personas.KPU).get("/pemilihan/pemilu-2024/logistik/").context


@pytest.mark.django_db
def test_the_guard_plan_of_a_province_lists_each_polres_with_the_total(bali, client_of):
    response = client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/pengamanan/")
    assert response.templates[0].name == "guard/choose_district.html"
    rows = {region.code: totals for region, totals in response.context["rows"]}
    assert list(rows) == ["51.05", REKAAN]
    assert (rows[REKAAN].posts, rows[REKAAN].police, rows[REKAAN].linmas, rows[REKAAN].personnel, rows[REKAAN].shortage) == (3, 6, 10, 8, 1)
    assert rows[REKAAN].polres == "Polres Rekaan Barat"
    total = response.context["total"]
    assert total.posts == rows["51.05"].posts + 3 and total.shortage == rows["51.05"].shortage + 1
    chosen = client_of(POLDA_BALI).get("/pemilihan/pemilu-2024/pengamanan/", {"kabupaten": REKAAN})
    assert chosen.status_code == 200 and chosen.templates[0].name == "guard/plan.html"
