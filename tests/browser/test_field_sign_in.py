"""A PTPS scans the QR code of its surat tugas: the sign-in page fills the code in from the part
after '#', drops it from the address bar, and one tap opens the field app."""

import pytest
from playwright.sync_api import expect

from sinergi.supervisors import field_logins
from sinergi.supervisors.models import Assignment

pytestmark = pytest.mark.browser


def test_the_qr_code_s_link_fills_the_code_in_and_signs_the_ptps_in(site, page):
    post = Assignment.objects.get(election__slug="pemilu-2024", region_id="51.05.01.2010", station__number=17, status__in=Assignment.ACTIVE)
    code = field_logins.codes_for(actor=None, election=post.election, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")[post.pk]
    page.goto(f"{site.url}/lapangan/masuk/#kode={code}")
    expect(page.locator("#id_kode")).to_have_value(code)
    assert "#" not in page.url and code not in page.url  # not left in the address bar or history
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{site.url}/lapangan/")
    page.wait_for_selector("#field-app[data-ready]")
    expect(page.locator("#station")).to_contain_text("17")
    assert page.problems == []
