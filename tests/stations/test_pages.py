"""TPS pages: list with filters, detail, map data, exports; scoped by the viewer's area."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from sinergi.stations.models import Station
from tests import personas


@pytest.mark.django_db
def test_pages_need_a_login(client):
    for url in ("/", "/pemilihan/pemilu-2024/", "/pemilihan/pemilu-2024/tps/", "/pemilihan/pemilu-2024/peta/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/akun/masuk/"), url


@pytest.mark.django_db
def test_home_redirects_to_the_newest_election_overview_with_counts(client_of):
    client = client_of(personas.BAWASLU)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/pemilihan/pilkada-2024/"
    response = client.get("/pemilihan/pemilu-2024/")
    assert response.context["counts"]["stations"] == 649
    assert response.context["counts"]["voters"] == 167_052
    assert [row["stations"] for row in response.context["kecamatans"]] == [198, 134, 194, 123]
    assert "649 TPS memakai koordinat perkiraan" in response.text


@pytest.mark.django_db
def test_the_overview_is_scoped_for_the_polsek(client_of):
    response = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/")
    assert response.context["counts"]["stations"] == 198
    assert [row["name"] for row in response.context["kecamatans"]] == ["Nusa Penida"]


@pytest.mark.django_db
def test_list_filters_by_kecamatan_village_and_search(client_of, pemilu):
    client = client_of(personas.BAWASLU)
    assert client.get("/pemilihan/pemilu-2024/tps/").context["page"].paginator.count == 649
    assert client.get("/pemilihan/pemilu-2024/tps/", {"kecamatan": "51.05.02"}).context["page"].paginator.count == 134
    ped = client.get("/pemilihan/pemilu-2024/tps/", {"kecamatan": "51.05.01", "desa": "51.05.01.2010"})
    assert ped.context["page"].paginator.count == Station.objects.filter(election=pemilu, village_id="51.05.01.2010").count()
    found = client.get("/pemilihan/pemilu-2024/tps/", {"q": "Sental Kangin"})
    assert [s.number for s in found.context["page"]] == [17, 18]


@pytest.mark.django_db
def test_list_pages_fifty_at_a_time_and_htmx_gets_the_table_only(client_of):
    client = client_of(personas.BAWASLU)
    page2 = client.get("/pemilihan/pemilu-2024/tps/", {"page": 2})
    assert len(page2.context["page"].object_list) == 50
    partial = client.get("/pemilihan/pemilu-2024/tps/", {"kecamatan": "51.05.04"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.text and "123 TPS" in partial.text
    assert 'name="desa"' in partial.text and "Pikat" in partial.text  # the villages of Dawan follow
    assert "HX-Request" in partial["Vary"]
    restore = client.get("/pemilihan/pemilu-2024/tps/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


@pytest.mark.django_db
def test_list_page_query_budget(client_of):
    client = client_of(personas.BAWASLU)
    client.get("/pemilihan/pemilu-2024/tps/")  # warm the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/pemilihan/pemilu-2024/tps/")
    assert response.status_code == 200
    assert len(queries) <= 8, [q["sql"] for q in queries]


@pytest.mark.django_db
def test_detail_shows_the_tps_and_a_station_outside_the_area_is_404(client_of, pemilu):
    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    mainland = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").first()
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    response = polsek.get(f"/pemilihan/pemilu-2024/tps/{ped17.pk}/")
    assert response.status_code == 200
    assert "Bale Banjar Sental Kangin" in response.text and "perkiraan" in response.text
    assert polsek.get(f"/pemilihan/pemilu-2024/tps/{mainland.pk}/").status_code == 404
    # A station of the other election is not found under this election's URL.
    pilkada_station = Station.objects.exclude(election=pemilu).first()
    assert client_of(personas.BAWASLU).get(f"/pemilihan/pemilu-2024/tps/{pilkada_station.pk}/").status_code == 404


@pytest.mark.django_db
def test_detail_warns_when_the_point_is_outside_the_village(client_of, pemilu):
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    Station.objects.filter(pk=station.pk).update(latitude=-8.5353, longitude=115.4036)
    response = client_of(personas.BAWASLU).get(f"/pemilihan/pemilu-2024/tps/{station.pk}/")
    assert "berada di luar batas desanya" in response.text


@pytest.mark.django_db
def test_map_points_and_boundaries_are_scoped(client_of):
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    points = polsek.get("/pemilihan/pemilu-2024/peta/tps.json").json()["stations"]
    assert len(points) == 198
    boundaries = polsek.get("/wilayah/batas-desa.geojson").json()
    assert len(boundaries["features"]) == 16
    assert {f["properties"]["kecamatan"] for f in boundaries["features"]} == {"Nusa Penida"}
    assert len(client_of(personas.BAWASLU).get("/wilayah/batas-desa.geojson").json()["features"]) == 59


@pytest.mark.django_db
def test_map_page_loads_vendored_leaflet_and_nothing_from_outside(client_of):
    import re

    response = client_of(personas.POLRES).get("/pemilihan/pemilu-2024/peta/")
    assert response.status_code == 200
    assert "/static/vendor/leaflet/leaflet.js" in response.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.text)
    assert sources and all(s.startswith("/") and not s.startswith("//") for s in sources), sources


@pytest.mark.django_db
def test_csv_export_of_the_polsek_holds_only_its_area(client_of):
    response = client_of(personas.POLSEK_NUSA_PENIDA).get("/pemilihan/pemilu-2024/tps/ekspor.csv")
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))  # streamed
    assert len(rows) == 198 and {r["kode_kecamatan"] for r in rows} == {"51.05.01"}
    assert response["Content-Disposition"] == 'attachment; filename="tps-pemilu-2024.csv"'


@pytest.mark.django_db
def test_xlsx_export_is_a_real_workbook(client_of):
    response = client_of(personas.KPU).get("/pemilihan/pilkada-2024/tps/ekspor.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active  # streamed from a temporary file
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("kode_kecamatan", "nama_kecamatan", "kode_desa", "nama_desa", "nomor_tps")
    assert len(rows) == 1 + 335
    assert sum(r[8] for r in rows[1:]) == 168_793


@pytest.mark.django_db
def test_overview_and_map_data_query_budgets(client_of):
    client = client_of(personas.BAWASLU)
    client.get("/pemilihan/pemilu-2024/")
    with CaptureQueriesContext(connection) as overview:
        client.get("/pemilihan/pemilu-2024/")
    with CaptureQueriesContext(connection) as points:
        client.get("/pemilihan/pemilu-2024/peta/tps.json")
    assert len(overview) <= 11, [q["sql"] for q in overview]
    assert len(points) <= 4, [q["sql"] for q in points]


@pytest.mark.django_db
def test_malformed_filters_give_an_empty_list_not_an_error(client_of):
    client = client_of(personas.BAWASLU)
    response = client.get("/pemilihan/pemilu-2024/tps/", {"kecamatan": "bukan-kode", "page": "x"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0
    for odd in ("²", "TPS\x00 1", "1" * 500):
        assert client.get("/pemilihan/pemilu-2024/tps/", {"q": odd, "kecamatan": odd}).status_code == 200, odd
        assert client.get("/audit/", {"action": odd}).status_code == 200, odd
        assert client.get("/", {"pemilihan": odd}).status_code == 302, odd
    # The API refuses malformed parameters with a JSON 422 instead of guessing.
    assert client.get("/api/v1/stations", {"region": "bukan-kode"}).status_code == 422
    assert client.get("/api/v1/stations", {"election": "pemilu\x00"}).status_code == 422
    assert client.get("/api/v1/regions", {"level": "abc"}).status_code == 422
    assert client.get("/api/v1/stations", {"offset": "9" * 30}).status_code == 422
    assert client.get("/api/v1/stations", {"limit": "100000000"}).status_code == 422
    assert len(client.get("/api/v1/stations", {"limit": "1000"}).json()["items"]) == 649 + 335
