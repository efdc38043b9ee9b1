"""The distribution network in a page (issue 14, item 6): places, crossings, vehicle groups, the
plan's rules and escort teams edited in forms, beside the JSON export and import.

Every form is tried through its URL as KPU Klungkung: the happy path (rows and audit events) and
the main refusals (named field and fix, nothing written); a place still in use is not deleted;
other agencies, a kecamatan-narrowed KPU officer and another district's KPU see and change
nothing; the JSON export after form edits goes back through the JSON import unchanged."""

import json
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest

from sinergi.audit.models import AuditEvent
from sinergi.logistics.models import Crossing, CrossingClosure, DistributionPlan, Place, PlanSettings, VehicleGroup
from sinergi.logistics.network import export_network
from sinergi.stations.demo import CROSSING_BOAT, CROSSING_RORO
from tests import personas
from tests.logistics.network_pages import BASE, CROSSING, PLACE, RULES, VEHICLE, errors_of, import_token, last_event, upload

pytestmark = pytest.mark.usefixtures("other_kpus")

# --- the page -------------------------------------------------------------------------------


def test_the_page_lists_the_network_and_says_to_replan(kpu, pemilu):
    DistributionPlan.objects.create(election=pemilu, district_id="51.05", reason="awal", data={"deadline": "2024-02-13T18:00", "stations": 0, "convoys": [], "late": [], "closures": [], "notes": [], "violations": []})
    response = kpu.get(BASE)
    text = response.content.decode()
    assert response.status_code == 200
    for shown in ("gudang-swecapura", "Pelabuhan Padangbai", CROSSING_RORO, CROSSING_BOAT, "09:00, 12:00, 15:00", "Pikap Lembongan", "Tim kawal darat per hari", "Jam kerja mulai"):
        assert shown in text
    assert 'data-testid="replan-note"' in text and "/pemilihan/pemilu-2024/logistik/distribusi/?kabupaten=51.05#replan" in text
    assert 'data-testid="stale"' not in text
    # After a change the page says the plan predates it.
    kpu.post(BASE + "pengawalan/", {"tim_kawal_darat": "17", "tim_polair": "3"})
    assert 'data-testid="stale"' in kpu.get(BASE).content.decode()
    # The distribution page links here for KPU.
    assert 'data-testid="network-link"' in kpu.get("/pemilihan/pemilu-2024/logistik/distribusi/").content.decode()


# --- places ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_adding_a_place_is_saved_and_audited_in_its_own_transaction(committed, client_of):
    response = client_of(personas.KPU).post(BASE + "tempat/baru/", PLACE, follow=True)
    assert response.redirect_chain[-1][0] == BASE + "?kabupaten=51.05"
    assert "susun ulang rencana" in response.content.decode()
    place = Place.objects.get(key="gudang-ppk-nusapenida")
    assert (place.name, place.kind, place.latitude, place.longitude, place.approximate) == ("Gudang PPK Nusa Penida", "gudang_ppk", -8.727, 115.544, True)
    event = last_event("network.place.create")
    assert (event.actor_username, event.object_id, event.election, event.region) == (personas.KPU, str(place.pk), "pemilu-2024", "51.05")
    assert event.changes["nama"] == [None, "Gudang PPK Nusa Penida"]


def test_a_bad_place_is_refused_naming_the_field_and_fix(kpu, pemilu):
    before = export_network(pemilu)
    response = kpu.post(BASE + "tempat/baru/", {**PLACE, "kode": "Gudang Baru"})
    assert response.status_code == 400
    assert errors_of(response) == ["Kode: pakai huruf kecil, angka dan tanda hubung saja."]
    response = kpu.post(BASE + "tempat/baru/", {**PLACE, "lintang": "40"})
    assert errors_of(response) == ["Lintang/bujur harus angka di wilayah Indonesia."]
    response = kpu.post(BASE + "tempat/baru/", {**PLACE, "kode": "kusamba"})
    assert errors_of(response) == ["Kode: 'kusamba' sudah dipakai tempat lain; kode harus unik."]
    response = kpu.post(BASE + "tempat/baru/", {**PLACE, "jenis": "gudang"})
    assert any(e.startswith("tempat: hanya satu gudang KPU") and "gudang-swecapura" in e for e in errors_of(response))
    response = kpu.post(BASE + "tempat/baru/", {**PLACE, "lintang": "-8,7"})
    assert errors_of(response)[0].startswith("Lintang: ")
    assert export_network(pemilu) == before
    assert not AuditEvent.objects.filter(action__startswith="network.place").exists()


def test_editing_a_place_keeps_its_code(kpu, pemilu):
    place = Place.objects.get(election=pemilu, key="kusamba")
    form = kpu.get(BASE + f"tempat/{place.pk}/")
    assert form.status_code == 200 and "Dermaga Kusamba" in form.content.decode()
    response = kpu.post(BASE + f"tempat/{place.pk}/", {"kode": "kusamba-baru", "nama": "Dermaga Kusamba (baru)", "jenis": "pelabuhan", "lintang": "-8.5617", "bujur": "115.4564"})
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.key, place.name, place.approximate) == ("kusamba", "Dermaga Kusamba (baru)", False)
    assert Crossing.objects.get(election=pemilu, name=CROSSING_BOAT).origin == place
    assert last_event("network.place.update").changes == {"nama": ["Dermaga Kusamba", "Dermaga Kusamba (baru)"], "perkiraan": [True, False]}


def test_deleting_a_place_in_use_is_refused_naming_the_crossing(kpu, pemilu):
    place = Place.objects.get(election=pemilu, key="kusamba")
    page = kpu.get(BASE + f"tempat/{place.pk}/hapus/").content.decode()
    assert 'data-testid="in-use"' in page and CROSSING_BOAT in page and "Ya, hapus" not in page
    response = kpu.post(BASE + f"tempat/{place.pk}/hapus/")
    assert response.status_code == 400
    assert f"Tempat 'Dermaga Kusamba' (kusamba) tidak dapat dihapus: dipakai oleh penyeberangan '{CROSSING_BOAT}' (dari)" in unescape(response.content.decode())
    assert Place.objects.filter(pk=place.pk).exists()
    # The warehouse is a vehicle group's base as well.
    warehouse = Place.objects.get(election=pemilu, key="gudang-swecapura")
    assert "kendaraan 'Truk' (pangkalan)" in unescape(kpu.post(BASE + f"tempat/{warehouse.pk}/hapus/").content.decode())
    assert not AuditEvent.objects.filter(action="network.place.delete").exists()


def test_deleting_an_unused_place(kpu, pemilu):
    kpu.post(BASE + "tempat/baru/", PLACE)
    place = Place.objects.get(election=pemilu, key=PLACE["kode"])
    assert "Ya, hapus" in kpu.get(BASE + f"tempat/{place.pk}/hapus/").content.decode()
    assert kpu.post(BASE + f"tempat/{place.pk}/hapus/").status_code == 302
    assert not Place.objects.filter(pk=place.pk).exists()
    event = last_event("network.place.delete")
    assert event.object_id == str(place.pk) and event.changes["kode"] == [PLACE["kode"], None]


# --- crossings ------------------------------------------------------------------------------


def test_adding_a_crossing(kpu, pemilu):
    assert kpu.post(BASE + "penyeberangan/baru/", CROSSING).status_code == 302
    crossing = Crossing.objects.get(election=pemilu, name=CROSSING["nama"])
    assert (crossing.origin.key, crossing.destination.key, crossing.mode, crossing.duration_min, crossing.departures, crossing.capacity) == (
        "kusamba", "sampalan", "barang", 45, ["08:00", "14:00"], 12,
    )  # fmt: skip
    assert last_event("network.crossing.create").changes["berangkat"] == [None, ["08:00", "14:00"]]


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"berangkat": "08:00, 9.00"}, "Jam keberangkatan: '9.00' bukan jam JJ:MM (00:00–23:59); tulis seperti \"09:00\"."),
        ({"berangkat": "24:00"}, "Jam keberangkatan: '24:00' bukan jam JJ:MM (00:00–23:59); tulis seperti \"09:00\"."),
        ({"kapasitas": "0"}, "Kapasitas per keberangkatan: isi bilangan bulat 1–10000."),
        ({"menit": "-5"}, "Lama penyeberangan (menit): isi bilangan bulat 1–1440."),
        ({"ke": "kusamba"}, "Ke: sama dengan tempat asal ('kusamba'); penyeberangan menghubungkan dua tempat yang berbeda."),
        ({"nama": CROSSING_RORO}, f"Nama: '{CROSSING_RORO}' sudah dipakai penyeberangan lain; nama harus unik."),
        ({"kapasitas": "banyak"}, "Kapasitas per keberangkatan: isi bilangan bulat (angka tanpa koma atau titik), misalnya 12."),
    ],
)
def test_a_bad_crossing_is_refused_naming_the_field_and_fix(kpu, pemilu, change, expected):
    before = export_network(pemilu)
    response = kpu.post(BASE + "penyeberangan/baru/", {**CROSSING, **change})
    assert response.status_code == 400
    assert errors_of(response) == [expected]
    assert export_network(pemilu) == before


def test_editing_a_crossing_keeps_its_name_and_closures(kpu, pemilu):
    crossing = Crossing.objects.get(election=pemilu, name=CROSSING_RORO)
    tz = ZoneInfo(pemilu.time_zone)
    CrossingClosure.objects.create(crossing=crossing, starts_at=datetime(2024, 2, 11, tzinfo=tz), ends_at=datetime(2024, 2, 12, tzinfo=tz), reason="Gelombang tinggi")
    assert "09:00, 12:00, 15:00" in kpu.get(BASE + f"penyeberangan/{crossing.pk}/").content.decode()
    data = {"nama": "Nama lain", "dari": "padangbai", "ke": "sampalan", "moda": "roro", "menit": "70", "berangkat": "09:00 12:00 16:00", "kapasitas": "8"}
    assert kpu.post(BASE + f"penyeberangan/{crossing.pk}/", data).status_code == 302
    crossing.refresh_from_db()
    assert (crossing.name, crossing.duration_min, crossing.departures, crossing.capacity) == (CROSSING_RORO, 70, ["09:00", "12:00", "16:00"], 8)
    assert CrossingClosure.objects.filter(crossing=crossing).count() == 1
    assert last_event("network.crossing.update").changes == {
        "berangkat": [["09:00", "12:00", "15:00"], ["09:00", "12:00", "16:00"]],
        "kapasitas": [9, 8],
        "menit": [60, 70],
    }


def test_deleting_a_crossing_says_which_tps_record_it(kpu, pemilu):
    from sinergi.stations.models import Station

    crossing = Crossing.objects.get(election=pemilu, name=CROSSING_BOAT)
    recorded = Station.objects.filter(election=pemilu, crossing=CROSSING_BOAT).count()
    page = kpu.get(BASE + f"penyeberangan/{crossing.pk}/hapus/").content.decode()
    assert f"{recorded} TPS mencatat penyeberangan ini" in page
    assert kpu.post(BASE + f"penyeberangan/{crossing.pk}/hapus/").status_code == 302
    assert not Crossing.objects.filter(pk=crossing.pk).exists()
    assert last_event("network.crossing.delete").object_repr == CROSSING_BOAT


# --- vehicles -------------------------------------------------------------------------------


def test_adding_changing_and_deleting_a_vehicle_group(kpu, pemilu):
    assert kpu.post(BASE + "kendaraan/baru/", VEHICLE).status_code == 302
    group = VehicleGroup.objects.get(election=pemilu, name="Pikap Penida")
    assert (group.kind, group.count, group.capacity, group.speed_kmh, group.base.key, group.reloads) == ("pikap", 3, 10, 25, "sampalan", False)
    assert last_event("network.vehicle.create").object_id == str(group.pk)
    assert kpu.post(BASE + f"kendaraan/{group.pk}/", {**VEHICLE, "jumlah": "4", "muat_ulang": "on"}).status_code == 302
    group.refresh_from_db()
    assert (group.count, group.reloads) == (4, True)
    assert last_event("network.vehicle.update").changes == {"jumlah": [3, 4], "muat_ulang": [False, True]}
    assert kpu.post(BASE + f"kendaraan/{group.pk}/hapus/").status_code == 302
    assert not VehicleGroup.objects.filter(election=pemilu, name="Pikap Penida").exists()
    assert last_event("network.vehicle.delete").object_repr == "Pikap Penida"


def test_a_bad_vehicle_group_is_refused(kpu, pemilu):
    response = kpu.post(BASE + "kendaraan/baru/", {**VEHICLE, "kecepatan": "200", "kapasitas": "0"})
    assert response.status_code == 400
    assert errors_of(response) == ["Kapasitas (paket TPS per kendaraan): isi bilangan bulat 1–10000.", "Kecepatan rata-rata (km/jam): isi bilangan bulat 5–120."]
    response = kpu.post(BASE + "kendaraan/baru/", {**VEHICLE, "nama": "Truk"})
    assert errors_of(response) == ["Nama kelompok: 'Truk' sudah dipakai kelompok kendaraan lain; nama harus unik."]
    response = kpu.post(BASE + "kendaraan/baru/", {**VEHICLE, "pangkalan": "sanur"})
    assert errors_of(response)[0].startswith("Pangkalan: ")
    assert not VehicleGroup.objects.filter(election=pemilu, name="Pikap Penida").exists()


# --- rules and escorts ----------------------------------------------------------------------


def test_changing_the_rules_and_the_escorts(kpu, pemilu):
    assert kpu.get(BASE + "aturan/").status_code == 200
    assert kpu.post(BASE + "aturan/", RULES).status_code == 302
    settings = PlanSettings.objects.get(election=pemilu)
    assert (settings.work_start.strftime("%H:%M"), str(settings.detour_factor)) == ("06:30", "1.45")
    assert last_event("network.rules.update").changes == {"faktor_jalan": [1.3, 1.45], "jam_mulai": ["07:00", "06:30"]}
    assert kpu.post(BASE + "pengawalan/", {"tim_kawal_darat": "20", "tim_polair": "4"}).status_code == 302
    settings.refresh_from_db()
    assert (settings.road_escorts, settings.water_escorts) == (20, 4)
    assert last_event("network.escorts.update").changes == {"tim_kawal_darat": [16, 20], "tim_polair": [3, 4]}


def test_bad_rules_are_refused_naming_the_rule(kpu, pemilu):
    response = kpu.post(BASE + "aturan/", {**RULES, "jam_mulai": "7 pagi", "faktor_jalan": "5"})
    assert response.status_code == 400
    assert errors_of(response) == ['Jam kerja mulai: jam seperti "07:00".', "Faktor jalan berkelok: angka 1,00–3,00."]
    response = kpu.post(BASE + "aturan/", {**RULES, "jam_selesai": "06:00"})
    assert errors_of(response) == ["Jam kerja selesai: 06:00 harus setelah jam_mulai 06:30."]
    response = kpu.post(BASE + "pengawalan/", {"tim_kawal_darat": "-1", "tim_polair": "3"})
    assert errors_of(response) == ["Tim kawal darat per hari: isi bilangan bulat 0–10000."]
    settings = PlanSettings.objects.get(election=pemilu)
    assert (settings.work_start.strftime("%H:%M"), settings.road_escorts) == ("07:00", 16)
    assert not AuditEvent.objects.filter(action__in=["network.rules.update", "network.escorts.update"]).exists()


# --- JSON export and import -----------------------------------------------------------------


def test_the_export_after_form_edits_round_trips_through_the_import(kpu, pemilu):
    kpu.post(BASE + "tempat/baru/", PLACE)
    kpu.post(BASE + "penyeberangan/baru/", CROSSING)
    kpu.post(BASE + "kendaraan/baru/", VEHICLE)
    kpu.post(BASE + "aturan/", RULES)
    exported = kpu.get(BASE + "jaringan.json")
    assert exported["Content-Disposition"] == 'attachment; filename="jaringan-distribusi-pemilu-2024-51.05.json"'
    document = json.loads(exported.content)
    assert document == export_network(pemilu)
    assert PLACE["kode"] in [p["kode"] for p in document["tempat"]] and document["aturan"]["jam_mulai"] == "06:30"
    # The same file back: the preview says nothing changes, and confirming writes nothing.
    preview = kpu.post(BASE, {"import": "1", "file": upload(exported.content)})
    assert preview.status_code == 200
    assert 'data-testid="confirm-count">0 baris' in preview.content.decode()
    loads = AuditEvent.objects.filter(action="network.load").count()
    assert kpu.post(BASE, {"confirm": "1", "import": "1", "berkas": import_token(preview)}).status_code == 302
    assert export_network(pemilu) == document
    assert AuditEvent.objects.filter(action="network.load").count() == loads
    # A changed file: previewed by name, then loaded and audited.
    document["penyeberangan"][0]["kapasitas"] = 20
    document["kendaraan"] = [v for v in document["kendaraan"] if v["nama"] != "Pikap Penida"]
    preview = kpu.post(BASE, {"import": "1", "file": upload(document)})
    text = preview.content.decode()
    assert "diubah " + document["penyeberangan"][0]["nama"] in text and "dihapus Pikap Penida" in text
    assert VehicleGroup.objects.filter(election=pemilu, name="Pikap Penida").exists()
    kpu.post(BASE, {"confirm": "1", "import": "1", "berkas": import_token(preview)})
    assert export_network(pemilu) == document
    assert last_event("network.load").actor_username == personas.KPU


def test_the_import_refuses_what_the_forms_refuse(kpu, pemilu):
    before = export_network(pemilu)
    bad = json.loads(json.dumps(before))
    bad["penyeberangan"][0]["berangkat"] = ["9.00"]
    bad["penyeberangan"][1]["ke"] = bad["penyeberangan"][1]["dari"]
    response = kpu.post(BASE, {"import": "1", "file": upload(bad)})
    assert response.status_code == 400
    text = unescape(response.content.decode())
    assert "penyeberangan[0].berangkat: '9.00' bukan jam JJ:MM" in text
    assert "penyeberangan[1].ke: sama dengan tempat asal" in text
    response = kpu.post(BASE, {"import": "1", "file": upload(b"{bukan json")})
    assert response.status_code == 400 and "tidak dapat dibaca sebagai JSON" in response.content.decode()
    assert export_network(pemilu) == before


