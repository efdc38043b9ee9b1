"""The visit pages through their URLs: the schedule per day, planning through the form (and its
refusal), recording findings with a photo, applying them, the report PDF; who is refused."""

import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from sinergi.risk.models import ChecklistAnswer, Indicator
from sinergi.visits.models import Visit
from sinergi.visits.services import record_findings
from tests import personas
from tests.pdfs import page_with, pages_of
from tests.visits.conftest import IN_STAGE, joint_agencies, lembongan_stations, other_kecamatan_user, ped_stations

# 6 February 2024, 09.00 WITA: within the checklist's collection stage.
DURING_STAGE = datetime(2024, 2, 6, 1, 0, tzinfo=UTC)


def _url(visit, suffix="") -> str:
    return f"/pemilihan/{visit.election.slug}/kunjungan/{visit.pk}/{suffix}"


def _form(stations, **changes) -> dict:
    data = {
        "day": "2024-02-07",
        "agencies": [str(pk) for pk in joint_agencies()],
        "team": "Anggota Bawaslu\nKapolsek",
        "purpose": "Pemantauan",
        "minutes_per_station": "45",
    }
    data.update({f"order_{s.pk}": str(n) for n, s in enumerate(stations, 1)})
    return {**data, **changes}


@pytest.mark.parametrize("username", [personas.BAWASLU, personas.PANWASCAM_NUSA_PENIDA, personas.POLRES, personas.POLSEK_NUSA_PENIDA])
def test_both_agencies_read_the_schedule_and_the_visit(ped_visit, client_of, username):
    client = client_of(username)
    page = client.get(f"/pemilihan/{ped_visit.election.slug}/kunjungan/").content.decode()
    assert "Selasa, 6 Februari 2024" in page and "Padangbai – Sampalan/Mentigi (kapal RoRo)" in page
    detail = client.get(_url(ped_visit)).content.decode()
    assert "kapal berangkat 09.00" in detail and "WITA" in detail and "TPS 001 Ped" in detail


def test_another_kecamatans_polsek_and_panwascam_see_nothing_of_it(ped_visit, client):
    for slug, username in [("polsek-dawan", "polsek-dawan-uji"), ("panwascam-dawan", "panwascam-dawan-uji")]:
        client.force_login(other_kecamatan_user(slug, username))
        schedule = client.get(f"/pemilihan/{ped_visit.election.slug}/kunjungan/")
        assert schedule.status_code == 200 and "Nusa Penida" not in schedule.content.decode()
        for suffix in ("", "laporan.pdf", f"tps/{ped_visit.stops.first().pk}/"):
            assert client.get(_url(ped_visit, suffix)).status_code == 404, (username, suffix)
        assert client.post(_url(ped_visit, "batal/"), {"reason": "x"}).status_code == 404
    assert Visit.objects.get(pk=ped_visit.pk).status == Visit.Status.PLANNED


@pytest.mark.parametrize("username", [personas.KPU, personas.JAKSA, personas.PTPS_PED])
def test_other_agencies_are_refused(ped_visit, client_of, username):
    client = client_of(username)
    assert client.get(f"/pemilihan/{ped_visit.election.slug}/kunjungan/").status_code == 403
    assert client.get(_url(ped_visit)).status_code == 403
    assert client.get(_url(ped_visit, "laporan.pdf")).status_code == 403
    assert "nav-visits" not in client.get(f"/pemilihan/{ped_visit.election.slug}/").content.decode()


def test_the_polsek_plans_a_visit_through_the_form(pemilu, client_of, on):
    on(datetime(2024, 2, 1, 1, 0, tzinfo=UTC))
    client = client_of(personas.POLSEK_NUSA_PENIDA)
    form_page = client.get(f"/pemilihan/{pemilu.slug}/kunjungan/baru/")  # its own kecamatan, chosen for it
    assert form_page.status_code == 200 and "Kecamatan Nusa Penida" in form_page.content.decode()
    stations = ped_stations(pemilu, 2)
    response = client.post(f"/pemilihan/{pemilu.slug}/kunjungan/baru/", _form(list(reversed(stations))))
    assert response.status_code == 302, response.content.decode()[-2000:]
    visit = Visit.objects.get()
    assert [s.station_id for s in visit.stops.order_by("order")] == [stations[1].pk, stations[0].pk]
    assert "nav-visits" in client.get(f"/pemilihan/{pemilu.slug}/").content.decode()


def test_a_refused_plan_says_why_on_the_form(pemilu, client_of, on):
    on(datetime(2024, 2, 1, 1, 0, tzinfo=UTC))
    client = client_of(personas.BAWASLU)
    response = client.post(f"/pemilihan/{pemilu.slug}/kunjungan/baru/?kecamatan=51.05.01", _form(lembongan_stations(pemilu, 1)))
    assert response.status_code == 200
    assert "Tim tidak dapat kembali hari yang sama" in response.content.decode()
    response = client.post(f"/pemilihan/{pemilu.slug}/kunjungan/baru/?kecamatan=51.05.01", _form(ped_stations(pemilu, 2), order_x="1", day="2024-02-20"))
    assert "sebelum hari pemungutan suara" in response.content.decode()
    assert not Visit.objects.exists()


def test_two_tps_with_the_same_order_are_refused(pemilu, client_of, on):
    on(datetime(2024, 2, 1, 1, 0, tzinfo=UTC))
    stations = ped_stations(pemilu, 2)
    data = _form(stations) | {f"order_{stations[1].pk}": "1"}
    response = client_of(personas.BAWASLU).post(f"/pemilihan/{pemilu.slug}/kunjungan/baru/?kecamatan=51.05.01", data)
    assert "nomor urut yang sama" in response.content.decode() and not Visit.objects.exists()


def test_a_district_user_picks_the_kecamatan_first(pemilu, client_of):
    page = client_of(personas.POLRES).get(f"/pemilihan/{pemilu.slug}/kunjungan/baru/").content.decode()
    assert "?kecamatan=51.05.01" in page and "?kecamatan=51.05.04" in page
    form = client_of(personas.POLRES).get(f"/pemilihan/{pemilu.slug}/kunjungan/baru/?kecamatan=51.05.04").content.decode()
    assert "Kecamatan Dawan" in form and "Polsek Dawan" in form and "Polsek Nusa Penida" not in form


def test_kpu_cannot_open_the_planning_form(pemilu, client_of):
    assert client_of(personas.KPU).get(f"/pemilihan/{pemilu.slug}/kunjungan/baru/").status_code == 403


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile("bukti.png", buffer.getvalue(), content_type="image/png")


def test_findings_recorded_on_the_page_update_the_checklist(ped_visit, client_of, on, pemilu):
    on(DURING_STAGE)
    stop = ped_visit.stops.order_by("order").first()
    ChecklistAnswer.objects.filter(station=stop.station).delete()
    client = client_of(personas.BAWASLU)
    page = client.get(_url(ped_visit, f"tps/{stop.pk}/"))
    assert page.status_code == 200 and "langsung diterapkan" in page.content.decode()
    indicator = Indicator.objects.get(election=pemilu, code="2.2")
    data = {f"present_{indicator.pk}": "on", f"note_{indicator.pk}": "Ancaman", "note": "Laporan warga", "photo": _png(), "photo_code": "2.2"}
    response = client.post(_url(ped_visit, f"tps/{stop.pk}/"), data)
    assert response.status_code == 302, response.content.decode()[-1500:]
    answer = ChecklistAnswer.objects.get(station=stop.station, indicator=indicator)
    assert answer.visit_id == ped_visit.pk and answer.evidence.name
    detail = client.get(_url(ped_visit)).content.decode()
    assert "Kurang rawan" in detail and "<strong>Rawan</strong>" in detail
    # The TPS's checklist page names the visit as the answer's source (a link for those who read visits).
    checklist_url = f"/pemilihan/{pemilu.slug}/tps/{stop.station_id}/rawan/"
    assert f'href="{_url(ped_visit)}" data-testid="answer-visit">sumber: kunjungan bersama no. {ped_visit.pk}' in client.get(checklist_url).content.decode()
    kpu_page = client_of(personas.KPU).get(checklist_url).content.decode()
    assert f"sumber: kunjungan bersama no. {ped_visit.pk}" in kpu_page and "answer-visit" not in kpu_page


def test_the_polsek_findings_are_applied_by_bawaslu_from_the_visit_page(ped_visit, client_of, on, pemilu):
    on(datetime(2024, 2, 10, 1, 0, tzinfo=UTC))  # after the collection stage
    stop = ped_visit.stops.order_by("order").first()
    ChecklistAnswer.objects.filter(station=stop.station).delete()
    indicator = Indicator.objects.get(election=pemilu, code="2.2")
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    assert "disimpan pada kunjungan ini" in polsek.get(_url(ped_visit, f"tps/{stop.pk}/")).content.decode()
    assert polsek.post(_url(ped_visit, f"tps/{stop.pk}/"), {f"present_{indicator.pk}": "on"}).status_code == 302
    assert not ChecklistAnswer.objects.filter(station=stop.station).exists()
    assert "menunggu diterapkan Bawaslu" in polsek.get(_url(ped_visit)).content.decode()
    assert polsek.post(_url(ped_visit, f"tps/{stop.pk}/terapkan/")).status_code == 403
    bawaslu = client_of(personas.BAWASLU)
    assert bawaslu.post(_url(ped_visit, f"tps/{stop.pk}/terapkan/")).status_code == 302
    assert ChecklistAnswer.objects.get(station=stop.station, indicator=indicator).visit_id == ped_visit.pk


def test_the_report_pdf_carries_both_agencies(ped_visit, client_of, user_of, pemilu):
    stop = ped_visit.stops.order_by("order").first()
    ChecklistAnswer.objects.filter(station=stop.station).delete()
    record_findings(
        actor=user_of(personas.BAWASLU),
        stop=stop,
        findings={"2.2": (True, "Ancaman kepada petugas")},
        note="Laporan warga",
        photo=_png(),
        photo_code="2.2",
        today=IN_STAGE,
    )
    response = client_of(personas.POLSEK_NUSA_PENIDA).get(_url(ped_visit, "laporan.pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pages = pages_of(response.content)
    text = " ".join(pages)
    assert "BADAN PENGAWAS PEMILIHAN UMUM KABUPATEN KLUNGKUNG" in text
    assert "LAPORAN KUNJUNGAN BERSAMA" in text and "Selasa, 6 Februari 2024" in text
    assert "Polsek Nusa Penida" in text and "Panwaslu Kecamatan Nusa Penida" in text
    assert "Padangbai – Sampalan/Mentigi (kapal RoRo): berangkat 09.00" in text
    assert "2.2" in text and "Ancaman kepada petugas" in text and "Kurang rawan → Rawan" in text
    # One signature per side, on the page of the last TPS row.
    last = ped_visit.stops.order_by("-order").first()
    assert page_with(pages, "Ketua Bawaslu Kabupaten Klungkung") == page_with(pages, "Kepala Polsek Nusa Penida") == page_with(pages, str(last.station))
    assert "NRP." in text and "NIP." in text
    # The evidence photo, embedded after the signatures.
    assert "Lampiran: foto bukti" in text and f"{stop.station} · indikator 2.2" in text
    assert len(PdfReader(io.BytesIO(response.content)).pages[-1].images) == 1
