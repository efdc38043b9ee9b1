"""The chain of custody: consignments, their states, and every handover (berita acara).

Parties are written `kind:code`: `kpu:51.05` (the district KPU), `ppk:51.05.01` (the kecamatan
committee), `pps:51.05.01.2010` (the village committee), `kpps:<station id>` (the TPS). Out:
KPU → PPK → PPS → KPPS, the PPK may be skipped (Klungkung sent Nusa Penida's kits straight to the
villages). Back, after the count: KPPS → PPS → PPK (may be skipped) → KPU.

States: planned (at the KPU) → dispatched (loaded, counts and seals fixed) → held by a party →
delivered to the KPPS; back: held → returned to the KPU. Refused, with the reason, as a
`CustodyConflict` (the API answers 409): a handover from a party that does not hold the
consignment, to a party that is not next in the chain, with counts above what was dispatched, or
of a consignment already delivered (or returned). A count below what the giver held is recorded as
a shortfall, above it as an excess; damage and ballots of another electoral district are recorded
when reported. Every discrepancy is an alert Bawaslu sees.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, record
from sinergi.core.uploads import checked_photo
from sinergi.elections.models import Election
from sinergi.logistics.models import Consignment, Discrepancy, Handover
from sinergi.logistics.requirement_queries import requirements_for
from sinergi.regions import codes
from sinergi.regions.models import Region
from sinergi.stations.models import Station
from sinergi.stations.queries import stations_visible_to

QR_SALT = "sinergi.logistics.qr"
ORDER_OUT = ("kpu", "ppk", "pps", "kpps")


class CustodyConflict(Exception):
    """A handover the chain refuses (the API's 409)."""


def district_of(station: Station) -> str:
    return codes.district_of(station.village_id)


def parties_of(station: Station) -> dict[str, str]:
    return {
        "kpu": f"kpu:{district_of(station)}",
        "ppk": f"ppk:{station.village.parent_id}",
        "pps": f"pps:{station.village_id}",
        "kpps": f"kpps:{station.pk}",
    }


def party_label(party: str, names: dict[str, str] | None = None) -> str:
    """'KPU Klungkung', 'PPK Nusa Penida', 'PPS Ped', 'KPPS TPS 017 Ped'."""
    kind, _, code = party.partition(":")
    if kind == "kpps":
        station = Station.objects.filter(pk=code).select_related("village").first()
        return f"KPPS {station}" if station else party
    name = (names or {}).get(code) or Region.objects.filter(code=code).values_list("name", flat=True).first() or code
    return f"{kind.upper()} {name}"


def party_labels(parties: set[str]) -> dict[str, str]:
    """Labels of many parties in two queries (for lists)."""
    codes = {p.partition(":")[2] for p in parties if not p.startswith("kpps:")}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    stations = {str(s.pk): s for s in Station.objects.filter(pk__in=[p.partition(":")[2] for p in parties if p.startswith("kpps:")]).select_related("village")}
    labels = {}
    for party in parties:
        kind, _, code = party.partition(":")
        labels[party] = f"KPPS {stations[code]}" if kind == "kpps" and code in stations else f"{kind.upper()} {names.get(code, code)}"
    return labels


def next_parties(consignment: Consignment) -> list[str]:
    """Who may receive the consignment from its holder."""
    parties = parties_of(consignment.station)
    order = ORDER_OUT if consignment.direction == Consignment.Direction.OUT else tuple(reversed(ORDER_OUT))
    kind = consignment.holder.partition(":")[0]
    if kind not in order or consignment.holder != parties[kind]:
        return []
    later = order[order.index(kind) + 1 :]
    # The next committee, or the one after it when the kecamatan store is skipped.
    allowed = [parties[k] for k in later[:1]]
    if later[:1] == ("ppk",) and len(later) > 1:
        allowed.append(parties[later[1]])
    return allowed


def token_for(kind: str, pk) -> str:
    """A signed, unguessable reference for a QR code: it names the record, but only an
    authorised user who opens it sees anything."""
    return signing.dumps({kind: pk}, salt=QR_SALT, compress=True)


def resolve_token(token: str) -> tuple[str, object]:
    try:
        data = signing.loads(token, salt=QR_SALT)
    except signing.BadSignature as error:
        raise PermissionDenied("Kode QR tidak sah.") from error
    (kind, pk), = data.items()
    return kind, pk


def _check_area(actor: User | None, station: Station) -> None:
    if actor is not None and not stations_visible_to(actor, station.election).filter(pk=station.pk).exists():
        raise PermissionDenied("TPS ini di luar wilayah Anda.")


def create_consignments(*, actor: User | None, election: Election) -> int:
    """One outbound consignment per TPS (the user's area), holding its kit as required; idempotent."""
    if actor is not None:
        require(actor, Perm.MANAGE_LOGISTICS)
    viewer = actor or User(is_superuser=True, is_active=True)
    needs = requirements_for(viewer, election).per_station
    existing = set(Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT).values_list("station_id", flat=True))
    stations = (stations_visible_to(actor, election) if actor else Station.objects.filter(election=election)).exclude(pk__in=existing)
    rows = [
        Consignment(election=election, station=s, direction=Consignment.Direction.OUT, holder=f"kpu:{codes.district_of(s.village_id)}", contents=needs[s.pk])
        for s in stations
        if s.pk in needs
    ]
    with transaction.atomic(durable=True):
        Consignment.objects.bulk_create(rows, batch_size=1000)
        if rows:
            record(actor=actor, changes=[Change("consignment.create", "elections.election", election.pk, election.name, election.slug, {"konsinyasi": [None, len(rows)]}, actor.area_code if actor else None)])
    return len(rows)


def dispatch(*, actor: User | None, consignment: Consignment, seals: list[str], at: datetime | None = None) -> Consignment:
    """The KPU loads the kit: seals recorded, the consignment leaves the warehouse."""
    if actor is not None:
        require(actor, Perm.MANAGE_LOGISTICS)
    _check_area(actor, consignment.station)
    with transaction.atomic(durable=True):
        c = Consignment.objects.select_for_update().get(pk=consignment.pk)
        if c.direction != Consignment.Direction.OUT or c.state != Consignment.State.PLANNED:
            raise CustodyConflict(f"Konsinyasi {c.station} sudah {c.get_state_display().lower()}: tidak dapat dikirim lagi.")
        c.state, c.seals, c.dispatched_at = Consignment.State.DISPATCHED, [s.strip() for s in seals if s.strip()], at or timezone.now()
        c.save(update_fields=["state", "seals", "dispatched_at", "updated_at"])
        record(actor=actor, changes=[Change("consignment.dispatch", "logistics.consignment", c.pk, str(c.station), c.election.slug, {"status": ["direncanakan", "dikirim"], "segel": [None, c.seals]}, c.station.village_id)])
    return c


@dataclass
class Reported:
    kind: str  # Discrepancy.Kind: rusak, dapil_lain (kurang and lebih are found from the counts)
    item_code: str
    quantity: int
    note: str = ""


def record_handover(
    *,
    actor: User | None,
    consignment: Consignment,
    from_party: str,
    to_party: str,
    place: str,
    giver_name: str,
    receiver_name: str,
    counts: dict[str, int] | None = None,
    seals: list[str] | None = None,
    handed_at: datetime | None = None,
    witness_bawaslu: str = "",
    witness_police: str = "",
    reported: list[Reported] | None = None,
    photo: File | None = None,
    via: str = Handover.Via.WEB,
) -> Handover:
    """Record one handover, all or nothing. Counts not given are those the giver held."""
    if actor is not None:
        require(actor, Perm.MANAGE_LOGISTICS)
    _check_area(actor, consignment.station)
    for field, value in (("tempat", place), ("nama yang menyerahkan", giver_name), ("nama yang menerima", receiver_name)):
        if not value or not value.strip():
            raise ValidationError(f"Isi {field}.")
    photo = checked_photo(photo) if photo is not None else None  # decoded whole; named by its detected type
    with transaction.atomic(durable=True):
        c = Consignment.objects.select_for_update().select_related("station__village").get(pk=consignment.pk)
        label = str(c.station)
        if c.state == Consignment.State.DELIVERED:
            delivered = c.handovers.order_by("-sequence").first()
            raise CustodyConflict(f"Konsinyasi {label} sudah diterima KPPS pada {timezone.localtime(delivered.handed_at):%d-%m-%Y %H.%M}: tidak dapat diserahkan lagi.")
        if c.state == Consignment.State.RETURNED:
            raise CustodyConflict(f"Konsinyasi {label} sudah kembali di KPU.")
        if c.state == Consignment.State.PLANNED:
            raise CustodyConflict(f"Konsinyasi {label} belum dikirim dari gudang KPU: catat pengiriman (segel dan muatan) lebih dulu.")
        if from_party != c.holder:
            raise CustodyConflict(f"{party_label(from_party)} tidak memegang konsinyasi {label}: yang memegang adalah {party_label(c.holder)}.")
        allowed = next_parties(c)
        if to_party not in allowed:
            raise CustodyConflict(f"{party_label(to_party)} bukan penerima berikutnya untuk {label}. Yang dapat menerima: {', '.join(party_label(p) for p in allowed)}.")
        last = c.handovers.order_by("-sequence").first()
        held = dict(last.counts) if last else dict(c.contents)
        counts = {**held, **(counts or {})}
        unknown = sorted(set(counts) - set(c.contents))
        if unknown:
            raise ValidationError(f"Barang tidak dikenal untuk konsinyasi ini: {', '.join(unknown)}.")
        for item, count in counts.items():
            if not isinstance(count, int) or count < 0:
                raise ValidationError(f"Jumlah {item} harus bilangan bulat 0 atau lebih.")
            if count > c.contents[item]:
                raise CustodyConflict(f"Jumlah {item} ({count}) melebihi yang dikirim ({c.contents[item]}) untuk {label}.")
        handover = Handover.objects.create(
            consignment=c,
            sequence=(last.sequence + 1) if last else 1,
            from_party=from_party,
            to_party=to_party,
            place=place.strip(),
            handed_at=handed_at or timezone.now(),
            counts=counts,
            seals=[s.strip() for s in (seals if seals is not None else c.seals) if s.strip()],
            giver_name=giver_name.strip(),
            receiver_name=receiver_name.strip(),
            witness_bawaslu=witness_bawaslu.strip(),
            witness_police=witness_police.strip(),
            via=via,
            recorded_by=actor,
        )
        if photo is not None:
            handover.photo.save(f"serah-terima-{handover.pk}.{photo.name.rsplit('.', 1)[-1].lower()}", photo, save=True)
        found = []
        for item, count in sorted(counts.items()):
            if count < held.get(item, 0):
                found.append(Discrepancy(handover=handover, kind=Discrepancy.Kind.SHORT, item_code=item, quantity=held[item] - count))
            elif count > held.get(item, 0):
                found.append(Discrepancy(handover=handover, kind=Discrepancy.Kind.EXCESS, item_code=item, quantity=count - held[item]))
        for entry in reported or []:
            if entry.item_code not in c.contents:
                raise ValidationError(f"Barang tidak dikenal untuk konsinyasi ini: {entry.item_code}.")
            if entry.kind not in Discrepancy.Kind.values or entry.quantity < 1:
                raise ValidationError("Catat temuan dengan jenis yang dikenal dan jumlah paling sedikit 1.")
            found.append(Discrepancy(handover=handover, kind=entry.kind, item_code=entry.item_code, quantity=entry.quantity, note=entry.note.strip()[:300]))
        Discrepancy.objects.bulk_create(found)
        before = c.state
        kind = to_party.partition(":")[0]
        if c.direction == Consignment.Direction.OUT and kind == "kpps":
            c.state = Consignment.State.DELIVERED
        elif c.direction == Consignment.Direction.BACK and kind == "kpu":
            c.state = Consignment.State.RETURNED
        else:
            c.state = Consignment.State.HELD
        c.holder = to_party
        c.save(update_fields=["state", "holder", "updated_at"])
        changes = {"status": [before, c.state], "dari": [None, from_party], "kepada": [None, to_party], "jumlah": [None, counts]}
        if found:
            changes["temuan"] = [None, [f"{d.kind} {d.item_code} {d.quantity}" for d in found]]
        record(actor=actor, changes=[Change("handover.record", "logistics.consignment", c.pk, label, c.election.slug, changes, c.station.village_id)])
    return handover


def start_return(*, actor: User | None, election: Election) -> int:
    """After the count: a return consignment for every TPS whose kit was delivered, held by its KPPS."""
    if actor is not None:
        require(actor, Perm.MANAGE_LOGISTICS)
    delivered = Consignment.objects.filter(election=election, direction=Consignment.Direction.OUT, state=Consignment.State.DELIVERED)
    if actor is not None:
        delivered = delivered.filter(station__in=stations_visible_to(actor, election).values("pk"))
    existing = set(Consignment.objects.filter(election=election, direction=Consignment.Direction.BACK).values_list("station_id", flat=True))
    rows = []
    for out in delivered.exclude(station_id__in=existing).prefetch_related("handovers"):
        last = max(out.handovers.all(), key=lambda h: h.sequence)
        rows.append(
            Consignment(election=election, station_id=out.station_id, direction=Consignment.Direction.BACK, state=Consignment.State.HELD, holder=f"kpps:{out.station_id}", contents=last.counts, seals=[])
        )
    with transaction.atomic(durable=True):
        Consignment.objects.bulk_create(rows, batch_size=1000)
        if rows:
            record(actor=actor, changes=[Change("consignment.return", "elections.election", election.pk, election.name, election.slug, {"konsinyasi_kembali": [None, len(rows)]}, actor.area_code if actor else None)])
    return len(rows)
