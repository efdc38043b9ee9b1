"""The map's layer is re-asked every 30 seconds: an unchanged layer answers 304 to the map's
If-None-Match, and a layer that is sent goes compressed."""

import gzip
import json

import pytest

from sinergi.stations.models import Station
from tests import personas
from tests.situation.conftest import at, file_incident

LAYER = "/pemilihan/{}/situasi/lapisan/{}.geojson"


@pytest.mark.django_db
def test_an_unchanged_layer_answers_304_and_a_changed_one_is_sent_again(client_of, user_of, pemilu):
    client = client_of(personas.BAWASLU)
    url = LAYER.format(pemilu.slug, "laporan") + f"?pada={pemilu.voting_date}T12:00"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    station = Station.objects.filter(election=pemilu).order_by("pk").first()
    file_incident(user_of(personas.BAWASLU_STAFF), station, "sedang", at(pemilu, "11:00"))
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    feature = next(f for f in changed.json()["features"] if f["properties"]["id"] == station.pk)
    assert feature["properties"]["value"] == "sebagian"  # the incident's colour
    # Another viewer's ETag (another share of the district) is not this one's.
    polsek = client_of(personas.POLSEK_NUSA_PENIDA).get(LAYER.format(pemilu.slug, "tps"), headers={"If-None-Match": client.get(LAYER.format(pemilu.slug, "tps"))["ETag"]})
    assert polsek.status_code == 200


@pytest.mark.django_db
def test_the_layer_is_sent_compressed_to_a_browser_that_accepts_gzip(client_of, pemilu):
    client = client_of(personas.BAWASLU)
    url = LAYER.format(pemilu.slug, "laporan")
    plain = client.get(url)
    packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert json.loads(body) == plain.json() and len(packed.content) * 4 < len(body)
    assert client.get(url, headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]}).status_code == 304
