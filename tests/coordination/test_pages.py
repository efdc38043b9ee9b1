"""The meeting pages through their URLs: list, detail, the forms, an item's follow-up page, the
per-agency page, the minutes PDF and the Excel export; refusals."""

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.accounts.models import User
from sinergi.audit.models import AuditEvent
from sinergi.coordination import demo
from sinergi.coordination.models import ActionItem, Meeting
from sinergi.coordination.services import record_meeting
from tests import personas
from tests.coordination.data import agency, item_titled, meeting_data


def meeting_form(**changes) -> dict:
    data = {
        "election": "",
        "kind": "audiensi",
        "title": "Audiensi Bawaslu ke Polres (uji)",
        "day": "2024-01-16",
        "start_time": "10:00",
        "place": "Mapolres Klungkung",
        "region": "51.05",
        "agencies": [str(agency("bawaslu-klungkung").pk), str(agency("polres-klungkung").pk)],
        "other_attendees": "",
        "minutes": "Pokok bahasan (uji).",
        "decision_1": "Logistik dikawal sampai TPS.",
        "item_1_title": "Pengawalan logistik",
        "item_1_owner": str(agency("polres-klungkung").pk),
        "item_1_due_on": "2024-02-13",
        "item_1_decision": "1",
        "item_1_description": "",
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_bawaslu_records_a_meeting_through_the_form(pemilu, client_of):
    client = client_of(personas.BAWASLU)
    page = client.get(reverse("coordination:new", args=[pemilu.slug]))
    html = page.content.decode()
    assert page.status_code == 200 and "Polres Klungkung" in html and 'name="item_6_due_on"' in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style
    response = client.post(reverse("coordination:new", args=[pemilu.slug]), meeting_form(election=str(pemilu.pk)))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("coordination:detail", args=[pemilu.slug, meeting.pk])
    # 10.00 on the form is 10.00 WITA.
    assert meeting.starts_at == datetime(2024, 1, 16, 2, 0, tzinfo=UTC) and meeting.election == pemilu
    item = meeting.action_items.get()
    assert (item.title, item.owner.slug, item.decision.order) == ("Pengawalan logistik", "polres-klungkung", 1)


@pytest.mark.django_db
def test_the_form_shows_the_services_errors_next_to_the_fields(pemilu, client_of):
    client = client_of(personas.BAWASLU)
    response = client.post(reverse("coordination:new", args=[pemilu.slug]), meeting_form(agencies=[], item_1_due_on="", item_1_decision="4"))
    html = response.content.decode()
    assert response.status_code == 200 and Meeting.objects.count() == 0
    form = response.context["form"]
    assert set(form.errors) == {"agencies", "item_1_due_on", "item_1_decision"}
    assert "Pilih paling sedikit satu lembaga yang hadir." in html and "keputusan nomor 4 tidak ada" in html


@pytest.mark.django_db
def test_who_may_open_the_meeting_form(pemilu, client_of):
    for username in (personas.KPU, personas.POLSEK_NUSA_PENIDA, personas.PTPS_PED):
        assert client_of(username).get(reverse("coordination:new", args=[pemilu.slug])).status_code == 403, username
    assert client_of(personas.POLRES).get(reverse("coordination:new", args=[pemilu.slug])).status_code == 200


@pytest.mark.django_db
def test_the_list_and_the_meeting_page_highlight_overdue_items(pemilu, client_of, on, meeting):
    on(datetime(2024, 2, 14, 2, 0, tzinfo=UTC))  # voting day, 10.00 WITA
    client = client_of(personas.KPU)  # reads, did not attend: the meeting is in its area
    listing = client.get(reverse("coordination:list", args=[pemilu.slug]))
    assert listing.status_code == 200 and meeting.title in listing.content.decode()
    assert listing.context["rows"][0]["overdue"] == 2
    page = client.get(reverse("coordination:detail", args=[pemilu.slug, meeting.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Selasa, 16 Januari 2024 10.00 WITA" in html
    assert html.count('class="overdue"') == 2 and "terlambat 23 hari" in html and "terlambat 1 hari" in html
    assert "style=" not in html and "<script>" not in html.replace('<script src="', "")


@pytest.mark.django_db
def test_the_owner_updates_its_item_from_its_page(pemilu, client_of, on, meeting):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    escort = item_titled(meeting, "Pengawalan logistik")
    url = reverse("coordination:item", args=[pemilu.slug, meeting.pk, escort.pk])
    client = client_of(personas.POLRES)
    assert 'data-testid="update-form"' in client.get(url).content.decode()
    response = client.post(url, {"status": "selesai", "note": "Semua TPS Nusa Penida menerima logistik (uji).", "done_on": ""})
    assert response.status_code == 302
    escort.refresh_from_db()
    assert escort.status == "selesai" and str(escort.done_on) == "2024-02-12"
    page = client.get(url).content.decode()
    assert "Semua TPS Nusa Penida menerima logistik (uji)." in page
    # Bawaslu's item: the Polres reads it, may not update it.
    ptps = item_titled(meeting, "Pelantikan PTPS")
    ptps_url = reverse("coordination:item", args=[pemilu.slug, meeting.pk, ptps.pk])
    assert 'data-testid="update-form"' not in client.get(ptps_url).content.decode()
    assert client.post(ptps_url, {"status": "selesai", "note": "x"}).status_code == 403
    ptps.refresh_from_db()
    assert ptps.status == "terbuka"


@pytest.mark.django_db
def test_an_update_form_error_is_shown_and_nothing_written(pemilu, client_of, on, meeting):
    on(datetime(2024, 2, 12, 2, 0, tzinfo=UTC))
    escort = item_titled(meeting, "Pengawalan logistik")
    response = client_of(personas.POLRES).post(reverse("coordination:item", args=[pemilu.slug, meeting.pk, escort.pk]), {"status": "terbuka", "note": ""})
    assert response.status_code == 200 and "Tulis catatan tindak lanjut" in response.content.decode()
    assert not AuditEvent.objects.filter(action="action_item.update").exists()


@pytest.mark.django_db
def test_the_recorder_edits_the_meeting_and_adds_an_item(pemilu, client_of, meeting):
    url = reverse("coordination:edit", args=[pemilu.slug, meeting.pk])
    assert client_of(personas.POLRES).get(url).status_code == 403  # attended, did not record
    client = client_of(personas.BAWASLU)
    form = client.get(url).context["form"]
    assert form.initial["start_time"].hour == 10 and form.initial["title"] == meeting.title
    data = meeting_form(
        election=str(pemilu.pk), kind="rapat_koordinasi", title=meeting.title, decision_1="Pengamanan sampai Pilkada selesai.",
        item_1_title="Pengamanan Pilkada", item_1_due_on="2024-11-27", item_1_decision="3",
    )  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert meeting.decisions.count() == 3 and item_titled(meeting, "Pengamanan Pilkada").decision.order == 3


@pytest.mark.django_db
def test_an_agency_outside_the_meeting_and_its_area_is_refused(pemilu, client_of, user_of, meeting):
    nusa_penida = record_meeting(
        actor=user_of(personas.BAWASLU), election=pemilu,
        **meeting_data(title="Rapat Nusa Penida (uji)", region_code="51.05.01", agencies=[agency("bawaslu-klungkung"), agency("polsek-nusa-penida")]),
    )  # fmt: skip
    User.objects.create_user(username="polsek-dawan-uji", agency=agency("polsek-dawan"))
    dawan = client_of("polsek-dawan-uji")
    assert dawan.get(reverse("coordination:detail", args=[pemilu.slug, nusa_penida.pk])).status_code == 404
    assert dawan.get(reverse("coordination:minutes_pdf", args=[pemilu.slug, nusa_penida.pk])).status_code == 404
    listing = dawan.get(reverse("coordination:list", args=[pemilu.slug])).content.decode()
    assert meeting.title in listing and "Rapat Nusa Penida (uji)" not in listing
    assert client_of(personas.PTPS_PED).get(reverse("coordination:list", args=[pemilu.slug])).status_code == 403


@pytest.mark.django_db
def test_the_per_agency_page_lists_open_items_with_the_viewers_first(pemilu, client_of, on, meeting):
    on(datetime(2024, 2, 14, 2, 0, tzinfo=UTC))
    page = client_of(personas.POLRES).get(reverse("coordination:by_agency", args=[pemilu.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index('data-testid="agency-polres-klungkung"') < html.index('data-testid="agency-bawaslu-klungkung"')
    assert "Lembaga Anda" in html and html.count('class="overdue"') == 2
    kpu = client_of(personas.KPU).get(reverse("coordination:by_agency", args=[pemilu.slug])).content.decode()
    assert 'data-testid="mine-empty"' in kpu


@pytest.mark.django_db
def test_the_navigation_links_to_the_meetings_only_for_those_who_may_see_them(pemilu, client_of):
    link = f'href="{reverse("coordination:list", args=[pemilu.slug])}"'
    assert link in client_of(personas.JAKSA).get(reverse("elections:overview", args=[pemilu.slug])).content.decode()
    assert link not in client_of(personas.PTPS_PED).get(reverse("elections:overview", args=[pemilu.slug])).content.decode()


@pytest.mark.django_db
def test_the_minutes_pdf_of_the_demo_meeting(pemilu, client_of, on):
    demo.seed()
    on(datetime(2024, 2, 14, 2, 0, tzinfo=UTC))
    meeting = Meeting.objects.get()
    response = client_of(personas.POLRES).get(reverse("coordination:minutes_pdf", args=[pemilu.slug, meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for expected in (
        "BADAN PENGAWAS PEMILIHAN UMUM", "KABUPATEN KLUNGKUNG", "Selasa, 16 Januari 2024", "Mapolres Klungkung",
        "Bawaslu Kabupaten Klungkung", "Polres Klungkung", "Pelantikan PTPS", "22 Januari 2024", "13 Februari 2024",
        "27 November 2024", "TERLAMBAT 1 HARI", "Notulis", "Pimpinan rapat",
    ):  # fmt: skip
        assert expected in text, expected


@pytest.mark.django_db
def test_the_action_items_as_excel(pemilu, client_of, on):
    demo.seed()
    on(datetime(2024, 2, 14, 2, 0, tzinfo=UTC))
    response = client_of(personas.BAWASLU).get(reverse("coordination:items_xlsx", args=[pemilu.slug]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("rapat", "tanggal_rapat", "tindak_lanjut") and len(rows) == 1 + ActionItem.objects.count()
    late = [row for row in rows[1:] if row[8]]
    assert sorted(row[2] for row in late) == [
        "Pemantauan TPS di Nusa Penida sebelum hari pemungutan suara",
        "Pengawalan logistik dari gudang KPU ke setiap TPS, Nusa Penida lebih dahulu",
    ]
    assert all("terlambat" in row[6] for row in late)


@pytest.mark.django_db
def test_the_pages_stay_within_their_query_budget_as_meetings_grow(pemilu, client_of, user_of, django_assert_max_num_queries):
    demo.seed()
    meeting = Meeting.objects.get()
    for n in range(5):
        record_meeting(actor=user_of(personas.BAWASLU), election=pemilu, **meeting_data(title=f"Rapat {n} (uji)"))
    client = client_of(personas.POLRES)
    for url in (
        reverse("coordination:list", args=[pemilu.slug]),
        reverse("coordination:detail", args=[pemilu.slug, meeting.pk]),
        reverse("coordination:by_agency", args=[pemilu.slug]),
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200
