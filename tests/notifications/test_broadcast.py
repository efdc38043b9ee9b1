"""Broadcasts from Bawaslu and the Polres to the PTPS or officers of an area, with acknowledgement
tracking; audited; each sender's agency sees its own broadcasts only."""

from sinergi.audit.models import AuditEvent
from sinergi.notifications.models import Broadcast, Notification
from tests import personas
from tests.notifications.helpers import field_account

PED = "51.05.01.2010"
NUSA_PENIDA = "51.05.01"
PAGE = "/pemilihan/pemilu-2024/siaran/"


def test_bawaslu_broadcasts_to_the_ptps_of_an_area_and_sees_who_acknowledged(client_of, pemilu):
    ped = field_account(pemilu, PED, 17, "ptps-ped-17")
    mainland = field_account(pemilu, "51.05.03.2001", 1, "ptps-semarapura-1") if _has_post(pemilu, "51.05.03.2001", 1) else None
    bawaslu = client_of(personas.BAWASLU)
    answer = bawaslu.post(
        PAGE, {"area": NUSA_PENIDA, "agency_kind": "pkd", "role": "field", "title": "Apel siaga 06.00", "body": "Semua PTPS hadir di TPS pukul 06.00."}
    )
    broadcast = Broadcast.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"{PAGE}{broadcast.pk}/"
    recipients = set(broadcast.notifications.values_list("recipient__username", flat=True))
    assert "ptps-ped-17" in recipients and personas.PTPS_PED in recipients
    assert mainland is None or mainland.username not in recipients  # another kecamatan
    assert all(username.startswith("ptps") for username in recipients)  # field accounts only
    event = AuditEvent.objects.get(action="notifications.broadcast")
    assert event.changes["recipients"][1] == len(recipients) and event.region == NUSA_PENIDA

    detail = bawaslu.get(f"{PAGE}{broadcast.pk}/").content.decode()
    assert f"0 dari {len(recipients)} penerima sudah mengonfirmasi" in detail

    ptps = client_of("ptps-ped-17")
    listing = ptps.get("/notifikasi/").content.decode()
    assert "Apel siaga 06.00" in listing and 'data-testid="acknowledge"' in listing
    notification = Notification.objects.get(broadcast=broadcast, recipient=ped)
    assert ptps.post(f"/notifikasi/{notification.pk}/konfirmasi/").status_code == 302
    assert ptps.post(f"/notifikasi/{notification.pk}/konfirmasi/").status_code == 302  # twice: once
    notification.refresh_from_db()
    assert notification.acknowledged_at is not None and notification.read_at is not None
    assert AuditEvent.objects.filter(action="notifications.acknowledge").count() == 1
    detail = bawaslu.get(f"{PAGE}{broadcast.pk}/").content.decode()
    assert f"1 dari {len(recipients)} penerima sudah mengonfirmasi" in detail


def _has_post(election, village, number):
    from sinergi.supervisors.models import Assignment

    return Assignment.objects.filter(election=election, station__village_id=village, station__number=number, status__in=Assignment.ACTIVE, role="ptps").exists()


def test_the_polres_broadcasts_to_its_polsek_officers_not_to_the_ptps(client_of, user_of):
    polres = client_of(personas.POLRES)
    answer = polres.post(PAGE, {"area": NUSA_PENIDA, "agency_kind": "polsek", "role": "", "title": "Siaga di dermaga"})
    assert answer.status_code == 302
    recipients = set(Broadcast.objects.get().notifications.values_list("recipient__username", flat=True))
    assert personas.POLSEK_NUSA_PENIDA in recipients and personas.PTPS_PED not in recipients
    refused = polres.post(PAGE, {"area": NUSA_PENIDA, "agency_kind": "pkd", "role": "field", "title": "x"})
    assert refused.status_code == 200 and Broadcast.objects.count() == 1  # not a kind the Polres commands


def test_an_area_outside_the_senders_is_refused(client_of, user_of):
    from sinergi.accounts.models import User

    # A Bawaslu officer whose own area is Nusa Penida cannot broadcast to the mainland.
    User.objects.filter(username=personas.BAWASLU_STAFF).update(area_id=NUSA_PENIDA)
    answer = client_of(personas.BAWASLU_STAFF).post(PAGE, {"area": "51.05.03", "agency_kind": "pkd", "role": "field", "title": "x"})
    assert answer.status_code == 200 and not Broadcast.objects.exists()


def test_who_may_broadcast_and_who_sees_a_broadcast(client_of):
    for username in (personas.KPU, personas.POLSEK_NUSA_PENIDA, personas.PTPS_PED, personas.PANWASCAM_NUSA_PENIDA, personas.JAKSA):
        assert client_of(username).get(PAGE).status_code == 403, username
    bawaslu = client_of(personas.BAWASLU)
    bawaslu.post(PAGE, {"area": NUSA_PENIDA, "agency_kind": "pkd", "role": "field", "title": "Hanya Bawaslu"})
    broadcast = Broadcast.objects.get()
    assert client_of(personas.BAWASLU_STAFF).get(f"{PAGE}{broadcast.pk}/").status_code == 200  # same agency
    polres = client_of(personas.POLRES)
    assert polres.get(f"{PAGE}{broadcast.pk}/").status_code == 404  # another agency's
    assert "Hanya Bawaslu" not in polres.get(PAGE).content.decode()


def test_a_notification_without_a_broadcast_cannot_be_acknowledged(client_of, user_of):
    from django.db import transaction

    from sinergi.notifications.services import notify

    with transaction.atomic():
        notify(recipients=[user_of(personas.POLRES)], kind="info", title="biasa")
    n = Notification.objects.get()
    client_of(personas.POLRES).post(f"/notifikasi/{n.pk}/konfirmasi/")
    n.refresh_from_db()
    assert n.acknowledged_at is None
