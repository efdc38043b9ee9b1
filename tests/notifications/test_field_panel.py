"""The field apps list the broadcasts their user has not yet acknowledged, first on the page, and
an acknowledgement there returns to the app (the PTPS's /lapangan/, the officers' check-in page)."""

import pytest

from sinergi.notifications.models import Notification
from tests import personas

NUSA_PENIDA = "51.05.01"
PTPS_APP = "/lapangan/"
POST_APP = "/pemilihan/pemilu-2024/pengamanan/lapangan/"


def panel(page) -> str:
    text = page.content.decode()
    start = text.find('data-testid="awaiting-broadcasts"')
    return "" if start < 0 else text[start : text.index("</section>", start)]


@pytest.mark.django_db
def test_a_ptps_acknowledges_a_broadcast_from_its_field_app(client_of, user_of, pemilu):
    bawaslu = client_of(personas.BAWASLU)
    bawaslu.post("/pemilihan/pemilu-2024/siaran/", {"area": NUSA_PENIDA, "agency_kind": "pkd", "role": "field", "title": "Apel siaga 06.00", "body": "Hadir di TPS pukul 06.00."})
    ptps = client_of(personas.PTPS_PED)
    shown = panel(ptps.get(PTPS_APP))
    assert "Apel siaga 06.00" in shown and "Hadir di TPS pukul 06.00." in shown
    notification = Notification.objects.get(recipient=user_of(personas.PTPS_PED), title="Apel siaga 06.00")
    answer = ptps.post(f"/notifikasi/{notification.pk}/konfirmasi/", {"next": "lapangan"})
    assert answer.status_code == 302 and answer["Location"] == PTPS_APP
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None
    assert "Apel siaga 06.00" not in panel(ptps.get(PTPS_APP))


@pytest.mark.django_db
def test_an_officer_acknowledges_on_the_check_in_page_and_only_a_local_path_is_followed(client_of, user_of, pemilu):
    from django.test import Client

    from sinergi.accounts.models import Agency
    from sinergi.guard.demo import field_account

    officer = field_account(Agency.objects.get(slug="polsek-nusa-penida"))
    polres = client_of(personas.POLRES)
    answer = polres.post(
        "/pemilihan/pemilu-2024/siaran/", {"area": NUSA_PENIDA, "agency_kind": "polsek", "role": "field", "title": "Siaga penyeberangan", "body": "Kapal 07.00."}
    )
    assert answer.status_code == 302
    client = Client()
    client.force_login(officer)
    assert "Siaga penyeberangan" in panel(client.get(POST_APP))
    notification = Notification.objects.get(recipient=officer, title="Siaga penyeberangan")
    back = client.post(f"/notifikasi/{notification.pk}/konfirmasi/", {"next": POST_APP})
    assert back.status_code == 302 and back["Location"] == POST_APP
    assert panel(client.get(POST_APP)) == ""
    # A `next` that leaves the site is not followed.
    assert client.post(f"/notifikasi/{notification.pk}/konfirmasi/", {"next": "//contoh.invalid/x"})["Location"] == "/notifikasi/"
