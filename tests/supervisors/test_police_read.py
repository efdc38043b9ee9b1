"""The police read their area's voting day (issue 15, item 1): the Polres the whole district, a Polsek
its kecamatan and those it guards for another (accounts.PolsekCoverage); which TPS reported each
Form A stage, the answers marked as security-relevant, the incidents. Never personal data: no NIK,
no Form A narrative, the PTPS's phone masked. They file nothing; KPU and the Kejaksaan still read no
report; a PTPS still sees only its own TPS."""

import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sinergi.stations.models import Station
from sinergi.supervisors.checklists import SECURITY, forget_checklists, save_question
from sinergi.supervisors.contact import mask_phone
from sinergi.supervisors.models import Incident, Question
from sinergi.supervisors.reports import submit_incident, submit_report
from tests import personas
from tests.supervisors.police import (
    BANJARANGKAN,
    BOARD,
    DAWAN,
    NARRATIVE,
    NUSA_PENIDA,
    POLICE,
    SLUG,
    at,
    first_tps_of,
    in_area,
    mark_for_police,
    personal_data_of,
    status_url,
    tps,
)

# --- Polres: the whole district ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_polres_reads_the_whole_districts_form_a_status_and_incidents(client_of, pemilu):
    page = client_of(personas.POLRES).get(BOARD)
    assert page.status_code == 200 and 'data-testid="police-note"' in page.text
    coverage = page.context["coverage"]
    assert coverage.total == Station.objects.filter(election=pemilu).count() == 649
    assert {i.pk for i in coverage.incidents} == set(Incident.objects.filter(election=pemilu).values_list("pk", flat=True))
    assert len(coverage.incidents) == 5 and coverage.missing  # the demo day: five incidents, TPS late
    # Every stage: the same numbers as Bawaslu's board.
    for stage in Question.Stage.values:
        police = client_of(personas.POLRES).get(BOARD, {"tahap": stage}).context["coverage"]
        bawaslu = client_of(personas.BAWASLU).get(BOARD, {"tahap": stage}).context["coverage"]
        assert police.reported == bawaslu.reported and len(police.missing) == len(bawaslu.missing), stage
    # Reached from the menu, and on the TPS map as a layer.
    assert f'href="{BOARD}"' in client_of(personas.POLRES).get(f"/pemilihan/{SLUG}/").text
    assert 'value="coverage"' in client_of(personas.POLRES).get(f"/pemilihan/{SLUG}/peta/").text
    assert 'value="coverage"' not in client_of(personas.KPU).get(f"/pemilihan/{SLUG}/peta/").text
    assert f'href="{BOARD}"' not in client_of(personas.KPU).get(f"/pemilihan/{SLUG}/").text
    # No action of Bawaslu's: no finding from an incident, no checklist editing.
    assert 'data-testid="finding-from-incident"' not in page.text
    assert client_of(personas.POLRES).get(f"/pemilihan/{SLUG}/pengawasan/daftar-periksa/").status_code == 403


@pytest.mark.django_db
def test_the_late_list_shows_the_police_the_ptps_with_a_masked_number_and_no_nik(client_of, pemilu):
    page = client_of(personas.POLRES).get(BOARD, headers={"HX-Request": "true"})
    late = page.context["late"]
    assert len(late) > 50
    listed = page.text.split('data-testid="late-list"')[1].split("</ul>")[0]
    assert "tel:" not in listed
    niks, phones = personal_data_of([s for s, _c in late])
    assert niks and phones
    for _station, contact in late[:5]:
        assert contact is not None and contact.tel == "" and "•" in contact.phone
        assert f'{contact.name} · <span class="muted">{contact.phone}</span>' in listed
    assert not any(nik in page.text for nik in niks) and not any(phone in page.text for phone in phones)


# --- Polsek: its kecamatan, and those it guards ------------------------------------------------


@pytest.mark.django_db
def test_polsek_nusa_penida_reads_nusa_penida_only(client_of, pemilu):
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    coverage = client.get(BOARD).context["coverage"]
    assert {s.pk for s in coverage.stations} == in_area(pemilu, NUSA_PENIDA)
    assert coverage.incidents and all(i.station.village_id.startswith(NUSA_PENIDA + ".") for i in coverage.incidents)
    assert len(coverage.incidents) == Incident.objects.filter(election=pemilu, station__village__code__startswith=NUSA_PENIDA + ".").count() == 3
    layer = client.get(f"{BOARD}peta.json").json()
    assert {int(pk) for pk in layer} == in_area(pemilu, NUSA_PENIDA)
    assert client.get(status_url(first_tps_of(pemilu, NUSA_PENIDA))).status_code == 200
    for other in (BANJARANGKAN, DAWAN):
        assert client.get(status_url(first_tps_of(pemilu, other))).status_code == 404, other
        assert client.get(f"/pemilihan/{SLUG}/tps/{first_tps_of(pemilu, other).pk}/").status_code == 404, other


@pytest.mark.django_db
def test_a_polsek_also_reads_the_kecamatan_it_guards_for_another(client_of, pemilu, np_guards_dawan):
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    coverage = client.get(BOARD).context["coverage"]
    assert {s.pk for s in coverage.stations} == in_area(pemilu, NUSA_PENIDA, DAWAN)
    kecamatan = {i.station.village.parent_id for i in coverage.incidents}
    assert kecamatan == {NUSA_PENIDA, DAWAN}  # the rain at Dawan's TPS too; not Klungkung's logistics
    dawan = first_tps_of(pemilu, DAWAN)
    page = client.get(status_url(dawan))
    assert page.status_code == 200 and f'href="/pemilihan/pemilu-2024/tps/{dawan.pk}/"' not in page.text  # its TPS page is not the Polsek's
    assert client.get(status_url(first_tps_of(pemilu, BANJARANGKAN))).status_code == 404
    assert {int(pk) for pk in client.get(f"{BOARD}peta.json").json()} == in_area(pemilu, NUSA_PENIDA, DAWAN)
    # Another Polsek's accounts do not gain what Nusa Penida guards; the Polsek seated in Dawan keeps its own.
    assert client_of(personas.POLRES).get(status_url(dawan)).status_code == 200


# --- Without personal data ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", POLICE)
def test_the_tps_page_gives_the_police_the_security_answers_without_personal_data(client_of, pemilu, reported17, username):
    client = client_of(username)
    page = client.get(status_url(reported17))
    assert page.status_code == 200
    text = page.text
    assert 'data-testid="police-note"' in text
    sealed = Question.objects.get(election=pemilu, code="kotak_tersegel")
    posted = Question.objects.get(election=pemilu, code="dpt_ditempel")
    preparation = next(s for s in page.context["status"].stages if s.stage == "persiapan")
    assert preparation.first_at is not None and preparation.reports == []  # reported; no Form A PDF to open
    assert (sealed.text, "Tidak", True, True) in preparation.answers and sealed.text in text  # a box not sealed: needs attention
    assert all(security for _q, _a, security, _attention in preparation.answers) and posted.text not in text
    assert 'data-testid="attention"' in text
    assert NARRATIVE not in text and "Contohnama" not in text
    assert "sanksi adat" in text  # the incident, which the police act on
    niks, phones = personal_data_of([reported17])
    assert niks and phones
    assert not any(nik in text for nik in niks) and not any(phone in text for phone in phones) and "tel:" not in text
    assert mask_phone(phones[0]) in text
    # Nor the Form A (it names the supervisor): refused.
    from sinergi.supervisors.models import Report

    report = Report.objects.filter(station=reported17).first()
    assert client.get(f"/pemilihan/{SLUG}/laporan/{report.pk}/form-a.pdf").status_code == 403
    # The TPS page: the reports' stages without a link to their Form A, the PTPS masked.
    station_page = client.get(f"/pemilihan/{SLUG}/tps/{reported17.pk}/")
    assert station_page.status_code == 200 and "form-a.pdf" not in station_page.text and 'data-testid="tps-status-link"' in station_page.text
    assert NARRATIVE not in station_page.text and not any(nik in station_page.text for nik in niks) and "tel:" not in station_page.text
    assert "/pengawas/" not in station_page.text.split('data-testid="tps-ptps"')[1].split("</section>")[0]  # no roster link


@pytest.mark.django_db
def test_bawaslu_reads_every_answer_and_the_form_a_on_the_same_page(client_of, pemilu, reported17):
    page = client_of(personas.BAWASLU).get(status_url(reported17))
    preparation = next(s for s in page.context["status"].stages if s.stage == "persiapan")
    assert len(preparation.answers) == 4 and preparation.reports and "form-a.pdf" in page.text
    assert 'data-testid="police-note"' not in page.text and "tel:" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("username", POLICE)
def test_the_police_excel_export_holds_no_personal_data(client_of, pemilu, reported17, username):
    from openpyxl import load_workbook

    response = client_of(username).get(f"{BOARD}laporan.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    niks, phones = personal_data_of(Station.objects.filter(election=pemilu))
    assert not any(nik in cells for nik in niks) and not any(phone in cells for phone in phones)
    assert NARRATIVE not in cells
    assert book["Kejadian"].max_row - 1 == (5 if username == personas.POLRES else 3)


@pytest.mark.django_db
def test_the_security_mark_is_data_bawaslu_may_change(client_of, user_of, pemilu, reported17):
    marked = set(Question.objects.filter(election=pemilu, security=True).values_list("code", flat=True))
    assert marked == SECURITY
    posted = Question.objects.get(election=pemilu, code="dpt_ditempel")
    assert posted.text not in client_of(personas.POLRES).get(status_url(reported17)).text
    mark_for_police(user_of(personas.BAWASLU), posted)
    forget_checklists()  # as on commit (the test's transaction does not commit)
    assert posted.text in client_of(personas.POLRES).get(status_url(reported17)).text
    # A change of wording without saying otherwise keeps the mark.
    save_question(
        actor=user_of(personas.BAWASLU),
        election=pemilu,
        stage="persiapan",
        code="dpt_ditempel",
        text="DPT ditempel",
        kind=posted.kind,
        required=posted.required,
        order=posted.order,
    )
    assert Question.objects.get(pk=posted.pk).security is True
    page = client_of(personas.BAWASLU).get(f"/pemilihan/{SLUG}/pengawasan/daftar-periksa/")
    assert 'data-testid="security-intimidasi">Ya<' in page.text and 'data-testid="security-saksi_hadir">Tidak<' in page.text


# --- What the police may not do; who still reads nothing ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("username", POLICE)
def test_the_police_file_nothing(client_of, user_of, pemilu, reported17, username):
    client = client_of(username)
    assert client.get(f"/pemilihan/{SLUG}/tps/{reported17.pk}/laporan/").status_code == 403
    assert client.post(f"/pemilihan/{SLUG}/tps/{reported17.pk}/laporan/", {"client_id": str(uuid.uuid4())}).status_code == 403
    with pytest.raises(PermissionDenied):
        submit_incident(
            actor=user_of(username),
            station=reported17,
            client_id=uuid.uuid4(),
            category="lainnya",
            severity="rendah",
            occurred_at=at(pemilu, "10:00"),
            description="x",
        )
    with pytest.raises(PermissionDenied):
        save_question(
            actor=user_of(username), election=pemilu, stage="persiapan", code="dpt_ditempel", text="x", kind="ya_tidak", required=False, order=1, security=False
        )
    assert client.get(f"/pemilihan/{SLUG}/pengawas/").status_code == 403  # the roster (and its NIK)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.KPU, personas.JAKSA])
def test_kpu_and_the_kejaksaan_still_read_no_report(client_of, pemilu, reported17, username):
    client = client_of(username)
    for url in (BOARD, f"{BOARD}peta.json", f"{BOARD}laporan.xlsx", status_url(reported17)):
        assert client.get(url).status_code == 403, url
    station_page = client.get(f"/pemilihan/{SLUG}/tps/{reported17.pk}/")
    assert 'data-testid="tps-reports"' not in station_page.text and 'data-testid="tps-ptps"' not in station_page.text
    room = client.get(f"/pemilihan/{SLUG}/situasi/terkini/").context["situation"]
    assert room.reports is None and room.incidents is None and not any(a.source == "Laporan PTPS" for a in room.alerts)


@pytest.mark.django_db
def test_a_ptps_still_sees_only_its_own_tps(client_of, pemilu, ptps, reported17):
    client = client_of(personas.PTPS_PED)
    assert client.get(BOARD).status_code == 403
    assert client.get(status_url(reported17)).status_code == 403
    assert client.get(f"/pemilihan/{SLUG}/tps/{reported17.pk}/laporan/").status_code == 200
    assert client.get(f"/pemilihan/{SLUG}/tps/{tps(pemilu, '51.05.01.2010', 18).pk}/laporan/").status_code == 404


# --- The situation room -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "kecamatan"), [(personas.POLRES, None), (personas.POLSEK_NUSA_PENIDA, NUSA_PENIDA)])
def test_the_situation_room_shows_the_police_incidents_and_form_a_coverage(client_of, pemilu, username, kecamatan):
    client = client_of(username)
    room = client.get(f"/pemilihan/{SLUG}/situasi/terkini/")
    situation = room.context["situation"]
    expected = Incident.objects.filter(election=pemilu)
    if kecamatan:
        expected = expected.filter(station__village__code__startswith=kecamatan + ".")
    assert situation.incidents["total"] == expected.count() > 0 and situation.incidents["tinggi"] == expected.filter(severity="tinggi").count() == 2
    assert situation.reports["total"] == situation.stations and 0 < situation.reports["reported"] <= situation.stations
    assert 'data-testid="count-reports"' in room.text and 'data-testid="count-incidents"' in room.text
    niks, phones = personal_data_of(Station.objects.filter(election=pemilu))
    assert not any(nik in room.text for nik in niks) and not any(phone in room.text for phone in phones) and "form-a.pdf" not in room.text
    incident_alerts = [a for a in situation.alerts if a.source == "Laporan PTPS" and a.title.startswith("Kejadian")]
    assert len(incident_alerts) == expected.count()
    assert any("belum mengirim Form A" in a.title for a in situation.alerts)
    # The timeline's incidents open the TPS's voting day, its reports not the Form A.
    events = [e for e in situation.timeline if e.source in ("Kejadian", "Laporan PTPS")]
    assert events and all("/pengawasan/tps/" in e.url for e in events)
    layer = client.get(f"/pemilihan/{SLUG}/situasi/lapisan/laporan.geojson").json()
    values = {f["properties"]["value"] for f in layer["features"]}
    assert "sebagian" in values and "lengkap" in values and "belum" in values
    assert all("/pengawasan/tps/" in f["properties"]["url"] for f in layer["features"])
    if kecamatan:
        assert all(Station.objects.get(pk=f["properties"]["id"]).village_id.startswith(kecamatan + ".") for f in layer["features"])


@pytest.mark.django_db
def test_the_situation_room_of_a_polsek_covers_what_it_guards(client_of, pemilu, np_guards_dawan):
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    situation = client.get(f"/pemilihan/{SLUG}/situasi/terkini/").context["situation"]
    guarded = Station.objects.filter(election=pemilu, village__code__startswith=DAWAN + ".").count()
    assert situation.reports["total"] == len(in_area(pemilu, NUSA_PENIDA)) + guarded
    assert situation.incidents["total"] == 4  # Nusa Penida's three and Dawan's
    layer = client.get(f"/pemilihan/{SLUG}/situasi/lapisan/laporan.geojson").json()
    assert any(Station.objects.get(pk=f["properties"]["id"]).village_id.startswith(DAWAN + ".") for f in layer["features"])


# --- Bounded queries ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_tps_page_reads_a_fixed_number_of_queries(client_of, pemilu, reported17):
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    quiet = tps(pemilu, "51.05.01.2010", 18)
    client.get(status_url(quiet))  # warm the session and the checklist cache

    def count(station):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(status_url(station)).status_code == 200
        return len(queries)

    before = count(reported17)
    for n in range(3):
        submit_incident(
            actor=None,
            station=reported17,
            client_id=uuid.uuid4(),
            category="lainnya",
            severity="rendah",
            occurred_at=at(pemilu, f"1{n}:00"),
            description="Antrean panjang",
        )
        submit_report(
            actor=None,
            station=reported17,
            stage="pemungutan",
            client_id=uuid.uuid4(),
            answers={"dibuka_tepat_waktu": True, "saksi_hadir": 2, "pemilih_tidak_berhak": False, "intimidasi": False},
            narrative="",
            observed_at=at(pemilu, f"1{n}:05"),
        )
    assert count(reported17) == before == count(quiet)


