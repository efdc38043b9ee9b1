"""In a real browser: sign in, open the map, see TPS markers on the village polygons, switch language."""

import re

import pytest

from tests import personas
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def sign_in(page, site, username):
    page.goto(f"{site.url}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", personas.PASSWORD)
    page.click("form.form button[type=submit]")
    # An officer lands on an election's overview, a PTPS with a post on the field app.
    page.wait_for_url(re.compile(r".*/(pemilihan/[a-z0-9-]+|lapangan)/$"))


def test_polsek_sees_nusa_penida_on_the_map_and_switches_to_english(site, page):
    sign_in(page, site, personas.POLSEK_NUSA_PENIDA)
    assert page.locator("[data-testid=count-stations]").inner_text() == "102"  # Pilkada 2024, Nusa Penida

    page.select_option("#election-select", "pemilu-2024")
    page.wait_for_url(re.compile(r".*/pemilihan/pemilu-2024/$"))
    page.click("text=Peta")
    page.wait_for_selector("#map[data-loaded]")
    assert page.locator("#map").get_attribute("data-loaded") == "198"
    # 16 village polygons of Nusa Penida as the base layer, and clustered TPS markers over them.
    assert page.locator("path.leaflet-interactive").count() == 16
    assert page.locator(".marker-cluster, .leaflet-marker-icon").count() > 0
    assert page.locator(".leaflet-tile").count() == 0  # no tile server configured: nothing fetched
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "map-polsek-nusapenida.png"))

    # Zoom right in on one cluster until single TPS markers appear, then open one.
    page.locator(".marker-cluster").first.click()
    page.wait_for_timeout(400)
    for _ in range(6):
        if page.locator(".leaflet-marker-icon:not(.marker-cluster)").count():
            break
        page.locator(".marker-cluster").first.click()
        page.wait_for_timeout(400)
    page.locator(".leaflet-marker-icon:not(.marker-cluster)").first.click()
    popup = page.locator(".leaflet-popup-content")
    assert "TPS" in popup.inner_text() and "koordinat perkiraan" in popup.inner_text()

    page.click("[data-testid=language-en]")
    page.wait_for_selector("html[lang=en]")
    nav = page.locator("nav.mainnav").inner_text()
    assert "Overview" in nav and "Map" in nav and "Ringkasan" not in nav
    assert page.problems == []  # no script error and no Content-Security-Policy violation


def test_kpu_imports_a_file_with_a_bad_row_and_sees_it_named(site, page, tmp_path):
    sign_in(page, site, personas.KPU)
    bad = tmp_path / "tps.csv"
    bad.write_text("kode_desa,nomor_tps,pemilih\n51.05.01.2010,90,120\n51.05.01.2010,91,301\n")
    page.goto(f"{site.url}/pemilihan/pemilu-2024/tps/impor/")
    page.set_input_files("#id_file", str(bad))
    page.click("form.form button[type=submit]")
    errors = page.locator("[data-testid=import-errors]")
    assert "Baris 3, kolom 'pemilih': Jumlah pemilih 301 melebihi batas 300" in errors.inner_text()
    # The refused import answers 400 on purpose; nothing else may fail.
    assert [p for p in page.problems if "400" not in p] == []


def test_the_tps_list_filters_live_by_kecamatan_then_village(site, page):
    sign_in(page, site, personas.BAWASLU)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/tps/")
    assert page.locator("[data-testid=station-count]").inner_text() == "649 TPS"
    page.select_option("#id_kecamatan", "51.05.04")
    page.wait_for_selector("#id_desa")
    assert page.locator("[data-testid=station-count]").inner_text() == "123 TPS"
    page.select_option("#id_desa", label="Pikat")
    page.wait_for_function("() => !document.querySelector('[data-testid=station-count]').innerText.startsWith('123')")
    rows = page.locator("#station-browser tbody tr")
    assert rows.count() >= 1 and all("Pikat" in text for text in rows.all_inner_texts())
    assert "desa=51.05.04.2010" in page.url  # the filtered view is a link that can be shared
    assert page.problems == []  # includes Content-Security-Policy violations, which Chromium logs as errors


def test_checklist_form_on_a_phone_and_the_vulnerability_map_layer(site, browser):
    from sinergi.stations.models import Station

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    sign_in(page, site, personas.BAWASLU_STAFF)
    station = Station.objects.get(election__slug="pemilu-2024", village_id="51.05.01.2010", number=3)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/tps/{station.pk}/rawan/")
    page.check("#id_present_6\\.5")
    page.fill("input[name='note_6.5']", "Dekat galian C")
    page.fill("#id_reason", "Temuan patroli")
    page.click("[data-testid=checklist-form] button[type=submit]")
    page.wait_for_selector(".message")
    assert "Daftar periksa disimpan" in page.locator(".message").inner_text()
    assert page.locator("#id_present_6\\.5").is_checked()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "checklist-phone.png"), full_page=False)

    page.goto(f"{site.url}/pemilihan/pemilu-2024/peta/")
    page.wait_for_selector("#map[data-loaded]")
    page.select_option("[data-testid=map-layer]", "variables")
    page.wait_for_selector("#map[data-layer=variables]")
    assert "jumlah variabel" in page.locator("[data-testid=layer-legend]").inner_text()
    page.select_option("[data-testid=map-layer]", "post")
    page.wait_for_selector("#map[data-layer=post]")
    page.screenshot(path=str(SCREENSHOTS / "map-posts-phone.png"))
    assert problems == []
    context.close()


def test_kpu_reads_the_logistics_requirements_and_sets_a_reserve(site, page):
    sign_in(page, site, personas.KPU)
    page.click("nav >> text=Logistik")  # the newest election first: Pilkada 2024, 335 TPS x 2 boxes
    page.wait_for_selector("[data-testid=requirements-summary]")
    assert "670" in page.locator("[data-testid=requirements-summary] tr", has_text=re.compile(r"^Kotak suara")).inner_text()
    page.goto(f"{site.url}/pemilihan/pemilu-2024/logistik/")
    boxes = page.locator("[data-testid=requirements-summary] tr", has_text=re.compile(r"^Kotak suara"))
    assert "3.245" in boxes.inner_text()  # 649 TPS x 5 boxes
    page.select_option("#id_item", "tinta")
    page.fill("#id_quantity", "40")
    page.click("[data-testid=reserve-form] button[type=submit]")
    page.wait_for_selector(".message")
    ink = page.locator("[data-testid=requirements-summary] tr", has_text=re.compile(r"^Tinta"))
    assert "40" in ink.inner_text() and "1.338" in ink.inner_text()  # 649 x 2 + 40
    page.screenshot(path=str(SCREENSHOTS / "logistics-requirements.png"), full_page=True)
    assert page.problems == []


def test_kpu_records_a_handover_on_a_phone_after_scanning_the_qr(site, browser):
    from sinergi.logistics.custody import create_consignments, dispatch, token_for
    from sinergi.logistics.models import Consignment
    from sinergi.stations.models import Station

    election = Station.objects.get(election__slug="pemilu-2024", village_id="51.05.01.2010", number=5).election
    create_consignments(actor=None, election=election)
    consignment = Consignment.objects.get(station__village_id="51.05.01.2010", station__number=5, direction="keluar")
    dispatch(actor=None, consignment=consignment, seals=["KLK-501"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    sign_in(page, site, personas.KPU)
    page.goto(f"{site.url}/logistik/qr/{token_for('c', consignment.pk)}/")  # what the phone's camera opens
    page.wait_for_selector("[data-testid=handover-form]")
    page.select_option("#id_to_party", "pps:51.05.01.2010")
    page.fill("#id_place", "Kantor Desa Ped")
    page.fill("#id_giver_name", "I Made Logistik")
    page.fill("#id_receiver_name", "Ni Kadek PPS")
    page.fill("#id_witness_police", "Bhabinkamtibmas Ped")
    # The counts start empty (the receiver counts); everything arrived but one bottle of ink.
    for code, count in consignment.contents.items():
        assert page.input_value(f"#id_count_{code}") == ""
        page.fill(f"#id_count_{code}", str(count))
    page.fill("#id_count_tinta", "1")
    page.click("[data-testid=handover-form] button[type=submit]")
    page.wait_for_selector(".message")
    assert "Serah terima ke-1 dicatat." in page.locator(".message").inner_text()
    history = page.locator("[data-testid=handover]").inner_text()
    assert "KPU Klungkung → PPS Ped" in history and "Kurang: Tinta sidik jari 1" in history and "Pindai kode QR" in page.content()
    saved = Consignment.objects.get(pk=consignment.pk).handovers.get()
    assert (saved.via, saved.counts["tinta"]) == ("qr", 1)
    page.screenshot(path=str(SCREENSHOTS / "handover-phone.png"), full_page=True)
    assert problems == []
    context.close()


def test_the_map_opens_on_the_delivery_days_of_the_plan(site, page):
    from sinergi.elections.models import Election
    from sinergi.logistics.plans import make_plan

    make_plan(actor=None, election=Election.objects.get(slug="pemilu-2024"), iterations=200)
    sign_in(page, site, personas.POLRES)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/logistik/distribusi/")
    page.click("text=Lihat di peta")
    page.wait_for_selector("#map[data-layer=delivery]")
    assert "H-3" in page.locator("[data-testid=layer-legend]").inner_text()
    # Most markers sit in clusters at this zoom; the ones drawn carry their delivery day.
    assert page.locator(".tps-pin.tps-h3, .tps-pin.tps-h1").count() > 0
    page.screenshot(path=str(SCREENSHOTS / "map-delivery-days.png"))
    assert page.problems == []


def open_field_app(site, browser, **options):
    """The PTPS of Ped TPS 17 signed in to the field app on a phone-sized page: (post, context, page, problems).
    `options` go to the browser context (a `timezone_id` for the phone, say)."""
    from sinergi.accounts.models import User
    from sinergi.supervisors.models import Assignment

    assignment = Assignment.objects.get(station__election__slug="pemilu-2024", station__village_id="51.05.01.2010", station__number=17, status__in=Assignment.ACTIVE)
    supervisor = assignment.supervisor
    supervisor.user = User.objects.get(username=personas.PTPS_PED)
    supervisor.save(update_fields=["user"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", **options)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, site, personas.PTPS_PED)
    page.goto(f"{site.url}/lapangan/")
    page.wait_for_selector("#field-app[data-ready]")
    return assignment, context, page, problems


def test_a_ptps_reports_offline_and_the_report_arrives_once(site, browser):
    from sinergi.supervisors.models import Report

    assignment, context, page, problems = open_field_app(site, browser)
    assert "TPS 017 Ped" in page.locator("#station").inner_text()
    context.set_offline(True)
    page.select_option("#stage", "pengiriman")
    page.select_option("#q-dikawal", "ya")
    page.select_option("#q-segel_utuh", "ya")
    page.click("#report button[type=submit]")
    page.wait_for_selector("#queue li[data-state=waiting]")
    # A second report while still offline: the queue then goes in one batch request.
    page.select_option("#stage", "pemungutan")
    page.select_option("#q-dibuka_tepat_waktu", "ya")
    page.select_option("#q-pemilih_tidak_berhak", "tidak")
    page.select_option("#q-intimidasi", "ya")
    page.click("#report button[type=submit]")
    page.locator("#queue li[data-state=waiting]").nth(1).wait_for()
    assert not Report.objects.filter(station=assignment.station, stage="pengiriman").exists()
    voting_before = Report.objects.filter(station=assignment.station, stage="pemungutan").count()  # the demo day's, if any
    page.screenshot(path=str(SCREENSHOTS / "field-app-offline.png"))
    context.set_offline(False)
    page.locator("#queue li[data-state=sent]").nth(1).wait_for(timeout=20000)
    assert Report.objects.filter(station=assignment.station, stage="pengiriman").count() == 1
    assert Report.objects.filter(station=assignment.station, stage="pemungutan", answers__intimidasi=True).count() == 1
    page.reload()  # the queue survives a reload, and nothing is sent twice
    page.wait_for_selector("#queue li[data-state=sent]")
    page.wait_for_timeout(500)
    assert Report.objects.filter(station=assignment.station, stage="pengiriman").count() == 1
    assert Report.objects.filter(station=assignment.station, stage="pemungutan").count() == voting_before + 1
    assert problems == []
    context.close()


def test_a_c_hasil_photo_taken_offline_follows_its_report_once(site, browser):
    import io

    from PIL import Image

    from sinergi.supervisors.models import Attachment, Report

    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (20, 90, 160)).save(buffer, "PNG")
    assignment, context, page, problems = open_field_app(site, browser)
    context.set_offline(True)
    page.select_option("#stage", "penghitungan")
    page.select_option("#q-penghitungan_terbuka", "ya")
    page.select_option("#q-keberatan_saksi", "tidak")
    page.set_input_files("#q-foto_c_hasil", files=[{"name": "c-hasil.png", "mimeType": "image/png", "buffer": buffer.getvalue()}])
    page.click("#report button[type=submit]")
    page.wait_for_selector("#queue li[data-state=waiting]:has-text('1 foto menunggu')")
    context.set_offline(False)
    page.wait_for_selector("#queue li[data-state=sent]", timeout=20000)
    page.locator("#queue li", has_text="foto menunggu").wait_for(state="detached", timeout=20000)
    report = Report.objects.get(station=assignment.station, stage="penghitungan")
    assert list(Attachment.objects.filter(report=report).values_list("code", "content_type")) == [("foto_c_hasil", "image/png")]
    page.reload()
    page.wait_for_selector("#queue li[data-state=sent]")
    page.wait_for_timeout(500)
    assert Attachment.objects.filter(report=report).count() == 1
    assert problems == []
    context.close()
