"""Demo joint monitoring visits to Nusa Penida before voting day, Pemilu 2024 (idempotent).

What is on record: the 16 January 2024 meeting of Bawaslu Klungkung and the Polres agreed that the
TPS of Kecamatan Nusa Penida are monitored before voting day (14 February 2024). The visits
below, their days, teams, TPS and findings are demo text, made through the ordinary services:

- 6 February (within the checklist's collection stage, 3–8 February): Bawaslu, the Panwascam and
  the Polsek visit three TPS of one village across the RoRo crossing (the first TPS that finding
  2.2 turns from kurang rawan into rawan, Desa Ped first, and two of its neighbours); the Bawaslu officer records the findings,
  applied at once; at one TPS the team learns of intimidation of the polling staff (indicator 2.2, severe), which
  raises its suggested class to "rawan": the police class awaits the police.
- 10 February (after the stage): the Polsek records what it found at two TPS; the findings wait
  for Bawaslu's district staff to apply them.
- 12 February: a planned visit, not yet made.
- 9 February: a visit cancelled for high waves.
"""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sinergi.accounts.models import Agency, User
from sinergi.elections.models import Election
from sinergi.risk import classify
from sinergi.risk.models import Indicator
from sinergi.risk.queries import class_rule_for, present_codes
from sinergi.stations.models import Station
from sinergi.visits import services
from sinergi.visits.models import Visit

NUSA_PENIDA = "51.05.01"
PED = "51.05.01.2010"
SEVERE_FOUND = "2.2"
TEAM_6 = "I Made Demo, anggota Bawaslu Kabupaten Klungkung\nNi Luh Demo, Panwascam Nusa Penida\nIPTU Demo, Kapolsek Nusa Penida\nBRIPKA Demo, Bhabinkamtibmas"
TEAM_POLSEK = "IPTU Demo, Kapolsek Nusa Penida\nNi Luh Demo, Panwascam Nusa Penida"


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 140, 90)).save(buffer, format="JPEG")
    return SimpleUploadedFile("foto-kunjungan.jpg", buffer.getvalue(), content_type="image/jpeg")


def _roro_stations(election: Election) -> list[Station]:
    return list(
        Station.objects.filter(election=election, village__parent_id=NUSA_PENIDA, access=Station.Access.SEA)
        .exclude(village__name__in=["Jungutbatu", "Lembongan"])
        .select_related("village")
        .order_by("village_id", "number")
    )


def seed(election: Election) -> int:
    """The visits; returns how many were made (0 when they exist or the election is not Pemilu 2024)."""
    if election.slug != "pemilu-2024" or Visit.objects.filter(election=election, region_id=NUSA_PENIDA).exists():
        return 0
    agencies = {a.kind: a for a in Agency.objects.filter(slug__in=["bawaslu-klungkung", "panwascam-nusa-penida", "polsek-nusa-penida", "polres-klungkung"])}
    users = {u.username: u for u in User.objects.filter(username__in=["bawaslu", "polsek-nusapenida", "panwascam-nusapenida"])}
    if len(agencies) < 4 or len(users) < 3:
        return 0
    stations = _roro_stations(election)
    raised = _one_to_raise(election, stations)
    first = [s for s in stations if s.village_id == raised.village_id and s.pk != raised.pk][:2]
    team = [agencies[Agency.Kind.BAWASLU].pk, agencies[Agency.Kind.PANWASCAM].pk, agencies[Agency.Kind.POLSEK].pk]
    visit = services.plan_visit(
        actor=users["bawaslu"],
        election=election,
        day=date(2024, 2, 6),
        station_ids=[first[0].pk, raised.pk, first[1].pk],
        agency_ids=team,
        team=TEAM_6,
        purpose="Pemantauan TPS Nusa Penida sebelum hari pemungutan suara (kesepakatan rapat 16 Januari 2024). [Demo]",
        today=date(2024, 2, 5),
    )
    for stop in visit.stops.select_related("station", "visit__election", "visit__region"):
        current = {code: (True, "") for code in _present(stop.station)}
        note = "Akses jalan baik; KPPS sudah dibentuk. [Demo]"
        photo, photo_code = None, ""
        if stop.station_id == raised.pk:
            current[SEVERE_FOUND] = (True, "Ketua KPPS melaporkan ancaman terhadap petugas pada pemilihan sebelumnya. [Demo]")
            note = "Tim menerima laporan intimidasi terhadap penyelenggara di TPS ini; Polsek meningkatkan patroli. [Demo]"
            photo, photo_code = _photo(), SEVERE_FOUND
        services.record_findings(actor=users["bawaslu"], stop=stop, findings=current, note=note, photo=photo, photo_code=photo_code, today=date(2024, 2, 6))
    visit.refresh_from_db()
    services.complete_visit(
        actor=users["bawaslu"],
        visit=visit,
        summary="Satu TPS naik menjadi rawan (riwayat intimidasi terhadap penyelenggara); kelasnya menunggu konfirmasi Polres/Polsek. [Demo]",
    )
    # 10 February: the Polsek records; outside the stage its findings wait for Bawaslu.
    others = [s for s in stations if s.village_id != raised.village_id]
    later = services.plan_visit(
        actor=users["polsek-nusapenida"],
        election=election,
        day=date(2024, 2, 10),
        station_ids=[others[0].pk, others[1].pk],
        agency_ids=[agencies[Agency.Kind.PANWASCAM].pk, agencies[Agency.Kind.POLSEK].pk],
        team=TEAM_POLSEK,
        purpose="Pemantauan lanjutan. [Demo]",
        today=date(2024, 2, 8),
    )
    stop = later.stops.select_related("station", "visit__election", "visit__region").first()
    findings = {code: (True, "") for code in _present(stop.station)} | {"6.4": (True, "Jalan rusak setelah hujan. [Demo]")}
    services.record_findings(actor=users["polsek-nusapenida"], stop=stop, findings=findings, note="Jalan menuju TPS rusak. [Demo]", today=date(2024, 2, 10))
    services.plan_visit(
        actor=users["panwascam-nusapenida"],
        election=election,
        day=date(2024, 2, 12),
        station_ids=[others[2].pk, others[3].pk, others[4].pk],
        agency_ids=[agencies[Agency.Kind.PANWASCAM].pk, agencies[Agency.Kind.POLSEK].pk],
        team=TEAM_POLSEK,
        purpose="Pemantauan masa tenang. [Demo]",
        today=date(2024, 2, 8),
    )
    cancelled = services.plan_visit(
        actor=users["polsek-nusapenida"],
        election=election,
        day=date(2024, 2, 9),
        station_ids=[others[5].pk],
        agency_ids=[agencies[Agency.Kind.PANWASCAM].pk, agencies[Agency.Kind.POLSEK].pk],
        team=TEAM_POLSEK,
        today=date(2024, 2, 8),
    )
    services.cancel_visit(actor=users["polsek-nusapenida"], visit=cancelled, reason="Gelombang tinggi; penyeberangan tidak aman. [Demo]")
    return 4


def _one_to_raise(election: Election, stations: list[Station]) -> Station:
    """The first TPS (Desa Ped first) that the finding of 2.2 turns from kurang rawan into rawan."""
    rule = class_rule_for(election)
    variable_of = dict(Indicator.objects.filter(election=election).values_list("code", "variable__number"))
    present = present_codes(Station.objects.filter(pk__in=[s.pk for s in stations]))

    def level(station: Station, codes: set[str]) -> str:
        return classify.suggest(codes, variable_of, special_location=station.is_special_location, rule=rule).level

    candidates = [
        s
        for s in stations
        if level(s, present.get(s.pk, set())) == classify.KURANG_RAWAN and level(s, present.get(s.pk, set()) | {SEVERE_FOUND}) == classify.RAWAN
    ]
    return next((s for s in candidates if s.village_id == PED), candidates[0])


def _present(station: Station) -> set[str]:
    return set(station.risk_answers.filter(present=True).values_list("indicator__code", flat=True))
