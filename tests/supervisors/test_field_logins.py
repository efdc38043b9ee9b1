"""Field sign-in codes: issued in bulk for the active PTPS (command and roster), signing in with one
through the sign-in page (a sign-in that outlasts voting day and the count), refused when wrong or
revoked, revoked for a lost phone and by a replacement, sent by SMS in the background, printed on
the surat tugas, and kept to the issuing administrator's area."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from sinergi.accounts.models import Agency, User
from sinergi.accounts.services import ensure_user
from sinergi.audit.models import AuditEvent
from sinergi.core.models import Job
from sinergi.supervisors import field_logins
from sinergi.supervisors.eligibility import DECLARATIONS
from sinergi.supervisors.field_codes import ALPHABET
from sinergi.supervisors.models import Assignment, FieldLogin, Invitation, Session
from sinergi.supervisors.services import Person, replace
from sinergi.supervisors.tasks import send_field_code
from tests import personas

PED = "51.05.01.2010"
ROSTER = "/pemilihan/pemilu-2024/pengawas/"
SIGN_IN = "/lapangan/masuk/"


@pytest.fixture
def ped_only(pemilu):
    """Only Desa Ped's PTPS stay active (the others replaced away in this test's transaction), so
    that bulk issuing and printing stay small."""
    Assignment.objects.filter(election=pemilu, status__in=Assignment.ACTIVE).exclude(region_id=PED).update(status="diganti", ended_on=date(2024, 1, 10))
    return list(Assignment.objects.filter(election=pemilu, status__in=Assignment.ACTIVE, region_id=PED).select_related("supervisor", "station").order_by("station__number"))


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://sinergi.contoh.go.id"
    return settings.SITE_URL


def post_of(pemilu, number: int) -> Assignment:
    return Assignment.objects.select_related("supervisor", "station__village").get(election=pemilu, region_id=PED, station__number=number, status__in=Assignment.ACTIVE)


def code_for(post: Assignment) -> str:
    return field_logins.code_of(FieldLogin.objects.get(assignment=post, revoked_at__isnull=True))


def sign_in_with(code: str) -> tuple[Client, object]:
    phone = Client()
    return phone, phone.post(SIGN_IN, {"kode": code})


def events(action: str, **filters):
    return AuditEvent.objects.filter(action=action, **filters)


@pytest.mark.django_db
def test_the_command_writes_a_code_for_each_active_ptps_without_one_and_is_idempotent(pemilu, ped_only, site, tmp_path):
    first = ped_only[0]
    already = field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=first.pk), purpose="surat tugas")[first.pk]
    out = tmp_path / "kode.csv"
    call_command("field_logins", "--election", "pemilu-2024", "--format", "csv", "--output", str(out), stdout=io.StringIO())
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert len(rows) == len(ped_only) - 1  # the one that had a code is not written again
    assert {r["nomor_tps"] for r in rows} == {str(p.station.number) for p in ped_only[1:]}
    assert all(len(r["kode"]) == 11 and r["kode"][5] == "-" and set(r["kode"].replace("-", "")) <= set(ALPHABET) for r in rows)
    assert rows[0]["tautan"] == f"{site}/lapangan/masuk/#kode={rows[0]['kode']}"
    assert FieldLogin.objects.filter(assignment__election=pemilu, revoked_at__isnull=True).count() == len(ped_only)
    assert code_for(first) == already  # unchanged
    # Only digests and nonces are stored: no code in any column.
    assert not FieldLogin.objects.filter(digest__contains=rows[0]["kode"].replace("-", "")).exists()
    # Every new PTPS got a field account of its village's PKD, with no usable password.
    user = User.objects.get(supervisor__assignments=ped_only[1])
    assert (user.role, user.agency.kind, user.agency.region_id, user.has_usable_password()) == ("field", "pkd", PED, False)
    assert events("field_login.issue").count() == len(ped_only)
    # Again: nothing new, no file.
    again, output = tmp_path / "lagi.csv", io.StringIO()
    call_command("field_logins", "--election", "pemilu-2024", "--format", "csv", "--output", str(again), stdout=output)
    assert "tidak ada kode baru" in output.getvalue() and not again.exists()
    assert FieldLogin.objects.filter(assignment__election=pemilu).count() == len(ped_only)
    # A reprint (--all) writes every active PTPS's code, the same codes, issuing nothing; audited.
    call_command("field_logins", "--election", "pemilu-2024", "--format", "csv", "--all", "--output", str(again), stdout=io.StringIO())
    reprinted = {r["nomor_tps"]: r["kode"] for r in csv.DictReader(io.StringIO(again.read_text()))}
    assert reprinted == {str(p.station.number): code_for(p) for p in ped_only} and {r["nomor_tps"]: r["kode"] for r in rows}.items() <= reprinted.items()
    assert FieldLogin.objects.filter(assignment__election=pemilu).count() == len(ped_only)
    assert events("field_login.print", changes__dokumen=[None, "slip kode (perintah)"]).count() == len(ped_only)


@pytest.mark.django_db
def test_the_command_prints_one_slip_per_new_ptps_with_its_code(pemilu, ped_only, site, tmp_path):
    for post in ped_only[2:]:
        field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")
    out = tmp_path / "slip.pdf"
    output = io.StringIO()
    call_command("field_logins", "--election", "pemilu-2024", "--output", str(out), stdout=output)
    assert "2 kode masuk baru" in output.getvalue()
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    for post in ped_only[:2]:
        assert post.supervisor.name in text and code_for(post) in text
    assert code_for(ped_only[2]) not in text


@pytest.mark.django_db
def test_the_command_needs_the_site_address_and_refuses_to_overwrite(pemilu, ped_only, tmp_path, settings):
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="SITE_URL"):
        call_command("field_logins", "--election", "pemilu-2024", "--output", str(tmp_path / "x.pdf"))
    existing = tmp_path / "ada.csv"
    existing.write_text("lama")
    with pytest.raises(CommandError, match="tidak ditimpa"):
        call_command("field_logins", "--election", "pemilu-2024", "--format", "csv", "--output", str(existing), "--site-url", "https://x.example")
    assert existing.read_text() == "lama" and not FieldLogin.objects.exists()


@pytest.mark.django_db
def test_a_ptps_signs_in_with_its_code_for_voting_day_and_the_count(pemilu, ped_only, client_of, on):
    post = post_of(pemilu, 17)
    code = field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")[post.pk]
    page = Client().get(SIGN_IN)
    assert page.status_code == 200 and 'name="kode"' in page.text and "lapangan-masuk.js" in page.text
    phone, answer = sign_in_with(" " + code.lower().replace("-", " ") + " ")  # as typed on a phone
    assert answer.status_code == 302 and answer["Location"] == "/lapangan/"
    assert phone.session.get_expiry_age() >= 36 * 60 * 60
    assert phone.get("/lapangan/").status_code == 200
    assert phone.get("/api/v1/reports/me").json()["station_id"] == post.station_id
    login = FieldLogin.objects.get(assignment=post)
    assert login.signed_in_at is not None
    assert events("user.sign_in", changes__cara=[None, "kode lapangan"]).count() == 1
    # A second phone signs in with the same code (the code works until it is revoked).
    assert sign_in_with(code)[1].status_code == 302
    # Still signed in 30 hours later, in the middle of the count.
    on(timezone.now() + timedelta(hours=30))
    assert phone.get("/api/v1/reports/me").status_code == 200
    # The roster shows who has a code and who is signed in.
    roster = client_of(personas.BAWASLU).get(ROSTER, {"q": "17 ped"})
    assert roster.context["field_codes"]["with_code"] == 1 and roster.context["field_codes"]["signed_in"] == 1


@pytest.mark.django_db
def test_a_wrong_code_is_refused_in_indonesian_and_audited(pemilu, ped_only):
    for typed in ("ABCDE-FGHJK", "OOOOO-11111", "", "x" * 500):
        phone, answer = sign_in_with(typed)
        assert answer.status_code == 400 and "Kode tidak dikenal atau sudah tidak berlaku" in answer.text
        assert "_auth_user_id" not in phone.session
    assert events("field_login.failed").count() == 4


@pytest.mark.django_db
def test_revoking_a_lost_phone_s_code_ends_its_sign_ins_and_a_new_code_works(pemilu, ped_only, client_of):
    post = post_of(pemilu, 17)
    old = field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")[post.pk]
    lost_phone, _answer = sign_in_with(old)
    assert lost_phone.get("/lapangan/").status_code == 200
    bawaslu = client_of(personas.BAWASLU)
    refused = bawaslu.post(f"{ROSTER}{post.pk}/kode-lapangan/cabut/", {"reason": " "})
    assert refused.status_code == 302 and FieldLogin.objects.get(assignment=post).revoked_at is None
    assert bawaslu.post(f"{ROSTER}{post.pk}/kode-lapangan/cabut/", {"reason": "Ponsel hilang"}).status_code == 302
    login = FieldLogin.objects.get(assignment=post)
    assert login.revoked_at is not None and login.revoke_reason == "Ponsel hilang"
    assert lost_phone.get("/lapangan/").status_code == 302  # signed out at its next request
    assert lost_phone.get("/api/v1/reports/me").status_code == 401
    answer = sign_in_with(old)[1]
    assert answer.status_code == 400 and "sudah tidak berlaku" in answer.text
    assert events("field_login.failed", object_id=str(login.pk), changes__dicabut=[None, True]).count() == 1
    assert events("field_login.revoke", object_id=str(login.pk), actor_username=personas.BAWASLU).count() == 1
    # A new code for the same post: different, and it signs in.
    assert bawaslu.post(f"{ROSTER}{post.pk}/kode-lapangan/buat/").status_code == 302
    new = code_for(post)
    assert new != old and sign_in_with(new)[1].status_code == 302
    page = bawaslu.post(f"{ROSTER}{post.pk}/", {"show_code": "1"})
    assert page.context["shown_code"] == new and events("field_login.print", changes__dokumen=[None, "tampil di layar"]).count() == 1


@pytest.mark.django_db
def test_a_replacement_revokes_the_old_ptps_code_and_the_successor_gets_its_own(pemilu, ped_only, user_of):
    post = post_of(pemilu, 17)
    old = field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")[post.pk]
    old_phone, _answer = sign_in_with(old)
    person = Person("I Ketut Fiktif Pengganti", "5105011212990001", date(1999, 12, 12), "L", "sma", PED, "081299990001", date(2024, 1, 15), dict.fromkeys(DECLARATIONS, True))
    new_post = replace(actor=user_of(personas.BAWASLU), assignment=post, person=person, reason="Sakit")
    assert FieldLogin.objects.get(assignment=post).revoked_at is not None
    assert old_phone.get("/api/v1/reports/me").status_code == 401
    assert sign_in_with(old)[1].status_code == 400
    assert events("field_login.revoke", changes__alasan=[None, "diganti: Sakit"]).count() == 1
    issued = {i.post.pk: i.code for i in field_logins.issue_codes(actor=user_of(personas.BAWASLU), election=pemilu)}
    assert new_post.pk in issued and post.pk not in issued
    phone, answer = sign_in_with(issued[new_post.pk])
    assert answer.status_code == 302 and int(phone.session["_auth_user_id"]) == User.objects.get(supervisor__assignments=new_post).pk


@pytest.mark.django_db
def test_the_roster_issues_after_asking_and_sends_by_sms_in_the_background(pemilu, ped_only, client_of, django_capture_on_commit_callbacks, capsys):
    bawaslu = client_of(personas.BAWASLU)
    asked = bawaslu.post(f"{ROSTER}kode-lapangan/buat/")
    assert asked.status_code == 200 and asked.context["count"] == len(ped_only) and not FieldLogin.objects.exists()
    assert bawaslu.post(f"{ROSTER}kode-lapangan/buat/", {"confirm": "1"}).status_code == 302
    assert FieldLogin.objects.filter(revoked_at__isnull=True).count() == len(ped_only)
    asked = bawaslu.post(f"{ROSTER}kode-lapangan/sms/")
    assert asked.status_code == 200 and asked.context["count"] == len(ped_only)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert bawaslu.post(f"{ROSTER}kode-lapangan/sms/", {"confirm": "1"}).status_code == 302
    assert len(callbacks) == len(ped_only)  # one task each, enqueued after the commit
    printed = capsys.readouterr().out
    post = post_of(pemilu, 17)
    phone = "+62" + post.supervisor.phone[1:]
    assert f"SMS ke {phone}:" in printed and f"http://testserver/lapangan/masuk/#kode={code_for(post)}" in printed
    assert FieldLogin.objects.filter(sms_sent_at__isnull=False).count() == len(ped_only)
    assert events("field_login.sms").count() == len(ped_only)
    # Nothing left to send: the bulk action says so and sends nothing.
    assert bawaslu.post(f"{ROSTER}kode-lapangan/sms/").status_code == 302
    card = bawaslu.get(ROSTER).context["field_codes"]
    assert (card["with_code"], card["sms_sent"], card["sms_waiting"]) == (len(ped_only), len(ped_only), 0)


@pytest.mark.django_db
def test_the_surat_tugas_carries_the_same_code_each_time_it_is_printed(pemilu, ped_only, client_of):
    post = post_of(pemilu, 17)
    bawaslu = client_of(personas.BAWASLU)
    first = bawaslu.get(f"{ROSTER}{post.pk}/surat-tugas.pdf")
    assert first.status_code == 200
    code = code_for(post)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(first.content)).pages)
    assert code in text and "Kode masuk aplikasi lapangan" in text
    second = bawaslu.get(f"{ROSTER}{post.pk}/surat-tugas.pdf")
    assert code in "".join(page.extract_text() for page in PdfReader(io.BytesIO(second.content)).pages)
    assert FieldLogin.objects.filter(assignment=post).count() == 1
    assert events("field_login.print", changes__dokumen=[None, "surat tugas"]).count() == 2


@pytest.mark.django_db
def test_only_bawaslu_of_the_area_issues_or_revokes(pemilu, ped_only, client_of, user_of):
    post = post_of(pemilu, 17)
    field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA)  # Ped is in Nusa Penida: its own area, but it does not manage
    assert panwascam.post(f"{ROSTER}kode-lapangan/buat/", {"confirm": "1"}).status_code == 403
    assert panwascam.post(f"{ROSTER}{post.pk}/kode-lapangan/cabut/", {"reason": "x"}).status_code == 403
    assert panwascam.post(f"{ROSTER}kode-lapangan/slip.pdf", {"confirm": "1"}).status_code == 403
    assert "Buat kode untuk PTPS tanpa kode" not in panwascam.get(ROSTER).text
    # A Bawaslu administrator of another kecamatan (Klungkung) neither sees nor touches Ped's post.
    bawaslu = user_of(personas.BAWASLU)
    ensure_user(actor=None, username="bawaslu-klungkung-kec", agency=bawaslu.agency, role="admin", full_name="Bawaslu (Kec. Klungkung)", password=personas.PASSWORD, area_code="51.05.03")
    other = client_of("bawaslu-klungkung-kec")
    assert other.post(f"{ROSTER}{post.pk}/kode-lapangan/cabut/", {"reason": "x"}).status_code == 404
    assert other.post(f"{ROSTER}{post.pk}/kode-lapangan/sms/").status_code == 404
    assert other.post(f"{ROSTER}kode-lapangan/buat/").status_code == 302  # no active PTPS of its own left in this test
    assert FieldLogin.objects.get(assignment=post).revoked_at is None and FieldLogin.objects.count() == 1
    with pytest.raises(PermissionDenied):
        field_logins.revoke_code(actor=user_of("bawaslu-klungkung-kec"), post=post, reason="x")


@pytest.mark.django_db
def test_a_village_without_a_pkd_agency_refuses_the_whole_run(pemilu, ped_only, site, tmp_path):
    Agency.objects.filter(kind="pkd", region_id=PED).update(region_id="51.05.01.2011")  # Ped's PKD moved away
    err = io.StringIO()
    with pytest.raises(CommandError, match="Tidak ada kode"):
        call_command("field_logins", "--election", "pemilu-2024", "--format", "csv", "--output", str(tmp_path / "k.csv"), stderr=err)
    assert "Ped (51.05.01.2010) belum punya lembaga PKD" in err.getvalue()
    assert not FieldLogin.objects.exists() and not (tmp_path / "k.csv").exists()


@pytest.mark.django_db
def test_the_invitation_of_a_ptps_carries_its_code_beside_the_check_in_code(pemilu, ped_only, client_of):
    post = post_of(pemilu, 17)
    invitation = Invitation.objects.select_related("session").get(assignment=post)
    small = Session.objects.create(venue=invitation.session.venue, starts_at=invitation.session.starts_at + timedelta(hours=3))
    Invitation.objects.filter(pk=invitation.pk).update(session=small)
    answer = client_of(personas.BAWASLU).get(f"{ROSTER}pelantikan/{small.pk}/undangan.pdf")
    assert answer.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    assert post.supervisor.name in text and "Kode masuk aplikasi lapangan" in text and code_for(post) in text
    assert events("field_login.print", changes__dokumen=[None, "undangan pelantikan"]).count() == 1


@pytest.mark.django_db
def test_code_sign_ins_are_throttled_per_address(pemilu, ped_only, settings):
    caches["ratelimit"].clear()
    settings.RATE_LIMIT_FIELD_CODES = "3/m"
    phone = Client(REMOTE_ADDR="203.0.113.50")
    assert [phone.post(SIGN_IN, {"kode": "ABCDE-FGHJK"}).status_code for _ in range(3)] == [400, 400, 400]
    assert phone.post(SIGN_IN, {"kode": "ABCDE-FGHJK"}).status_code == 429
    assert phone.get(SIGN_IN).status_code == 200  # the page itself stays open
    assert Client(REMOTE_ADDR="203.0.113.51").post(SIGN_IN, {"kode": "ABCDE-FGHJK"}).status_code == 400
    caches["ratelimit"].clear()


@pytest.mark.django_db
def test_a_code_revoked_before_its_sms_went_out_is_not_sent(pemilu, ped_only, capsys):
    post = post_of(pemilu, 17)
    field_logins.codes_for(actor=None, election=pemilu, posts=Assignment.objects.filter(pk=post.pk), purpose="uji")
    login = FieldLogin.objects.get(assignment=post)
    field_logins.revoke_code(actor=None, post=post, reason="ponsel hilang")
    assert send_field_code.enqueue(login.pk, "https://x.example/lapangan/masuk/").return_value == "dicabut"
    assert "SMS ke" not in capsys.readouterr().out
    assert FieldLogin.objects.get(pk=login.pk).sms_sent_at is None


@pytest.mark.django_db(transaction=True)
def test_with_real_transactions_a_code_is_printed_signs_in_is_sent_and_revoked(committed, client_of, pemilu, capsys):
    from django.db import connection

    assert not connection.in_atomic_block
    post = post_of(pemilu, 17)
    bawaslu = client_of(personas.BAWASLU)
    assert bawaslu.get(f"{ROSTER}{post.pk}/surat-tugas.pdf").status_code == 200  # issues the code, durable
    code = code_for(post)
    phone, answer = sign_in_with(code)
    assert answer.status_code == 302 and phone.get("/lapangan/").status_code == 200
    assert bawaslu.post(f"{ROSTER}{post.pk}/kode-lapangan/sms/").status_code == 302  # the task runs after the real commit
    assert f"#kode={code}" in capsys.readouterr().out and FieldLogin.objects.get(assignment=post).sms_sent_at is not None
    assert bawaslu.post(f"{ROSTER}{post.pk}/kode-lapangan/cabut/", {"reason": "Ponsel hilang"}).status_code == 302
    assert phone.get("/lapangan/").status_code == 302 and sign_in_with(code)[1].status_code == 400
    assert list(AuditEvent.objects.filter(action__startswith="field_login.").order_by("pk").values_list("action", flat=True)) == [
        "field_login.issue", "field_login.print", "field_login.sms", "field_login.revoke", "field_login.failed",
    ]  # fmt: skip


@pytest.mark.django_db
def test_the_roster_prints_the_slips_of_a_filtered_area_not_a_whole_district(pemilu, client_of, user_of, django_capture_on_commit_callbacks):
    bawaslu = client_of(personas.BAWASLU)
    refused = bawaslu.post(f"{ROSTER}kode-lapangan/slip.pdf", {"confirm": "1"}, follow=True)
    assert "649 slip terlalu banyak untuk satu PDF" in refused.text and not FieldLogin.objects.exists()
    village = {"wilayah": PED}
    asked = bawaslu.post(f"{ROSTER}kode-lapangan/slip.pdf", village)
    ped = Assignment.objects.filter(election=pemilu, region_id=PED, status__in=Assignment.ACTIVE)
    assert asked.status_code == 200 and asked.context["count"] == ped.count() and not FieldLogin.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as queued:  # a background task (supervisors/tasks.py)
        job_page = bawaslu.post(f"{ROSTER}kode-lapangan/slip.pdf", {**village, "confirm": "1"})
    job = Job.objects.get(kind="supervisors.field_code_slips")
    assert job_page.status_code == 302 and job_page["Location"] == f"/pemilihan/pemilu-2024/pekerjaan/{job.pk}/" and not FieldLogin.objects.exists()
    queued[0]()  # the commit: the immediate backend runs the task
    status = bawaslu.get(job_page["Location"])
    assert 'data-status="selesai"' in status.text and 'data-testid="job-download"' in status.text and f"{ped.count()} slip kode masuk." in status.text and "konvoi" not in status.text
    # A colleague of the same Bawaslu sees the job, not the file (it holds secret codes); another agency sees nothing.
    ensure_user(actor=None, username="bawaslu-rekan", agency=user_of(personas.BAWASLU).agency, role=User.Role.STAFF, full_name="Rekan", password=personas.PASSWORD)
    colleague = client_of("bawaslu-rekan")
    assert colleague.get(job_page["Location"]).status_code == 200 and colleague.get(f"{job_page['Location']}unduh/").status_code == 404
    assert client_of(personas.POLRES).get(job_page["Location"]).status_code == 404 and client_of(personas.POLRES).get(f"{job_page['Location']}unduh/").status_code == 404
    pdf = bawaslu.get(f"{job_page['Location']}unduh/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and "kode-lapangan-pemilu-2024.pdf" in pdf["Content-Disposition"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert all(code_for(post) in text for post in ped)  # the missing codes were issued first
    assert FieldLogin.objects.count() == ped.count() and events("field_login.print", changes__dokumen=[None, "slip kode"]).count() == ped.count()
    assert events("field_login.print").first().actor.username == personas.BAWASLU  # audited as the officer, as in the request before
    # Downloaded once: the file is gone from the server.
    assert bawaslu.get(f"{job_page['Location']}unduh/").status_code == 404 and 'data-testid="job-taken"' in bawaslu.get(job_page["Location"]).text
    assert not default_storage.listdir("pekerjaan")[1]


@pytest.mark.django_db
def test_slips_never_downloaded_are_removed_after_an_hour(pemilu, client_of, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from sinergi.core import jobs

    bawaslu = client_of(personas.BAWASLU)
    with django_capture_on_commit_callbacks(execute=True):
        page = bawaslu.post(f"{ROSTER}kode-lapangan/slip.pdf", {"wilayah": PED, "confirm": "1"})
    job = Job.objects.get()
    assert default_storage.exists(job.result["file"])
    assert jobs.purge_files() == 0  # not an hour yet
    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(seconds=jobs.FILE_KEPT_SECONDS + 1))
    assert jobs.purge_files() == 1 and not default_storage.exists(job.result["file"])
    assert bawaslu.get(f"{page['Location']}unduh/").status_code == 404
