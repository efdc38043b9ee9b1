"""An incident's owner, state and clock (docs/incidents.md): every step through the services and the
API, idempotency, the timers with time travel, escalation exactly once, and who sees what."""

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.accounts.models import Agency
from sinergi.audit.models import AuditEvent
from sinergi.supervisors import incident_flow as flow
from sinergi.supervisors import incidents
from sinergi.supervisors.models import Incident, IncidentStep
from sinergi.supervisors.queries import incident_clock_alerts
from tests import personas

WITA = ZoneInfo("Asia/Makassar")
NUSA_PENIDA = "51.05.01"


def cid() -> uuid.UUID:
    return uuid.uuid4()


def polsek_np() -> Agency:
    return Agency.objects.get(slug="polsek-nusa-penida")


def polres() -> Agency:
    return Agency.objects.get(kind=Agency.Kind.POLRES)


# -- the state machine through the services -----------------------------------------------------


@pytest.mark.django_db
def test_the_whole_loop_each_step_a_row_with_its_audit_event(incident, user_of, voting_morning, on):
    panwascam, polsek = user_of(personas.PANWASCAM_NUSA_PENIDA), user_of(personas.POLSEK_NUSA_PENIDA)
    step, created = incidents.refer(actor=panwascam, incident=incident, client_id=cid(), note="Segera.")
    assert created and step.agency == polsek_np() and step.tell == [f"agency:{polsek_np().pk}"]  # the Polsek of the TPS by default
    incident.refresh_from_db()
    assert (incident.state, incident.agency, incident.referred_at) == (flow.REFERRED, polsek_np(), voting_morning)
    on(voting_morning + timedelta(minutes=7))
    incidents.acknowledge(actor=polsek, incident=incident, client_id=cid(), note="Bhabinkamtibmas berangkat.")
    incidents.arrive(actor=polsek, incident=incident, client_id=cid())
    on(voting_morning + timedelta(minutes=50))
    done_at = voting_morning + timedelta(minutes=45)
    step, _ = incidents.resolve(
        actor=polsek, incident=incident, client_id=cid(), done="Mediasi; pemilih dapat mencoblos.", done_by="Bripka Made, Polsek Nusa Penida", done_at=done_at
    )
    incident.refresh_from_db()
    assert incident.state == flow.RESOLVED and step.happened_at == done_at and step.done_by == "Bripka Made, Polsek Nusa Penida"
    # The outcome goes back to the PTPS who filed it and to Bawaslu (the notifications hook).
    bawaslu = Agency.objects.get(slug="bawaslu-klungkung")
    assert f"user:{incident.filed_by_id}" in step.tell and f"agency:{bawaslu.pk}" in step.tell
    assert list(incident.steps.values_list("action", flat=True)) == [flow.REFER, flow.ACKNOWLEDGE, flow.ARRIVE, flow.RESOLVE]
    assert AuditEvent.objects.filter(object_type="supervisors.incident", object_id=str(incident.pk)).count() == 4
    # Nothing more is allowed once resolved.
    for action, actor in ((incidents.acknowledge, polsek), (incidents.arrive, polsek)):
        with pytest.raises(flow.TransitionRefused):
            action(actor=actor, incident=incident, client_id=cid())
    with pytest.raises(flow.TransitionRefused):
        incidents.close(actor=panwascam, incident=incident, client_id=cid(), reason="bukan polisi")
    with pytest.raises(flow.TransitionRefused):
        incidents.refer(actor=panwascam, incident=incident, client_id=cid())
    assert incident.steps.count() == 4


@pytest.mark.django_db
def test_refused_transitions_before_their_turn(incident, user_of):
    panwascam, polsek = user_of(personas.PANWASCAM_NUSA_PENIDA), user_of(personas.POLSEK_NUSA_PENIDA)
    # Not referred yet: no police agency is responsible, so the Polsek may not act on it at all.
    with pytest.raises(PermissionDenied):
        incidents.acknowledge(actor=polsek, incident=incident, client_id=cid())
    incidents.refer(actor=panwascam, incident=incident, client_id=cid())
    with pytest.raises(flow.TransitionRefused):
        incidents.arrive(actor=polsek, incident=incident, client_id=cid())  # acknowledge first
    with pytest.raises(flow.TransitionRefused):
        incidents.resolve(actor=polsek, incident=incident, client_id=cid(), done="x", done_by="y")  # nobody got there yet
    with pytest.raises(flow.TransitionRefused):
        incidents.refer(actor=panwascam, incident=incident, client_id=cid())  # already referred
    with pytest.raises(PermissionDenied):
        incidents.refer(actor=polsek, incident=incident, client_id=cid())  # the police do not refer
    incidents.acknowledge(actor=polsek, incident=incident, client_id=cid())
    incidents.arrive(actor=polsek, incident=incident, client_id=cid())
    with pytest.raises(flow.TransitionRefused):
        incidents.close(actor=panwascam, incident=incident, client_id=cid(), reason="bukan ranah polisi")  # the police are on site
    assert Incident.objects.get(pk=incident.pk).state == flow.ON_SITE


@pytest.mark.django_db
@pytest.mark.parametrize("steps_before", [0, 1, 2])
def test_bawaslu_closes_as_not_a_police_matter_until_the_police_are_on_site(incident, user_of, steps_before):
    bawaslu, polsek = user_of(personas.BAWASLU), user_of(personas.POLSEK_NUSA_PENIDA)
    if steps_before >= 1:
        incidents.refer(actor=bawaslu, incident=incident, client_id=cid())
    if steps_before >= 2:
        incidents.acknowledge(actor=polsek, incident=incident, client_id=cid())
    with pytest.raises(ValidationError):
        incidents.close(actor=bawaslu, incident=incident, client_id=cid(), reason="  ")
    step, _ = incidents.close(actor=bawaslu, incident=incident, client_id=cid(), reason="Sengketa administrasi KPPS, bukan pidana.")
    assert Incident.objects.get(pk=incident.pk).state == flow.CLOSED and step.note.startswith("Sengketa")
    assert f"user:{incident.filed_by_id}" in step.tell


@pytest.mark.django_db
def test_a_client_id_makes_a_step_idempotent(incident, user_of):
    panwascam = user_of(personas.PANWASCAM_NUSA_PENIDA)
    client_id = cid()
    first, created = incidents.refer(actor=panwascam, incident=incident, client_id=client_id)
    again, created_again = incidents.refer(actor=panwascam, incident=incident, client_id=client_id)
    assert created and not created_again and first.pk == again.pk
    assert incident.steps.count() == 1 and AuditEvent.objects.filter(action="incident.rujuk", object_id=str(incident.pk)).count() == 1
    # The same id for another step is a conflict, not a silent success.
    with pytest.raises(incidents.IncidentConflict):
        incidents.close(actor=panwascam, incident=incident, client_id=client_id, reason="lain")


@pytest.mark.django_db
def test_referral_only_to_the_polsek_of_the_tps_or_the_polres(incident, user_of, polsek_elsewhere):
    bawaslu = user_of(personas.BAWASLU)
    with pytest.raises(ValidationError):
        incidents.refer(actor=bawaslu, incident=incident, client_id=cid(), agency=polsek_elsewhere.agency)
    step, _ = incidents.refer(actor=bawaslu, incident=incident, client_id=cid(), agency=polres())
    assert step.agency == polres()


@pytest.mark.django_db
def test_the_polsek_covering_another_kecamatan_gets_its_referrals(pemilu, user_of, mainland_incident):
    from sinergi.accounts.models import PolsekCoverage

    kecamatan = mainland_incident.station.village.parent_id
    PolsekCoverage.objects.create(kecamatan_id=kecamatan, polsek=polsek_np())
    step, _ = incidents.refer(actor=user_of(personas.BAWASLU), incident=mainland_incident, client_id=cid())
    assert step.agency == polsek_np()
    incidents.acknowledge(actor=user_of(personas.POLSEK_NUSA_PENIDA), incident=mainland_incident, client_id=cid())


# -- who sees and acts ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_polsek_of_another_kecamatan_neither_sees_nor_acts(incident, user_of, client_of, polsek_elsewhere):
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    url = f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/"
    assert client_of(personas.POLSEK_NUSA_PENIDA).get(url).status_code == 200
    other = client_of(polsek_elsewhere.username)
    assert other.get(url).status_code == 404
    assert other.post(url + "terima/", {"client_id": str(cid())}).status_code == 404
    assert incident.pk not in [row["id"] for row in other.get("/api/v1/incidents?election=pemilu-2024").json()["items"]]
    assert other.post(f"/api/v1/incidents/{incident.pk}/acknowledge", {"client_id": str(cid())}, content_type="application/json").status_code == 404
    with pytest.raises(PermissionDenied):
        incidents.acknowledge(actor=polsek_elsewhere, incident=incident, client_id=cid())
    # Nor does it see the overdue clock in the situation room.
    late = incident.election
    assert incident_clock_alerts(polsek_elsewhere, late, datetime(2024, 2, 14, 12, 0, tzinfo=WITA)) == []
    assert (
        len(
            [
                a
                for a in incident_clock_alerts(user_of(personas.POLSEK_NUSA_PENIDA), late, datetime(2024, 2, 14, 12, 0, tzinfo=WITA))
                if str(incident.station) in a.title
            ]
        )
        == 1
    )


@pytest.mark.django_db
def test_the_police_read_their_areas_incidents_and_act_only_on_those_referred_to_them(incident, client_of, polsek_elsewhere):
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    page = polsek.get(f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/")  # not referred yet, but in its area
    assert page.status_code == 200 and page.context["actions"] == []
    assert incident.pk in [row["id"] for row in polsek.get("/api/v1/incidents?election=pemilu-2024").json()["items"]]
    assert post(polsek, f"/api/v1/incidents/{incident.pk}/acknowledge", {"client_id": str(cid())}).status_code == 403  # not referred to it: not its to answer
    # The Polsek of another kecamatan neither reads nor lists it.
    elsewhere = client_of(polsek_elsewhere.username)
    assert elsewhere.get(f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/").status_code == 404
    assert incident.pk not in [row["id"] for row in elsewhere.get("/api/v1/incidents?election=pemilu-2024").json()["items"]]


@pytest.mark.django_db
def test_a_ptps_sees_the_answer_to_its_own_incident_only(incident, user_of, client_of, pemilu, voting_morning):
    polsek = user_of(personas.POLSEK_NUSA_PENIDA)
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid(), note="catatan internal Bawaslu")
    incidents.acknowledge(actor=polsek, incident=incident, client_id=cid())
    incidents.arrive(actor=polsek, incident=incident, client_id=cid())
    incidents.resolve(actor=polsek, incident=incident, client_id=cid(), done="Mediasi dengan prajuru adat.", done_by="Bhabinkamtibmas Ped")
    ptps = client_of(personas.PTPS_PED)
    app = ptps.get("/lapangan/")
    assert 'data-testid="incident-answers"' in app.text and "Mediasi dengan prajuru adat." in app.text and "Bhabinkamtibmas Ped" in app.text
    page = ptps.get(f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/")
    assert page.status_code == 200 and "Mediasi dengan prajuru adat." in page.text and "catatan internal Bawaslu" not in page.text
    assert page.context["actions"] == []
    # Another incident at the same TPS, filed by someone else, is not the PTPS's.
    other = Incident.objects.create(
        election=pemilu, station=incident.station, client_id=cid(), category="lainnya", severity="rendah", occurred_at=voting_morning, description="lain"
    )
    assert ptps.get(f"/pemilihan/pemilu-2024/kejadian/{other.pk}/").status_code == 404
    assert [row["id"] for row in ptps.get("/api/v1/incidents?election=pemilu-2024").json()["items"]] == [incident.pk]
    assert ptps.post(f"/api/v1/incidents/{other.pk}/close", {"client_id": str(cid()), "reason": "x"}, content_type="application/json").status_code == 404


# -- the API --------------------------------------------------------------------------------------


def post(client, path, body):
    return client.post(path, body, content_type="application/json")


@pytest.mark.django_db
def test_the_api_walks_the_loop_idempotent_with_409_on_a_refused_step(incident, client_of, voting_morning, on):
    bawaslu, polsek = client_of(personas.BAWASLU), client_of(personas.POLSEK_NUSA_PENIDA)
    base = f"/api/v1/incidents/{incident.pk}"
    assert post(polsek, base + "/referrals", {"client_id": str(cid())}).status_code == 403  # the police read it, but do not refer
    refer = {"client_id": str(cid()), "agency": "polsek-nusa-penida", "note": "Segera."}
    first = post(bawaslu, base + "/referrals", refer)
    assert first.status_code == 201 and first.json()["to_state"] == "dirujuk" and first.json()["created"]
    again = post(bawaslu, base + "/referrals", refer)
    assert again.status_code == 200 and not again.json()["created"] and IncidentStep.objects.filter(incident=incident).count() == 1
    assert post(polsek, base + "/referrals", {"client_id": str(cid())}).status_code == 403  # the police do not refer
    refused = post(polsek, base + "/arrival", {"client_id": str(cid())})
    assert refused.status_code == 409 and refused.json()["state"] == "dirujuk"
    assert post(polsek, base + "/acknowledge", {"client_id": str(cid())}).status_code == 201
    assert post(polsek, base + "/arrival", {"client_id": str(cid())}).status_code == 201
    assert post(polsek, base + "/resolution", {"client_id": str(cid()), "done": "", "done_by": "x"}).status_code == 400
    done = post(
        polsek, base + "/resolution", {"client_id": str(cid()), "done": "Massa dibubarkan.", "done_by": "Unit Samapta", "done_at": "2024-02-14T09:00:00+08:00"}
    )
    assert done.status_code == 201 and done.json()["done_by"] == "Unit Samapta"
    assert post(bawaslu, base + "/close", {"client_id": str(cid()), "reason": "x"}).status_code == 409
    rows = bawaslu.get("/api/v1/incidents?election=pemilu-2024&state=selesai").json()["items"]
    assert incident.pk in [r["id"] for r in rows] and all(r["state"] == "selesai" for r in rows)
    detail = bawaslu.get(base).json()
    assert [s["action"] for s in detail["steps"]] == ["rujuk", "terima", "tiba", "selesaikan"] and detail["agency"] == "polsek-nusa-penida"
    assert client_of(personas.KPU).get("/api/v1/incidents?election=pemilu-2024").status_code == 403


@pytest.mark.django_db
def test_the_api_lists_overdue_clocks(incident, client_of, voting_morning, on):
    bawaslu = client_of(personas.BAWASLU)
    assert post(bawaslu, f"/api/v1/incidents/{incident.pk}/referrals", {"client_id": str(cid())}).status_code == 201
    on(voting_morning + timedelta(minutes=20))
    row = next(r for r in bawaslu.get("/api/v1/incidents?election=pemilu-2024&state=dirujuk").json()["items"] if r["id"] == incident.pk)
    assert row["overdue"] == "terima" and row["acknowledge_due"].startswith("2024-02-14")


# -- pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pages_offer_each_viewer_its_actions(incident, client_of, voting_morning, on):
    url = f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/"
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA)
    page = panwascam.get(url)
    assert page.context["actions"] == ["rujuk", "tutup"] and 'data-testid="refer-form"' in page.text
    assert 'data-testid="finding-form"' in page.text  # a violation becomes a finding from here
    client_id = str(cid())
    assert panwascam.post(url + "rujuk/", {"client_id": client_id, "lembaga": polsek_np().pk}).status_code == 302
    assert panwascam.post(url + "rujuk/", {"client_id": client_id, "lembaga": polsek_np().pk}).status_code == 302  # a double submit
    assert incident.steps.count() == 1
    polsek = client_of(personas.POLSEK_NUSA_PENIDA)
    assert polsek.get(url).context["actions"] == ["terima"]
    on(voting_morning + timedelta(minutes=30))
    listing = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/kejadian/?status=dirujuk")
    assert 'data-testid="overdue"' in listing.text and str(incident.station) in listing.text
    refused = polsek.post(url + "tiba/", {"client_id": str(cid())}, follow=True)
    assert "tidak dapat" in refused.text and Incident.objects.get(pk=incident.pk).state == flow.REFERRED
    assert client_of(personas.KPU).get(url).status_code == 403


@pytest.mark.django_db
def test_the_situation_room_shows_every_overdue_clock(incident, user_of, client_of, voting_morning, on):
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    assert not [
        a
        for a in incident_clock_alerts(user_of(personas.BAWASLU), incident.election, voting_morning + timedelta(minutes=5))
        if str(incident.station) in a.title
    ]
    late = voting_morning + timedelta(minutes=20)
    alert = next(a for a in incident_clock_alerts(user_of(personas.BAWASLU), incident.election, late) if str(incident.station) in a.title)
    assert alert.level == "danger" and "belum diterima" in alert.title and alert.at == voting_morning + timedelta(minutes=10)
    assert alert.url == f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/"


@pytest.mark.django_db
def test_the_demo_day_has_the_loop_and_an_escalation(pemilu):
    ped = Incident.objects.get(election=pemilu, station__village_id="51.05.01.2010", station__number=17, severity="tinggi")
    assert ped.state == flow.RESOLVED and ped.agency.slug == "polsek-nusa-penida"
    assert list(ped.steps.values_list("action", flat=True)) == ["rujuk", "terima", "tiba", "selesaikan"]
    escalated = Incident.objects.get(election=pemilu, escalated_at__isnull=False)
    assert escalated.state == flow.REFERRED and escalated.escalated_to.kind == Agency.Kind.POLRES and escalated.severity == "tinggi"
    assert escalated.steps.filter(action=flow.ESCALATE).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("username", [personas.BAWASLU, personas.POLRES, personas.POLSEK_NUSA_PENIDA])
def test_the_demo_day_shows_the_escalated_clock_in_the_situation_room(client_of, pemilu, username):
    room = client_of(username).get(f"/pemilihan/{pemilu.slug}/situasi/terkini/?pada={pemilu.voting_date}T11:00").context["situation"]
    clocks = [a for a in room.alerts if a.source == "Kejadian"]
    assert len(clocks) == 1 and "belum diterima" in clocks[0].title and "Jungutbatu" in clocks[0].title and "Polres" in clocks[0].detail
    assert client_of(username).get(clocks[0].url).status_code == 200


@pytest.mark.django_db
def test_the_coverage_board_links_each_incident_to_its_page(client_of, pemilu):
    board = client_of(personas.BAWASLU).get(f"/pemilihan/{pemilu.slug}/pengawasan/?pada={pemilu.voting_date}T12:00")
    assert 'data-testid="incident-link"' in board.text


@pytest.mark.django_db
def test_a_referral_to_the_polres_escalates_as_a_reminder_to_it_and_bawaslu(incident, user_of, voting_morning):
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid(), agency=polres())
    step = incidents.escalate_one(incident.pk, voting_morning + timedelta(minutes=30))
    bawaslu = Agency.objects.get(slug="bawaslu-klungkung")
    assert step is not None and step.tell == [f"agency:{polres().pk}", f"agency:{bawaslu.pk}"]
    incident.refresh_from_db()
    assert incident.escalated_to is None and incident.agency == polres() and incident.escalated_at == voting_morning + timedelta(minutes=30)


# -- who is told --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_step_notifies_whom_it_tells_once(incident, user_of, voting_morning, on, ptps):
    from sinergi.notifications.models import Notification

    def told(action):
        return set(Notification.objects.filter(source_key=f"incident:{incident.pk}:{action}").values_list("recipient__username", flat=True))

    polsek, bawaslu = user_of(personas.POLSEK_NUSA_PENIDA), user_of(personas.BAWASLU)
    referral = cid()
    incidents.refer(actor=bawaslu, incident=incident, client_id=referral)
    incidents.refer(actor=bawaslu, incident=incident, client_id=referral)  # the same step again: told once
    assert personas.POLSEK_NUSA_PENIDA in told(flow.REFER) and personas.BAWASLU not in told(flow.REFER)
    assert Notification.objects.filter(source_key=f"incident:{incident.pk}:{flow.REFER}", recipient=polsek).count() == 1
    note = Notification.objects.get(source_key=f"incident:{incident.pk}:{flow.REFER}", recipient=polsek)
    assert note.title.startswith("Kejadian dirujuk ke Polsek Nusa Penida") and note.url == f"/pemilihan/pemilu-2024/kejadian/{incident.pk}/"

    assert incidents.escalate_due(voting_morning + timedelta(minutes=11)) == 1
    escalated = told(flow.ESCALATE)
    assert personas.POLRES in escalated and personas.BAWASLU in escalated and personas.POLSEK_NUSA_PENIDA not in escalated

    on(voting_morning + timedelta(minutes=12))
    incidents.acknowledge(actor=polsek, incident=incident, client_id=cid())
    incidents.arrive(actor=polsek, incident=incident, client_id=cid())
    incidents.resolve(actor=polsek, incident=incident, client_id=cid(), done="Massa dibubarkan.", done_by="Kanit Samapta")
    outcome = told(flow.RESOLVE)
    assert {ptps.username, personas.BAWASLU, personas.POLSEK_NUSA_PENIDA, personas.POLRES} <= outcome
    body = Notification.objects.get(source_key=f"incident:{incident.pk}:{flow.RESOLVE}", recipient=ptps).body
    assert "Massa dibubarkan." in body and "Kanit Samapta" in body


@pytest.mark.django_db
def test_a_handled_incident_leaves_what_needs_someone_now(incident, user_of, pemilu, voting_morning):
    from sinergi.supervisors.queries import situation_alerts

    def alert_of():
        return next(a for a in situation_alerts(user_of(personas.BAWASLU), pemilu, voting_morning) if a.url.endswith(f"/kejadian/{incident.pk}/"))

    assert alert_of().level == "danger"  # a serious incident, not yet handled
    polsek = user_of(personas.POLSEK_NUSA_PENIDA)
    incidents.refer(actor=user_of(personas.BAWASLU), incident=incident, client_id=cid())
    incidents.acknowledge(actor=polsek, incident=incident, client_id=cid())
    incidents.arrive(actor=polsek, incident=incident, client_id=cid())
    assert alert_of().level == "danger"  # on site: still being handled
    incidents.resolve(actor=polsek, incident=incident, client_id=cid(), done="Mediasi.", done_by="Kapolsek")
    handled = alert_of()
    assert handled.level == "info" and handled.title.endswith("(selesai)")
