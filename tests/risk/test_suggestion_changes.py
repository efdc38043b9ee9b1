"""A police class records the suggestion it was based on. When Bawaslu's data later changes the
suggestion, the TPS is "suggestion changed, awaiting the police" — named on the Polres class review,
on the guard plan and in the situation room — until the police confirm or override it."""

from datetime import UTC, datetime

import pytest

from sinergi.risk import queries
from sinergi.risk.models import StationClass
from sinergi.risk.queries import suggestions_for_stations
from sinergi.risk.services import set_station_class, submit_checklist
from sinergi.stations.models import Station
from tests import personas

CLASSES = "/pemilihan/pemilu-2024/rawan/kelas/"
PLAN = "/pemilihan/pemilu-2024/pengamanan/"
NOW = datetime(2024, 2, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def flagged(pemilu, user_of):
    """A Ped TPS the demo's police class calls 'kurang rawan', then found by Bawaslu with a severe
    indicator (2.2) and a second variable (6.1): the suggestion is now 'sangat rawan'."""
    station = (
        Station.objects.filter(election=pemilu, village_id="51.05.01.2010", police_class__level="kurang_rawan", is_special_location=False).order_by("number").first()
    )
    assert StationClass.objects.get(station=station).suggested_level == "kurang_rawan"
    submit_checklist(actor=user_of(personas.BAWASLU_STAFF), station=station, answers={"2.2": (True, ""), "6.1": (True, "")}, reason="Temuan PKD 10 Feb")
    assert suggestions_for_stations(pemilu, [station])[station.pk].level == "sangat_rawan"
    return station


@pytest.mark.django_db
def test_a_changed_suggestion_is_listed_until_the_police_confirm_it(flagged, pemilu, user_of, client_of):
    polres = user_of(personas.POLRES)
    changed = queries.suggestion_changes(polres, pemilu)
    assert [(c.station.pk, c.level, c.based_on, c.suggested) for c in changed] == [(flagged.pk, "kurang_rawan", "kurang_rawan", "sangat_rawan")]
    set_station_class(actor=polres, station=flagged, level="sangat_rawan")  # confirms the new suggestion
    assert queries.suggestion_changes(polres, pemilu) == []
    assert StationClass.objects.get(station=flagged).suggested_level == "sangat_rawan"


@pytest.mark.django_db
def test_an_override_keeping_the_old_class_also_clears_it(flagged, pemilu, user_of):
    polres = user_of(personas.POLRES)
    set_station_class(actor=polres, station=flagged, level="kurang_rawan", reason="Sudah dimediasi; pengamanan biasa cukup")
    assert queries.suggestion_changes(polres, pemilu) == []
    row = StationClass.objects.get(station=flagged)
    assert (row.level, row.suggested_level) == ("kurang_rawan", "sangat_rawan")


@pytest.mark.django_db
def test_the_class_review_and_the_guard_plan_warn_the_police(flagged, client_of):
    for path in (CLASSES, PLAN):
        page = client_of(personas.POLRES).get(path)
        assert page.status_code == 200
        assert 'data-testid="suggestion-changed"' in page.text and str(flagged) in page.text, path
        assert "Saran berubah" in page.text, path
    listed = client_of(personas.POLRES).get(CLASSES, {"tampil": "berubah"})
    assert [row["station"].pk for row in listed.context["rows"]] == [flagged.pk]
    station_page = client_of(personas.POLSEK_NUSA_PENIDA).get(f"/pemilihan/pemilu-2024/tps/{flagged.pk}/rawan/")
    assert 'data-testid="suggestion-changed"' in station_page.text
    client_of(personas.POLSEK_NUSA_PENIDA).post(f"/pemilihan/pemilu-2024/tps/{flagged.pk}/kelas/", {"level": "sangat_rawan"})
    assert 'data-testid="suggestion-changed"' not in client_of(personas.POLRES).get(PLAN).text  # confirmed on the TPS page


@pytest.mark.django_db
def test_the_situation_room_alerts_those_who_see_the_class(flagged, pemilu, user_of):
    alerts = queries.situation_alerts(user_of(personas.POLRES), pemilu, NOW)
    assert len(alerts) == 1 and alerts[0].level == "warning" and str(flagged) in alerts[0].detail
    assert alerts[0].url.endswith("/rawan/kelas/?tampil=berubah")
    assert queries.situation_alerts(user_of(personas.KPU), pemilu, NOW) == []  # KPU does not see police classes
    mainland_polsek = user_of(personas.POLSEK_NUSA_PENIDA)
    mainland_polsek.area_id = "51.05.03"
    assert queries.situation_alerts(mainland_polsek, pemilu, NOW) == []  # another kecamatan's Polsek


@pytest.mark.django_db
def test_the_room_gathers_the_alert(flagged, pemilu, user_of, client_of):
    from sinergi.situation.sources import gather_alerts

    alerts, failed = gather_alerts(user_of(personas.POLRES), pemilu, NOW)
    assert not failed and any(str(flagged) in a.detail and a.source == "Kelas TPS" for a in alerts)
    # The live fragment computes it with the class counts (one reading) and shows it.
    for username in (personas.POLRES, personas.BAWASLU):
        live = client_of(username).get(f"/pemilihan/{pemilu.slug}/situasi/terkini/").text
        assert "saran kelas berubah" in live and str(flagged) in live, username
    assert "saran kelas berubah" not in client_of(personas.KPU).get(f"/pemilihan/{pemilu.slug}/situasi/terkini/").text


@pytest.mark.django_db
def test_the_review_page_names_the_police_as_the_source_of_a_class_set_without_an_officer(client_of, pemilu):
    # The demo's classes were confirmed from the command line (no officer): they are the police's
    # classes — as the CSV's sumber_kelas says — not the system's.
    page = client_of(personas.POLRES).get(CLASSES)
    row = next(r for r in page.context["rows"] if r["current"] is not None and r["current"].set_by_id is None)
    assert "Kepolisian (tanpa akun petugas)" in page.text
    assert ">sistem<" not in page.text
    plan_csv = client_of(personas.POLRES).get("/pemilihan/pemilu-2024/pengamanan/rencana.csv").getvalue().decode()
    station = row["station"]
    assert f"{station.village_id},{station.village.name},{station.number},{row['current'].level},polisi," in plan_csv
