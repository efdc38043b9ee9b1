"""Bulk and irreversible actions ask first, on the server (issue 13, item 19): a POST without
`confirm=1` changes nothing and answers a page stating how many rows the action will touch, whose
form repeats the POST with the confirmation."""

import io
import re

import pytest

from sinergi.logistics.custody import create_consignments, dispatch, record_handover
from sinergi.logistics.models import Consignment, CrossingClosure, DistributionPlan
from sinergi.risk.models import StationClass
from sinergi.supervisors.models import Invitation
from tests import personas


def confirm_form(response) -> dict:
    """The hidden fields of the confirmation page's form (what the "Ya, lanjutkan" button posts)."""
    form = response.text.split('data-testid="confirm"')[1].split("</form>")[0]
    return {name: value for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form) if name != "csrfmiddlewaretoken"}


def assert_asks(response, count: int, title: str) -> None:
    assert response.status_code == 200
    assert title in response.text
    assert f"{count} baris akan berubah." in response.text and "Belum ada yang diubah." in response.text


@pytest.mark.django_db
def test_starting_the_return_leg_asks_first_with_the_count(client_of, pemilu, user_of):
    create_consignments(actor=None, election=pemilu)
    delivered = list(Consignment.objects.filter(election=pemilu, direction="keluar", station__village_id="51.05.01.2010").select_related("station")[:3])
    for c in delivered:
        dispatch(actor=None, consignment=c, seals=["S"])
        record_handover(actor=None, consignment=c, from_party="kpu:51.05", to_party="pps:51.05.01.2010", place="x", giver_name="a", receiver_name="b")
        record_handover(actor=None, consignment=c, from_party="pps:51.05.01.2010", to_party=f"kpps:{c.station_id}", place="x", giver_name="a", receiver_name="b")
    kpu = client_of(personas.KPU)
    url = "/pemilihan/pemilu-2024/logistik/status/"
    asked = kpu.post(url, {"start_return": "1"})
    assert_asks(asked, 3, "Mulai pengembalian ke KPU?")
    assert not Consignment.objects.filter(election=pemilu, direction="kembali").exists()
    assert confirm_form(asked) == {"start_return": "1", "confirm": "1"}
    done = kpu.post(url, confirm_form(asked), follow=True)
    assert "3 konsinyasi pengembalian dibuat" in done.text
    assert Consignment.objects.filter(election=pemilu, direction="kembali").count() == 3


@pytest.mark.django_db
def test_creating_consignments_asks_first_with_the_count(client_of, pemilu):
    asked = client_of(personas.KPU).post("/pemilihan/pemilu-2024/logistik/status/", {"create": "1"})
    assert_asks(asked, 649, "Buat konsinyasi?")
    assert not Consignment.objects.filter(election=pemilu).exists()


@pytest.mark.django_db
def test_confirming_every_suggested_class_asks_first_with_the_count(client_of, pemilu):
    StationClass.objects.filter(station__election=pemilu, station__village__code__startswith="51.05.03.").delete()
    polres = client_of(personas.POLRES)
    before = StationClass.objects.count()
    unconfirmed = polres.get("/pemilihan/pemilu-2024/rawan/kelas/").context["unconfirmed"]
    assert unconfirmed > 0
    asked = polres.post("/pemilihan/pemilu-2024/rawan/kelas/")
    assert_asks(asked, unconfirmed, "Konfirmasi semua saran kelas?")
    assert StationClass.objects.count() == before
    polres.post("/pemilihan/pemilu-2024/rawan/kelas/", confirm_form(asked))
    assert StationClass.objects.count() == before + unconfirmed


@pytest.mark.django_db
def test_replanning_and_closing_a_crossing_ask_first_with_the_count(client_of, pemilu):
    plans = DistributionPlan.objects.count()
    kpu = client_of(personas.KPU)
    url = "/pemilihan/pemilu-2024/logistik/distribusi/"
    assert_asks(kpu.post(url, {"replan": "1", "reason": "uji"}), 649, "Susun ulang rencana distribusi?")
    crossing = kpu.get(url).context["crossings"][0]
    closing = {"close": "1", "crossing": str(crossing.pk), "starts_at": "2024-02-11T00:00", "ends_at": "2024-02-12T00:00", "reason": "Gelombang tinggi"}
    asked = kpu.post(url, closing)
    assert_asks(asked, 649, f"Tutup {crossing.name} dan susun ulang rencana?")
    assert confirm_form(asked) == {**closing, "confirm": "1"}
    assert DistributionPlan.objects.count() == plans and not CrossingClosure.objects.exists()


@pytest.mark.django_db
def test_inviting_supervisors_asks_first_with_the_count(client_of, pemilu):
    Invitation.objects.filter(assignment__election=pemilu).delete()
    client = client_of(personas.BAWASLU)
    url = "/pemilihan/pemilu-2024/pengawas/pelantikan/"
    waiting = client.get(url).context["waiting"]
    assert waiting > 0
    assert_asks(client.post(url, {"action": "invite"}), waiting, "Undang pengawas ke pelantikan?")
    assert not Invitation.objects.filter(assignment__election=pemilu).exists()


TPS_FILE = b"kode_desa,nomor_tps,pemilih\n51.05.01.2010,90,120\n51.05.01.2010,91,130\n"


@pytest.mark.django_db
def test_a_tps_import_previews_its_counts_and_imports_the_previewed_file_only_when_confirmed(client_of, pemilu):
    from sinergi.stations.models import Station

    kpu = client_of(personas.KPU)
    url = "/pemilihan/pemilu-2024/tps/impor/"
    upload = io.BytesIO(TPS_FILE)
    upload.name = "tps.csv"
    preview = kpu.post(url, {"file": upload})
    assert preview.status_code == 200 and "2 TPS baru, 0 diperbarui, 0 tidak berubah." in preview.text and "2 baris akan berubah." in preview.text
    assert not Station.objects.filter(election=pemilu, number__in=[90, 91]).exists()
    token = confirm_form(preview)["berkas"]
    # Without the confirmation, or with another user's token, nothing is imported.
    assert kpu.post(url, {"berkas": token}).status_code == 200
    assert client_of(personas.BAWASLU).post(url, {"berkas": token, "confirm": "1"}).status_code == 400
    assert not Station.objects.filter(election=pemilu, number__in=[90, 91]).exists()
    done = kpu.post(url, {"berkas": token, "confirm": "1"}, follow=True)
    assert "Impor selesai: 2 TPS baru" in done.text
    assert Station.objects.filter(election=pemilu, village_id="51.05.01.2010", number__in=[90, 91]).count() == 2
    # The file is used once.
    assert "Unggah berkasnya lagi" in kpu.post(url, {"berkas": token, "confirm": "1"}).text


@pytest.mark.django_db
def test_cancelling_a_preview_removes_the_kept_file(client_of, pemilu):
    from django.core.files.storage import default_storage

    from sinergi.stations.models import Station

    kpu = client_of(personas.KPU)
    url = "/pemilihan/pemilu-2024/tps/impor/"
    upload = io.BytesIO(TPS_FILE)
    upload.name = "tps.csv"
    token = confirm_form(kpu.post(url, {"file": upload}))["berkas"]
    assert default_storage.listdir("impor-tertunda")[1]
    assert kpu.get(f"{url}?batal=1").status_code == 200
    assert "Unggah berkasnya lagi" in kpu.post(url, {"berkas": token, "confirm": "1"}).text
    assert not Station.objects.filter(election=pemilu, number__in=[90, 91]).exists()


@pytest.mark.django_db
def test_a_preview_left_without_confirming_is_removed_by_a_later_preview_after_an_hour(client_of, pemilu):
    """Nobody confirms or cancels: the kept file (personal data, for a roster) must not stay forever."""
    import os
    import time

    from django.core.files.storage import default_storage

    if default_storage.exists("impor-tertunda"):
        for name in default_storage.listdir("impor-tertunda")[1]:  # other tests' previews
            default_storage.delete(f"impor-tertunda/{name}")
    url = "/pemilihan/pemilu-2024/tps/impor/"
    upload = io.BytesIO(TPS_FILE)
    upload.name = "tps.csv"
    client_of(personas.KPU).post(url, {"file": upload})
    (abandoned,) = default_storage.listdir("impor-tertunda")[1]
    path = default_storage.path(f"impor-tertunda/{abandoned}")
    os.utime(path, (time.time() - 3700, time.time() - 3700))  # 61 minutes ago
    upload = io.BytesIO(TPS_FILE)
    upload.name = "tps.csv"
    client_of(personas.BAWASLU).post(url, {"file": upload})  # another user's preview
    assert not os.path.exists(path)
    assert len(default_storage.listdir("impor-tertunda")[1]) == 1  # the new one is kept


@pytest.mark.django_db
def test_a_travel_time_import_previews_its_count_and_writes_only_when_confirmed(client_of, pemilu):
    from sinergi.logistics.models import TravelTime

    kpu = client_of(personas.KPU)
    url = "/pemilihan/pemilu-2024/logistik/distribusi/"
    upload = io.BytesIO(b"dari,ke,menit\ngudang-swecapura,padangbai,35\npadangbai,gudang-swecapura,35\n")
    upload.name = "waktu.csv"
    preview = kpu.post(url, {"travel": "1", "file": upload})
    assert "2 waktu tempuh dalam berkas" in preview.text and "2 baris akan berubah." in preview.text
    assert not TravelTime.objects.exists()
    form = confirm_form(preview)
    assert form["travel"] == "1" and form["confirm"] == "1"
    done = kpu.post(url, form, follow=True)
    assert "2 waktu tempuh disimpan (2 pasangan berubah)" in done.text
    assert TravelTime.objects.filter(election=pemilu).count() == 2


@pytest.mark.django_db
def test_a_checklist_upload_previews_its_count_and_writes_nothing_unconfirmed(client_of, pemilu):
    from sinergi.risk.models import ChecklistAnswer

    before = ChecklistAnswer.objects.count()
    upload = io.BytesIO(b"kode_desa,nomor_tps,6.1,alasan\n51.05.01.2010,1,ya,Perbaikan data\n51.05.01.2010,2,ya,Perbaikan data\n")
    upload.name = "rawan.csv"
    preview = client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/rawan/unggah/", {"file": upload})
    assert preview.status_code == 200, preview.text[-2000:]
    assert "Jawaban untuk 2 TPS akan disimpan" in preview.text and "2 baris akan berubah." in preview.text
    assert ChecklistAnswer.objects.count() == before
