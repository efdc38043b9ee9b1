"""Who may see and change a district's distribution network (issue 14, item 6; issue 16): other
agencies, a kecamatan-narrowed KPU officer and another district's KPU see and change nothing; two
officers saving at once keep both rows."""


import pytest
from django.db import connection

from sinergi.audit.models import AuditEvent
from sinergi.logistics.models import Crossing, CrossingClosure, DistributionPlan, Place, VehicleGroup
from sinergi.logistics.network import export_network
from sinergi.stations.demo import CROSSING_RORO
from tests import personas
from tests.logistics.network_pages import BASE, KPU_BADUNG, KPU_NUSA_PENIDA, PLACE, RULES, VEHICLE, upload

pytestmark = pytest.mark.usefixtures("other_kpus")


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("username", [personas.BAWASLU, personas.POLRES, personas.POLSEK_NUSA_PENIDA, personas.PANWASCAM_NUSA_PENIDA, KPU_NUSA_PENIDA, KPU_BADUNG])
def test_other_agencies_areas_and_districts_neither_see_nor_change_the_network(client_of, pemilu, username):
    client = client_of(username)
    before, events = export_network(pemilu), AuditEvent.objects.count()
    place = Place.objects.get(election=pemilu, key="jungutbatu")
    crossing = Crossing.objects.get(election=pemilu, name=CROSSING_RORO)
    group = VehicleGroup.objects.get(election=pemilu, name="Truk")
    for url in (BASE, BASE + "jaringan.json", BASE + "tempat/baru/", BASE + f"tempat/{place.pk}/", BASE + f"penyeberangan/{crossing.pk}/hapus/", BASE + "aturan/", BASE + "pengawalan/"):
        assert client.get(url).status_code == 403, url
    posts = [
        (BASE + "tempat/baru/", PLACE),
        (BASE + f"tempat/{place.pk}/", {**PLACE, "kode": "jungutbatu"}),
        (BASE + f"penyeberangan/{crossing.pk}/hapus/", {}),
        (BASE + f"kendaraan/{group.pk}/", {**VEHICLE, "nama": "Truk"}),
        (BASE + "kendaraan/baru/", VEHICLE),
        (BASE + "aturan/", RULES),
        (BASE + "pengawalan/", {"tim_kawal_darat": "99", "tim_polair": "9"}),
        (BASE, {"import": "1", "file": upload(before)}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert export_network(pemilu) == before and AuditEvent.objects.count() == events
    # Nor is the link on the distribution page offered to them.
    page = client.get("/pemilihan/pemilu-2024/logistik/distribusi/")
    assert 'data-testid="network-link"' not in page.content.decode()


def test_the_load_service_refuses_another_districts_kpu(user_of, pemilu):
    from django.core.exceptions import PermissionDenied

    from sinergi.logistics.network import load_network, save_rules

    with pytest.raises(PermissionDenied):
        load_network(actor=user_of(KPU_BADUNG), election=pemilu, document=export_network(pemilu))
    with pytest.raises(PermissionDenied):
        save_rules(actor=user_of(KPU_BADUNG), election=pemilu, rules={"tim_polair": 9})


def test_an_unknown_row_is_not_found(kpu, pemilu):
    other = Place.objects.get(election=pemilu, key="kusamba")
    assert kpu.get(BASE.replace("pemilu-2024", "pilkada-2024") + f"tempat/{other.pk}/").status_code == 404
    assert kpu.get(BASE + "tempat/999999/").status_code == 404



@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_two_officers_saving_at_once_keep_both_rows(committed, user_of):
    """A save rewrites the network from one document: without the lock on the election row, the
    second of two simultaneous saves would remove the first one's new place."""
    import threading

    from django.db import connections

    from sinergi.elections.models import Election
    from sinergi.logistics.network import save_row

    election, officer = Election.objects.get(slug="pemilu-2024"), user_of(personas.KPU)
    start, errors = threading.Barrier(2), []

    def add(n: int):
        try:
            start.wait()
            row = {"kode": f"gudang-ppk-{n}", "nama": f"Gudang PPK {n}", "jenis": "gudang_ppk", "lintang": -8.6, "bujur": 115.5, "perkiraan": True}
            save_row(actor=officer, election=election, section="tempat", original=None, row=row)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert set(Place.objects.filter(election=election, key__startswith="gudang-ppk-").values_list("key", flat=True)) == {"gudang-ppk-1", "gudang-ppk-2"}
    assert AuditEvent.objects.filter(action="network.place.create").count() == 2


def test_another_districts_kpu_cannot_replan_close_crossings_or_import_travel_times(user_of, pemilu):
    """The plan is the whole network's: a KPU of another district re-planning would store a plan of
    none of the TPS over Klungkung's (found when the network page was built)."""
    from datetime import timedelta

    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from sinergi.core.tabular import read_table
    from sinergi.logistics.models import Crossing
    from sinergi.logistics.plans import close_crossing, import_travel_times, make_plan, reopen_crossing

    plans = DistributionPlan.objects.filter(election=pemilu).count()
    crossing = Crossing.objects.filter(election=pemilu).first()
    now = timezone.now()
    for username in (KPU_BADUNG, KPU_NUSA_PENIDA):
        with pytest.raises(PermissionDenied):
            make_plan(actor=user_of(username), election=pemilu, reason="coba")
        with pytest.raises(PermissionDenied):
            close_crossing(actor=user_of(username), crossing=crossing, starts_at=now, ends_at=now + timedelta(hours=2), reason="ombak")
        with pytest.raises(PermissionDenied):
            import_travel_times(actor=user_of(username), election=pemilu, table=read_table("waktu.csv", b"dari,ke,menit\n"), dry_run=True)
    closure = close_crossing(actor=user_of(personas.KPU), crossing=crossing, starts_at=now, ends_at=now + timedelta(hours=2), reason="ombak")
    with pytest.raises(PermissionDenied):
        reopen_crossing(actor=user_of(KPU_BADUNG), closure=closure)
    assert CrossingClosure.objects.filter(pk=closure.pk).exists()
    assert DistributionPlan.objects.filter(election=pemilu).count() == plans


@pytest.mark.django_db
def test_a_province_reader_is_refused_before_any_district_is_offered(client_of, pemilu):
    """Polda and KPU Provinsi read the logistics but change no network: 403 at once, not a chooser
    whose every choice is refused; an account attached to no agency gets 403, not a server error."""
    from sinergi.accounts.models import User

    for username in ("polda-bali", "kpu-bali"):
        assert client_of(username).get(BASE).status_code == 403, username
    nobody = User.objects.create_user("uji-tanpa-lembaga", password="x")
    client = client_of(personas.KPU)
    client.force_login(nobody)
    assert client.get(BASE).status_code == 403
