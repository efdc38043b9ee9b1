"""Writes of election logistics: the kit of an election and the reserves a district holds."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import User
from sinergi.accounts.permissions import Perm, require
from sinergi.audit.services import Change, diff, record
from sinergi.elections.models import Election
from sinergi.logistics.models import KitItem, Reserve
from sinergi.logistics.presets import standard_kit
from sinergi.regions import codes
from sinergi.regions.codes import is_within
from sinergi.regions.models import Region


def install_kit(*, actor: User | None, election: Election) -> int:
    """Store the standard kit for the election (idempotent); returns how many items changed."""
    if actor is not None:
        require(actor, Perm.MANAGE_ELECTIONS)
    with transaction.atomic(durable=True):
        changes = store_kit(election)
        record(actor=actor, changes=changes)
    return len(changes)


def store_kit(election: Election) -> list[Change]:
    """Write the standard kit of the election's ballot types inside the caller's transaction; the
    audit changes, for the caller to record."""
    changes = []
    for row in standard_kit(election):
        wanted = {k: row[k] for k in ("name", "unit", "basis", "quantity", "order")} | {"ballot_type": row["ballot_type"].pk if row["ballot_type"] else None}
        item = KitItem.objects.filter(election=election, code=row["code"]).first()
        before = {k: getattr(item, k) for k in ("name", "unit", "basis", "quantity", "order")} | {"ballot_type": item.ballot_type_id} if item else {}
        if before == wanted:
            continue
        values = {k: v for k, v in wanted.items() if k != "ballot_type"} | {"ballot_type_id": wanted["ballot_type"]}
        item, _ = KitItem.objects.update_or_create(election=election, code=row["code"], defaults=values)
        changes.append(Change("kit_item.save", "logistics.kititem", item.pk, item.name, election.slug, diff(before, wanted)))
    return changes


def set_reserve(*, actor: User | None, election: Election, region: Region, item_code: str, quantity: int) -> Reserve | None:
    """The quantity of the kit item `item_code` the district `region` holds back; 0 removes it.
    The election's standard kit is stored first if it is not yet (by the system)."""
    if actor is not None:
        require(actor, Perm.MANAGE_LOGISTICS)
        if actor.area_code is not None and not is_within(region.code, actor.area_code):
            raise PermissionDenied("Kabupaten/kota ini di luar wilayah Anda.")
    if region.level != codes.DISTRICT:
        raise ValidationError(f"Cadangan disimpan di kabupaten/kota, bukan di {region.get_level_display()} {region.name}.")
    if not KitItem.objects.filter(election=election).exists():
        install_kit(actor=None, election=election)
    item = KitItem.objects.filter(election=election, code=item_code).first()
    if item is None:
        raise ValidationError(f"Barang '{item_code}' bukan bagian dari perlengkapan {election.name}.")
    if quantity < 0:
        raise ValidationError("Jumlah cadangan tidak boleh negatif.")
    with transaction.atomic(durable=True):
        row = Reserve.objects.select_for_update().filter(election=election, region=region, item=item).first()
        before = row.quantity if row else 0
        if before == quantity:
            return row
        if quantity == 0:
            row.delete()
            row = None
        else:
            row, _ = Reserve.objects.update_or_create(
                election=election, region=region, item=item, defaults={"quantity": quantity, "set_by": actor, "set_at": timezone.now()}
            )
        record(actor=actor, changes=[Change("reserve.save", "logistics.reserve", item.pk, f"{item.name} — {region.name}", election.slug, {"jumlah": [before, quantity]}, region.code)])
    return row
