"""The PTPS field app in a real browser: what waits on the phone survives an expired session, a
refused photo stays with its reason, incidents go offline like reports, times are the election's."""

import io
import os
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from sinergi.supervisors.models import Attachment, Incident, Report
from tests import personas
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_map import open_field_app

pytestmark = pytest.mark.browser
WITA = ZoneInfo("Asia/Makassar")


def png(width: int, height: int, noise: bool = False) -> bytes:
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)) if noise else Image.new("RGB", (width, height), (20, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def fill_transfer(page):
    page.select_option("#stage", "pengiriman")
    page.select_option("#q-dikawal", "ya")
    page.select_option("#q-segel_utuh", "ya")


def file_incident(page, description):
    page.select_option("#incident-category", "politik_uang")
    page.select_option("#incident-severity", "tinggi")
    page.fill("#incident-description", description)
    page.click("#incident button[type=submit]")


def test_what_waits_offline_survives_an_expired_session_and_arrives_once_after_signing_in(site, browser):
    assignment, context, page, problems = open_field_app(site, browser)
    context.set_offline(True)
    fill_transfer(page)
    page.click("#report button[type=submit]")
    file_incident(page, "Pembagian amplop di dekat TPS (contoh).")
    expect(page.locator("#queue li[data-state=waiting]")).to_have_count(2)
    Session.objects.all().delete()  # the session expires on the server while the phone is offline
    context.set_offline(False)

    # The app asks to sign in again, where the PTPS is looking, and keeps both items waiting: nothing refused, nothing sent.
    expect(page.locator("[data-testid=sign-in-again]")).to_be_in_viewport(timeout=20000)
    expect(page.locator("#queue li[data-state=waiting]")).to_have_count(2)
    expect(page.locator("#queue li[data-state=refused]")).to_have_count(0)
    assert not Report.objects.filter(station=assignment.station, stage="pengiriman").exists()
    page.screenshot(path=str(SCREENSHOTS / "field-app-sign-in-again.png"))

    page.click("[data-testid=sign-in-link]")
    page.fill("#id_username", personas.PTPS_PED)
    page.fill("#id_password", personas.PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site.url}/lapangan/")
    expect(page.locator("#queue li[data-state=sent]")).to_have_count(2, timeout=20000)
    expect(page.locator("[data-testid=sign-in-again]")).to_be_hidden()
    assert Report.objects.filter(station=assignment.station, stage="pengiriman").count() == 1
    assert Incident.objects.filter(station=assignment.station, description__startswith="Pembagian amplop").count() == 1
    page.reload()  # nothing is sent twice
    page.wait_for_selector("#field-app[data-ready]")
    page.wait_for_timeout(500)
    assert Report.objects.filter(station=assignment.station, stage="pengiriman").count() == 1
    assert Incident.objects.filter(station=assignment.station, description__startswith="Pembagian amplop").count() == 1
    assert problems == []
    context.close()


def test_a_refused_c_hasil_photo_stays_on_the_phone_with_its_reason_until_replaced(site, browser):
    assignment, context, page, problems = open_field_app(site, browser)
    page.select_option("#stage", "penghitungan")
    page.select_option("#q-penghitungan_terbuka", "ya")
    page.select_option("#q-keberatan_saksi", "tidak")
    too_big = png(1400, 1300, noise=True)
    assert len(too_big) > 5 * 1024 * 1024
    page.set_input_files("#q-foto_c_hasil", files=[{"name": "c-hasil.png", "mimeType": "image/png", "buffer": too_big}])
    page.click("#report button[type=submit]")
    refused = page.locator("#queue li[data-state=sent] [data-testid=refused-photo]")
    expect(refused).to_contain_text("Foto ditolak: c-hasil.png: terlalu besar (5.2 MB); paling besar 5 MB. Ganti foto", timeout=20000)
    expect(refused).not_to_contain_text("(c-hasil.png)")  # named once
    expect(refused.locator("img")).to_be_visible()
    report = Report.objects.get(station=assignment.station, stage="penghitungan")
    assert not Attachment.objects.filter(report=report).exists()

    page.reload()  # still on the phone, still with its reason
    expect(page.locator("[data-testid=refused-photo]")).to_contain_text("terlalu besar (5.2 MB)")
    page.screenshot(path=str(SCREENSHOTS / "field-app-refused-photo.png"), full_page=True)

    page.set_input_files("[data-testid=replace-photo]", files=[{"name": "c-hasil-kecil.png", "mimeType": "image/png", "buffer": png(120, 90)}])
    expect(page.locator("[data-testid=refused-photo]")).to_have_count(0, timeout=20000)
    expect(page.locator("#queue li", has_text="foto menunggu")).to_have_count(0, timeout=20000)
    assert list(Attachment.objects.filter(report=report).values_list("code", flat=True)) == ["foto_c_hasil"]
    assert problems == []
    context.close()


def test_a_refused_photo_can_be_discarded(site, browser):
    assignment, context, page, problems = open_field_app(site, browser)
    file_incident(page, "Amplop dibagikan (contoh).")
    page.locator("#queue li[data-kind=incident][data-state=sent]").wait_for(timeout=20000)
    page.set_input_files("#incident-photos", files=[{"name": "bukan-foto.png", "mimeType": "image/png", "buffer": b"bukan gambar"}])
    file_incident(page, "Amplop kedua (contoh).")
    expect(page.locator("[data-testid=refused-photo]")).to_be_visible(timeout=20000)
    page.click("[data-testid=discard-photo]")
    expect(page.locator("[data-testid=refused-photo]")).to_have_count(0)
    page.reload()
    page.wait_for_selector("#field-app[data-ready]")
    expect(page.locator("#queue li[data-kind=incident][data-state=sent]")).to_have_count(2)
    expect(page.locator("[data-testid=refused-photo]")).to_have_count(0)
    assert not Attachment.objects.filter(incident__station=assignment.station).exists()
    assert problems == []
    context.close()


def test_an_incident_filed_offline_arrives_once_with_its_photo(site, browser):
    assignment, context, page, problems = open_field_app(site, browser)
    context.set_offline(True)
    page.set_input_files("#incident-photos", files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": png(120, 90)}])
    file_incident(page, "Tim sukses membagikan amplop di gang TPS (contoh).")
    page.wait_for_selector("#queue li[data-kind=incident][data-state=waiting]:has-text('1 foto menunggu')")
    expect(page.locator("[data-testid=incident-saved]")).to_be_in_viewport()
    assert not Incident.objects.filter(station=assignment.station, category="politik_uang", description__startswith="Tim sukses").exists()
    context.set_offline(False)
    page.locator("#queue li[data-kind=incident][data-state=sent]").wait_for(timeout=20000)
    expect(page.locator("#queue li", has_text="foto menunggu")).to_have_count(0, timeout=20000)
    incident = Incident.objects.get(station=assignment.station, description__startswith="Tim sukses")
    assert (incident.category, incident.severity, incident.via, incident.filed_by.username) == ("politik_uang", "tinggi", "api", personas.PTPS_PED)
    assert Attachment.objects.filter(incident=incident).count() == 1
    page.reload()
    page.wait_for_selector("#queue li[data-kind=incident][data-state=sent]")
    page.wait_for_timeout(500)
    assert Incident.objects.filter(station=assignment.station, description__startswith="Tim sukses").count() == 1
    assert problems == []
    context.close()


def test_times_are_wita_on_a_phone_set_to_utc_and_the_confirmation_is_in_view(site, browser):
    assignment, context, page, problems = open_field_app(site, browser, timezone_id="UTC")
    page.select_option("#stage", "penghitungan")
    page.select_option("#q-penghitungan_terbuka", "ya")
    page.select_option("#q-keberatan_saksi", "tidak")
    page.click("#report button[type=submit]")
    saved = page.locator("[data-testid=saved]")
    expect(saved).to_be_in_viewport()
    assert page.locator("#stage").input_value() == "penghitungan"  # the form stays at the stage being reported
    page.locator("#queue li[data-state=sent]").wait_for(timeout=20000)
    report = Report.objects.get(station=assignment.station, stage="penghitungan")
    expected = f"{timezone.localtime(report.observed_at, WITA):%H.%M} WITA"  # eight hours ahead of the phone's UTC
    assert expected in saved.inner_text()
    assert page.locator("#queue li[data-state=sent]").inner_text().split(" · ")[1] == expected
    page.screenshot(path=str(SCREENSHOTS / "field-app-saved.png"))
    assert problems == []
    context.close()


def test_a_live_session_with_a_stale_csrf_token_keeps_the_report_waiting_until_the_page_is_fresh(site, browser):
    assignment, context, page, problems = open_field_app(site, browser)
    context.set_offline(True)
    fill_transfer(page)
    page.click("#report button[type=submit]")
    page.wait_for_selector("#queue li[data-state=waiting]")
    context.clear_cookies(name="csrftoken")  # the session lives on; its CSRF token does not
    context.set_offline(False)
    expect(page.locator("[data-testid=sign-in-again]")).to_be_visible(timeout=20000)  # 403 csrf_failed: not a refusal
    expect(page.locator("#queue li[data-state=waiting]")).to_have_count(1)
    assert not Report.objects.filter(station=assignment.station, stage="pengiriman").exists()
    page.click("[data-testid=sign-in-link]")  # still signed in: straight back to the app, with a fresh token
    page.wait_for_url(f"{site.url}/lapangan/")
    page.locator("#queue li[data-state=sent]").wait_for(timeout=20000)
    assert Report.objects.filter(station=assignment.station, stage="pengiriman").count() == 1
    assert problems == []
    context.close()


def test_a_report_an_earlier_version_marked_refused_for_an_expired_session_is_sent(site, browser):
    assignment, context, page, problems = open_field_app(site, browser)
    context.set_offline(True)  # nothing is sent while the old record is put in place
    stored_by_the_old_app = {
        "client_id": "6f1c2b0e-3d4a-4c5b-9e8f-0a1b2c3d4e5f", "station_id": assignment.station_id, "stage": "pengiriman", "stage_label": "Pengiriman hasil",
        "answers": {"dikawal": True, "segel_utuh": True}, "narrative": "", "observed_at": "2024-02-14T15:00:00.000Z", "saved_at": 1, "state": "refused", "error": "CSRF check Failed",
    }  # fmt: skip
    page.evaluate(
        """item => new Promise((resolve, reject) => {
            const open = indexedDB.open("sinergi-lapangan");
            open.onerror = reject;
            open.onsuccess = () => {
                const tx = open.result.transaction("reports", "readwrite");
                tx.objectStore("reports").put(item);
                tx.oncomplete = () => { open.result.close(); resolve(); };
                tx.onerror = reject;
            };
        })""",
        stored_by_the_old_app,
    )
    context.set_offline(False)
    page.reload()
    page.locator("#queue li[data-state=sent]").wait_for(timeout=20000)
    assert Report.objects.filter(client_id=stored_by_the_old_app["client_id"]).count() == 1
    assert problems == []
    context.close()
