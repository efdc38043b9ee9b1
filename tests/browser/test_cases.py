"""In a real browser: a member of the public files a report with no account, gets a tracking code
and sees its status; a Bawaslu officer then registers it with the deadlines shown."""

import re

import pytest
from django.utils import timezone
from PIL import Image

from sinergi.cases.models import Case
from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_map import sign_in

pytestmark = pytest.mark.browser
PED = "51.05.01.2010"


def test_a_public_report_gets_a_tracking_code_and_a_staffer_registers_it(site, page, tmp_path):
    photo = tmp_path / "bukti.png"
    Image.new("RGB", (8, 8), "red").save(photo, "PNG")
    today = timezone.localdate().isoformat()
    page.goto(f"{site.url}/lapor/")
    page.click("[data-testid=report-pemilu-2024]")
    page.select_option("#id_source", "pemantau")
    page.fill("#id_reporter_name", "Ni Luh Contoh")
    page.fill("#id_reporter_address", "Jalan Contoh 1, Semarapura")
    page.fill("#id_reported_party", "Oknum (contoh)")
    page.fill("#id_occurred_on", today)
    page.fill("#id_known_on", today)
    page.fill("#id_occurred_place", "TPS 17 Desa Ped")
    page.select_option("#id_region", PED)
    page.fill("#id_description", "Sekelompok warga menghalangi pemilih datang ke TPS (contoh).")
    page.fill("#id_witness1_name", "Saksi Contoh")
    page.set_input_files("#id_evidence", str(photo))
    page.click("[data-testid=submit-report]")
    code = page.text_content("[data-testid=tracking-code]")
    assert re.fullmatch(r"LP-[2-9A-Z]{4}-[2-9A-Z]{4}", code)
    assert page.text_content("[data-testid=public-status]") == "Diterima"
    page.screenshot(path=str(SCREENSHOTS / "public-report.png"))
    case = Case.objects.get(tracking_code=code)
    assert case.source == "pemantau" and case.evidence.count() == 1

    # The officer's side: the running deadline is on the page; registering gives the number.
    sign_in(page, site, personas.BAWASLU)
    page.goto(f"{site.url}/pemilihan/pemilu-2024/perkara/{case.pk}/")
    assert "Kajian awal" in page.text_content("body") and page.locator("[data-testid=countdown]").count() >= 1
    page.click("[data-testid=action-registrasi] button[type=submit]")
    page.wait_for_selector("[data-testid=status]:has-text('Teregistrasi')")
    case.refresh_from_db()
    assert case.registration_number and case.registration_number in page.text_content("h1")
    assert "Keputusan atas laporan/temuan teregistrasi" in page.text_content("body")

    # The reporter's page follows.
    page.goto(f"{site.url}/lapor/lacak/")
    page.fill("#id_code", code.lower())
    page.click("form.form button[type=submit]")
    assert page.text_content("[data-testid=public-status]") == "Teregistrasi"
    assert page.problems == []
