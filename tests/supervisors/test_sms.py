"""SMS intake: the parser on good and malformed messages, and the gateway webhook."""

import pytest
from django.test import Client

from sinergi.supervisors.models import Assignment, Incident, Report
from sinergi.supervisors.sms import SmsError, SmsIncident, SmsReport, client_id_for, parse

CHECKLISTS = {
    "persiapan": [
        ("kotak_tersegel", "", "ya_tidak", True),
        ("logistik_lengkap", "", "ya_tidak", True),
        ("dpt_ditempel", "", "ya_tidak", False),
        ("kpps_hadir", "", "angka", True),
    ],
    "penghitungan": [("penghitungan_terbuka", "", "ya_tidak", True), ("keberatan_saksi", "", "ya_tidak", True), ("foto_c_hasil", "", "foto", False)],
}


def test_a_report_and_an_incident_parse():
    assert parse("lap p y Y t 7 #tertib", CHECKLISTS) == SmsReport("persiapan", {"kotak_tersegel": True, "logistik_lengkap": True, "dpt_ditempel": False, "kpps_hadir": 7}, "tertib")
    assert parse("LAP H Y T", CHECKLISTS) == SmsReport("penghitungan", {"penghitungan_terbuka": True, "keberatan_saksi": False}, "")  # no photo by SMS
    assert parse("KEJ int T Warga  menghalangi pemilih", CHECKLISTS) == SmsIncident("intimidasi", "tinggi", "Warga  menghalangi pemilih")


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("", "Pesan kosong."),
        ("HALO", "Kata kunci 'HALO' tidak dikenal"),
        ("LAP X Y", "Tahap tidak dikenal"),
        ("LAP P Y Y", "Tahap persiapan perlu 4 jawaban (Y/T Y/T Y/T angka), diterima 2."),
        ("LAP P Y Y Y tujuh", "Jawaban ke-4 (kpps_hadir) harus angka, bukan 'tujuh'."),
        ("LAP P Y ya Y 7", "Jawaban ke-2 (logistik_lengkap) harus Y atau T, bukan 'ya'."),
        ("KEJ INT", "Format kejadian"),
        ("KEJ GOSIP T ramai", "Kategori 'GOSIP' tidak dikenal"),
        ("KEJ INT X ramai", "Tingkat 'X' tidak dikenal"),
    ],
)
def test_malformed_messages_get_an_explanation(text, reply):
    with pytest.raises(SmsError) as raised:
        parse(text, CHECKLISTS)
    assert str(raised.value).startswith(reply)


def test_the_gateway_id_fixes_the_report_id():
    assert client_id_for("abc") == client_id_for("abc") != client_id_for("abd")


@pytest.fixture
def gateway(settings):
    settings.SMS_WEBHOOK_TOKEN = "rahasia-gateway"

    def send(message_id, sender, text, token="rahasia-gateway"):
        return Client().post("/sms/masuk/", {"id": message_id, "from": sender, "text": text}, headers={"X-Sinergi-Token": token})

    return send


@pytest.mark.django_db
def test_the_webhook_files_once_and_explains_errors(gateway, pemilu):
    ptps = Assignment.objects.filter(election=pemilu, station__village_id="51.05.01.2010", station__number=9).select_related("supervisor").get()
    international = "+62" + ptps.supervisor.phone[1:]
    answers = [gateway("gw-1", international, "LAP P Y Y Y 7 #aman") for _ in range(3)]
    assert all(a.status_code == 200 for a in answers)
    assert answers[0].json()["status"] == "ok" and "diterima" in answers[0].json()["reply"] and "sudah diterima sebelumnya" in answers[2].json()["reply"]
    report = Report.objects.get(client_id=client_id_for("gw-1"))
    assert (report.station_id, report.via, report.answers["kpps_hadir"]) == (ptps.station_id, "sms", 7)
    before = Report.objects.count(), Incident.objects.count()
    bad = gateway("gw-2", ptps.supervisor.phone, "LAP P Y Y")
    assert bad.json()["status"] == "error" and "perlu 4 jawaban" in bad.json()["reply"]
    stranger = gateway("gw-3", "081299999999", "LAP P Y Y Y 7")
    assert "tidak terdaftar sebagai PTPS aktif" in stranger.json()["reply"]
    assert (Report.objects.count(), Incident.objects.count()) == before  # nothing stored
    incident = gateway("gw-4", ptps.supervisor.phone, "KEJ UANG S Pembagian sembako")
    assert incident.json()["status"] == "ok" and Incident.objects.get(client_id=client_id_for("gw-4")).category == "politik_uang"
    assert gateway("gw-5", ptps.supervisor.phone, "LAP P Y Y Y 7", token="salah").status_code == 403
