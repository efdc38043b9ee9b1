"""`sinergi load-regions`: another district from files shaped like Klungkung's; all or nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from sinergi.regions import codes
from sinergi.regions.models import Region

# A made-up district in the same shape: Kota Denpasar (51.71) with one kecamatan and two villages.
PLACES = """code,name,kind,lat,lon,source
51.71,Denpasar,kota,-8.65,115.22,test
51.71.01,Denpasar Selatan,kecamatan,-8.70,115.23,test
51.71.01.1001,Sesetan,kelurahan,-8.70,115.22,test
51.71.01.2002,Pemogan,desa,-8.71,115.20,test
harbour:benoa,Pelabuhan Benoa,harbour,-8.74,115.21,test
"""


def square(lat, lon, size=0.01):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]}


BOUNDARIES = {
    "type": "FeatureCollection",
    "features": [
        {"type": "Feature", "properties": {"code": "51.71.01.1001", "name": "Sesetan", "kind": "kelurahan", "interior_lat": -8.695, "interior_lon": 115.225, "area_km2": 7.4}, "geometry": square(-8.70, 115.22)},
        {"type": "Feature", "properties": {"code": "51.71.01.2002", "name": "Pemogan", "kind": "desa", "interior_lat": -8.705, "interior_lon": 115.205}, "geometry": square(-8.71, 115.20)},
    ],
}


def load(tmp_path, places=PLACES, boundaries=BOUNDARIES, stderr=None):
    (tmp_path / "places.csv").write_text(places)
    (tmp_path / "desa.geojson").write_text(json.dumps(boundaries))
    out, err = io.StringIO(), stderr or io.StringIO()
    call_command("load_regions", str(tmp_path / "places.csv"), str(tmp_path / "desa.geojson"), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_the_shipped_klungkung_is_loaded():
    assert Region.objects.get(code="51.05").name == "Klungkung"
    assert Region.objects.filter(parent_id="51.05").count() == 4
    assert Region.objects.filter(level=4, code__startswith="51.05.").count() == 59
    assert Region.objects.filter(level=4, kind="kelurahan").count() == 6
    ped = Region.objects.get(code="51.05.01.2010")
    assert (ped.name, ped.parent.name, ped.geometry["type"]) == ("Ped", "Nusa Penida", "MultiPolygon")


@pytest.mark.django_db
def test_another_district_loads_under_an_existing_province(tmp_path):
    out, _ = load(tmp_path)
    assert out.strip() == "4 wilayah baru, 0 diperbarui, 0 tidak berubah, 1 baris bukan wilayah dilewati (mis. pelabuhan)."
    sesetan = Region.objects.get(code="51.71.01.1001")
    assert (sesetan.kind, sesetan.parent_id, sesetan.area_km2, sesetan.interior_lat) == ("kelurahan", "51.71.01", 7.4, -8.695)
    assert Region.objects.get(code="51.71").kind == "kota"
    out, _ = load(tmp_path)
    assert out.startswith("0 wilayah baru, 0 diperbarui, 4 tidak berubah")


@pytest.mark.parametrize(
    ("places", "message"),
    [
        (PLACES.replace("51.71.01.2002,Pemogan,desa", "51.71.01.2002,Pemogan,kelurahan"), "jenis 'kelurahan' tidak sesuai dengan kode 51.71.01.2002; seharusnya desa"),
        (PLACES.replace("51.71.01,Denpasar Selatan,kecamatan,-8.70,115.23,test\n", ""), "induk 51.71.01 dari 51.71.01.1001 belum ada"),
        (PLACES.replace("51.71.01.1001,Sesetan", "51.71.1.1001,Sesetan"), "kode '51.71.1.1001' bukan kode Kemendagri"),
        (PLACES.replace("-8.70,115.22", "delapan,115.22"), "Baris 4, kolom 'lat': 'delapan' bukan angka desimal"),
        (PLACES.replace("code,name,kind", "kode,name,kind"), "kolom wajib 'code' tidak ada"),
    ],
)
@pytest.mark.django_db
def test_bad_files_are_refused_whole(tmp_path, places, message):
    before = Region.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="tidak ada wilayah yang disimpan"):
        load(tmp_path, places=places, stderr=err)
    assert message in err.getvalue()
    assert Region.objects.count() == before


def test_code_rules():
    assert codes.level_of("51.05.01.2010") == 4
    assert codes.parent_of("51.05.01.2010") == "51.05.01"
    assert codes.parent_of("51") is None
    assert codes.expected_kind("51.05.03.1001") == {"kelurahan"}
    assert codes.expected_kind("51.71") == {"kota"}
    assert codes.is_within("51.05.01.2010", "51.05.01")
    assert not codes.is_within("51.05.010", "51.05.01")
    with pytest.raises(ValueError):
        codes.level_of("51.5")


@pytest.mark.django_db
def test_a_polygon_without_coordinates_is_refused(tmp_path):
    broken = json.loads(json.dumps(BOUNDARIES))
    broken["features"][1]["geometry"] = {"type": "Polygon", "coordinates": []}
    err = io.StringIO()
    with pytest.raises(CommandError):
        load(tmp_path, boundaries=broken, stderr=err)
    assert "desa.geojson fitur 2: koordinat geometri tidak lengkap" in err.getvalue()
    assert not Region.objects.filter(code__startswith="51.71").exists()
