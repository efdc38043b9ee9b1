"""The demo's incidents handed to the police (docs/incidents.md), on voting day in Klungkung (14 Feb
2024, WITA): the adat case at Ped TPS 17 referred by the Panwascam to Polsek Nusa Penida,
acknowledged, reached and resolved; and vote buying reported at a Jungutbatu TPS (across the boat
crossing to Nusa Lembongan) referred by Bawaslu, never acknowledged, escalated to Polres Klungkung
when its clock ran out. Written as the services would have written them at those moments, with one
audit event for the lot (as the demo's reports are)."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction

from sinergi.accounts.models import User
from sinergi.audit.services import Change, record
from sinergi.elections.models import Election
from sinergi.stations.models import Station
from sinergi.supervisors import incident_flow as flow
from sinergi.supervisors.incidents import bawaslu_for, polres_for, polsek_for
from sinergi.supervisors.models import Incident, IncidentStep, Report
from sinergi.supervisors.response_timers import crossing_minutes, timers_of

PED = ("51.05.01.2010", 17)
JUNGUTBATU = "51.05.01.2013"


def seed(election: Election) -> int:
    """Returns how many incidents it handled (0 when already done, or not the Pemilu demo)."""
    if election.slug != "pemilu-2024" or IncidentStep.objects.filter(incident__election=election).exists():
        return 0
    tz = ZoneInfo(election.time_zone)
    day = election.voting_date

    def at(hour: int, minute: int) -> datetime:
        return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)

    users = {u.username: u for u in User.objects.filter(username__in=["bawaslu", "panwascam-nusapenida", "polsek-nusapenida"]).select_related("agency")}
    ped = (
        Incident.objects.filter(election=election, station__village_id=PED[0], station__number=PED[1], severity="tinggi")
        .select_related("station__village")
        .first()
    )
    lembongan = Station.objects.filter(election=election, village_id=JUNGUTBATU).select_related("village").order_by("number").first()
    if ped is None or lembongan is None or len(users) < 3:
        return 0
    timers = timers_of(election)
    polsek, polres = polsek_for(ped.station), polres_for(ped.station.village_id)
    bawaslu = bawaslu_for(ped.station.village_id)
    if polsek is None or polres is None or bawaslu is None:
        return 0
    with transaction.atomic():
        # Ped TPS 17: the whole loop, in 55 minutes.
        referred = at(9, 20)
        ack_due, arrive_due = flow.due_times(referred, timers["tinggi"], crossing_minutes(ped.station))
        steps = [
            (flow.REFER, flow.NEW, flow.REFERRED, referred, users["panwascam-nusapenida"], polsek, "Warga banjar menghalangi pemilih; mohon pengamanan segera.", "", [f"agency:{polsek.pk}"]),
            (flow.ACKNOWLEDGE, flow.REFERRED, flow.ACKNOWLEDGED, at(9, 27), users["polsek-nusapenida"], polsek, "Bhabinkamtibmas Desa Ped dan dua personel berangkat.", "", []),
            (flow.ARRIVE, flow.ACKNOWLEDGED, flow.ON_SITE, at(9, 45), users["polsek-nusapenida"], polsek, "", "", []),
            (
                flow.RESOLVE, flow.ON_SITE, flow.RESOLVED, at(10, 10), users["polsek-nusapenida"], polsek,
                "Mediasi bersama prajuru desa adat dan PKD; ke-17 pemilih dapat memberikan suara, pemungutan suara berjalan tertib.",
                "Bhabinkamtibmas Desa Ped dan 2 personel Polsek Nusa Penida",
                [*([f"user:{ped.filed_by_id}"] if ped.filed_by_id else []), f"agency:{bawaslu.pk}", f"agency:{polsek.pk}"],
            ),
        ]  # fmt: skip
        for action, before, after, when, actor, agency, note, done_by, tell in steps:
            IncidentStep.objects.create(
                incident=ped, action=action, from_state=before, to_state=after, at=when, happened_at=when, actor=actor, agency=agency, note=note,
                done_by=done_by, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo/{ped.pk}/{action}"), tell=tell,
            )  # fmt: skip
        Incident.objects.filter(pk=ped.pk).update(state=flow.RESOLVED, agency=polsek, referred_at=referred, acknowledge_due=ack_due, arrival_due=arrive_due)
        # Jungutbatu: referred, never acknowledged, escalated when the 15 minutes ran out.
        filed = Incident.objects.create(
            election=election, station=lembongan, client_id=uuid.uuid5(uuid.NAMESPACE_URL, "sinergi-demo/jungutbatu"), category=Incident.Category.VOTE_BUYING,
            severity=Incident.Severity.HIGH, occurred_at=at(10, 20), via=Report.Via.APP, audited=True,
            description="Tim sukses membagikan amplop kepada pemilih yang antre di dekat TPS; PTPS sudah menegur, pembagian berlanjut.",
        )  # fmt: skip
        referred = at(10, 25)
        ack_due, arrive_due = flow.due_times(referred, timers["tinggi"], crossing_minutes(lembongan))
        IncidentStep.objects.create(
            incident=filed, action=flow.REFER, from_state=flow.NEW, to_state=flow.REFERRED, at=referred, happened_at=referred, actor=users["bawaslu"], agency=polsek,
            note="Dugaan politik uang di sekitar TPS; mohon segera ke lokasi.", client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo/{filed.pk}/rujuk"), tell=[f"agency:{polsek.pk}"],
        )  # fmt: skip
        IncidentStep.objects.create(
            incident=filed, action=flow.ESCALATE, from_state=flow.REFERRED, to_state=flow.REFERRED, at=ack_due, happened_at=ack_due, agency=polres,
            note="Batas waktu lewat: belum diterima.", tell=[f"agency:{polres.pk}", f"agency:{bawaslu.pk}"],
        )  # fmt: skip
        Incident.objects.filter(pk=filed.pk).update(
            state=flow.REFERRED, agency=polsek, escalated_to=polres, referred_at=referred, acknowledge_due=ack_due, arrival_due=arrive_due, escalated_at=ack_due
        )
        record(
            actor=None,
            changes=[Change("incident.demo", "elections.election", str(election.pk), election.name, election.slug, {"kejadian_ditangani": [None, 2]})],
        )
    return 2
