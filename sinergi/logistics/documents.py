"""Logistics documents (A4, Indonesian): the requirements recap, the surat jalan of a convoy, the
berita acara of a handover; QR codes as SVG."""

from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from sinergi.accounts.letterhead import letterhead, letterhead_of
from sinergi.accounts.models import Agency, User
from sinergi.core.pdf import render_pdf
from sinergi.elections.models import Election
from sinergi.logistics.custody import district_of, party_labels
from sinergi.logistics.district_totals import requirements_by_region
from sinergi.logistics.models import KitItem
from sinergi.logistics.requirement_queries import requirement_totals
from sinergi.logistics.stored_plan import Convoy
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.regions.queries import zone_label
from sinergi.risk.documents import issuing_agency
from sinergi.stations.models import Station


def requirements_pdf(user: User, election: Election, within_area: str = "") -> bytes:
    result = requirement_totals(user, election, within_area)
    agency = issuing_agency(Agency.Kind.KPU, within_area or user.area_code)
    names = dict(Region.objects.filter(code__in=list(result.by_village) + list(result.by_kecamatan)).values_list("code", "name"))
    villages_of: dict[str, list] = {}
    for village, totals in result.by_village.items():  # one pass, not one per kecamatan
        villages_of.setdefault(codes.kecamatan_of(village), []).append((village, names.get(village, village), totals))
    kecamatan = [{"code": code, "name": names.get(code, code), "totals": totals, "villages": villages_of.get(code, [])} for code, totals in result.by_kecamatan.items()]
    zone = election.zone_for(within_area or user.area_code)
    context = {
        "election": election,
        "result": result,
        "items": [(item, result.total.items[item.code], result.reserves.get(item.code, 0), result.grand_total(item.code)) for item in result.items],
        "kecamatan": kecamatan,
        # A province or national viewer: one row per district (province) with its own reserves (none when narrowed to one).
        "regions": None if within_area else requirements_by_region(user, election),
        "kop": _kop(agency),
        "agency_name": agency.name if agency else "KPU",
        "place": agency.region.name if agency else "",
        "printed_at": timezone.localtime(timezone=zone),
        "tz_label": zone_label(zone),
    }
    with translation.override("id"):
        return render_pdf("logistics/requirements_document.html", context)


def qr_svg(url: str, scale: int = 3) -> str:
    """A QR code of `url` as an SVG data URI, for pages (nothing is fetched)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)


def qr_png(url: str, scale: int = 6) -> str:
    """A QR code of `url` as a PNG data URI, for printed documents (crisp at A4, embedded)."""
    import segno

    return segno.make(url, error="m").png_data_uri(scale=scale, border=2)


def _kpu(election: Election, district: str) -> Agency | None:
    return Agency.objects.filter(kind=Agency.Kind.KPU, region_id=district).select_related("region__parent").first()


def _kop(agency: Agency | None):
    return letterhead_of(agency) if agency else letterhead(Agency.Kind.KPU, None)


def handover_number(handover) -> str:
    """The berita acara's number, derived from what identifies the handover and nothing else:
    'BAST/PL/51.05.01.2010/TPS-017/K-2/2024' — serah terima (BAST), of a Pemilu (PL) or a Pilkada
    (PB), at the TPS of that village and number, outbound (K, keluar) or return (B, balik), the
    handover's sequence on that consignment, and the year of the voting day. A consignment is one
    per TPS and direction and a sequence one per consignment, so no two handovers share a number;
    the same handover always prints the same number, with no counter to keep and no gaps to explain."""
    consignment = handover.consignment
    election, station = consignment.election, consignment.station
    kind = "PL" if election.kind == "pemilu" else "PB"
    direction = "K" if consignment.direction == "keluar" else "B"
    return f"BAST/{kind}/{station.village_id}/TPS-{station.number:03d}/{direction}-{handover.sequence}/{election.voting_date.year}"


def handover_pdf(handover, url: str) -> bytes:
    """Berita acara serah terima: items and counts, seals, findings, signature blocks, a QR code."""
    consignment = handover.consignment
    election = consignment.election
    names = dict(KitItem.objects.filter(election=election).values_list("code", "name"))
    units = dict(KitItem.objects.filter(election=election).values_list("code", "unit"))
    labels = party_labels({handover.from_party, handover.to_party})
    agency = _kpu(election, district_of(consignment.station))
    tz = election.zone_at(consignment.station.village_id)
    discrepancies = list(handover.discrepancies.all())
    for discrepancy in discrepancies:
        discrepancy.item_label = names.get(discrepancy.item_code, discrepancy.item_code)
    context = {
        "election": election,
        "number": handover_number(handover),
        "kop": _kop(agency),
        # Who signs for KPU, PPK and PPS is staff with a NIP; a KPPS member has none.
        "from_id_label": "-" if handover.from_party.startswith("kpps:") else "NIP",
        "to_id_label": "-" if handover.to_party.startswith("kpps:") else "NIP",
        "handover": handover,
        "consignment": consignment,
        "station": consignment.station,
        "from_label": labels[handover.from_party],
        "to_label": labels[handover.to_party],
        "items": [(names.get(code, code), units.get(code, ""), consignment.contents.get(code), count) for code, count in handover.counts.items()],
        "discrepancies": discrepancies,
        "handed_at": timezone.localtime(handover.handed_at, tz),
        "agency_name": agency.name if agency else "KPU",
        "qr": qr_png(url),
        "printed_at": timezone.localtime(timezone=tz),
        "tz_label": zone_label(tz),
    }
    with translation.override("id"):
        return render_pdf("logistics/handover_document.html", context)


def manifest_pdf(election: Election, plan, convoy: Convoy, consignments: dict, qr: dict, url: str) -> bytes:
    """Surat jalan of one convoy (cut to the viewer's area, `plans.plan_for`): vehicle, escorts,
    crossing, stops in order with the TPS kits, a QR code per consignment (scanned at the handover)
    and one for the convoy; the TPS of other areas it carries only counted, on a line of their own
    after the stops."""
    stations = {s.pk: s for s in Station.objects.filter(pk__in=convoy.station_ids).select_related("village")}
    stops = [
        {
            "arrive": stop.arrive_time, "depart": stop.depart_time, "place": stop.place,
            "stations": [(stations[sid], consignments.get(sid), qr.get(sid)) for sid in stop.station_ids if sid in stations],
        }  # fmt: skip
        for stop in convoy.stops
        if not stop.is_reload
    ]
    if convoy.other_stations:
        stops.append({"arrive": "", "depart": "", "place": f"{convoy.other_stations} TPS lain di luar wilayah Anda (tidak dicantumkan)", "stations": []})
    district = next((codes.district_of(s.village_id) for s in stations.values()), None)
    agency = _kpu(election, district) if district else None
    context = {
        "election": election,
        "plan": plan,
        "convoy": convoy,
        "stops": stops,
        "kop": _kop(agency),
        "agency_name": agency.name if agency else "KPU",
        "place": agency.region.name if agency else "",
        "qr": qr_png(url),
        "printed_at": timezone.localtime(timezone=ZoneInfo(plan.data.get("time_zone", election.time_zone))),
        "tz_label": zone_label(ZoneInfo(plan.data.get("time_zone", election.time_zone))),
    }
    with translation.override("id"):
        return render_pdf("logistics/manifest_document.html", context)
