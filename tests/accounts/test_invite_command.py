"""`sinergi invite`: an account without a password and a one-time activation link, printed and
e-mailed, audited; nothing written on bad input."""

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from sinergi.accounts.models import ActivationLink, User
from sinergi.audit.models import AuditEvent
from tests import personas

SITE = "https://sinergi.example.go.id"


def invite(*args, **options) -> str:
    out = io.StringIO()
    call_command("invite", *args, stdout=out, **options)
    return out.getvalue()


def path_of(output: str) -> str:
    return re.search(r"(/akun/aktivasi/[\w-]+/)", output).group(1)


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_the_command_prints_a_link_that_sets_the_password_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = invite("made.sudana", agency="bawaslu-klungkung", role="admin", email="made@bawaslu.example", name="Made Sudana")
    assert "Diundang: made.sudana (Bawaslu Kabupaten Klungkung, Pimpinan/administrator, wilayah 51.05)" in output
    url = re.search(rf"{re.escape(SITE)}/akun/aktivasi/[\w-]+/", output).group(0)
    user = User.objects.get(username="made.sudana")
    assert (user.agency.slug, user.role, user.first_name, user.email, user.is_active) == ("bawaslu-klungkung", "admin", "Made Sudana", "made@bawaslu.example", True)
    assert not user.has_usable_password()
    link = ActivationLink.objects.get(user=user)
    assert link.digest not in output and link.created_by is None
    hours = (link.expires_at - link.created_at).total_seconds() / 3600
    assert hours == 72
    # The e-mail carries the same link, in Indonesian.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["made@bawaslu.example"]
    assert url in mail.outbox[0].body and "Undangan ke Sinergi" in mail.outbox[0].subject and "sekali pakai" in mail.outbox[0].body
    event = AuditEvent.objects.get(action="user.invite")
    assert (event.actor_id, event.object_id, event.region) == (None, str(user.pk), "51.05")
    assert event.changes["agency"] == [None, "bawaslu-klungkung"] and event.changes["emailed_to"] == [None, "made@bawaslu.example"]
    assert url.rsplit("/", 2)[1] not in str(event.changes)
    # The invited person sets a password through the link and signs in with it.
    client = Client()
    form = client.get(url.removeprefix(SITE), follow=True)
    assert form.status_code == 200 and "Aktifkan akun" in form.text and "made.sudana" in form.text
    done = client.post("/akun/aktivasi/kata-sandi/", {"new_password1": "Pengawas-Klungkung-24", "new_password2": "Pengawas-Klungkung-24"})
    # A desk account enrols its authenticator next (tests/accounts/test_totp.py): until then its
    # password alone signs nobody in.
    assert done.status_code == 302 and done["Location"] == "/akun/masuk/autentikator/"
    password_only = Client()
    signed = password_only.post("/akun/masuk/", {"username": "made.sudana", "password": "Pengawas-Klungkung-24"})
    assert signed.status_code == 302 and signed["Location"] == "/akun/masuk/autentikator/"
    assert "_auth_user_id" not in password_only.session


@pytest.mark.django_db
@override_settings(SITE_URL="")
def test_without_site_url_the_command_prints_the_path_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = invite("ptps-ped-18", agency="pkd-5105012010", role="field", area="51.05.01.2010")
    assert "SITE_URL belum diatur" in output and mail.outbox == []
    assert Client().get(path_of(output)).status_code == 302
    user = User.objects.get(username="ptps-ped-18")
    assert (user.role, user.area_id, user.area_code) == ("field", "51.05.01.2010", "51.05.01.2010")


@pytest.mark.django_db
@override_settings(SITE_URL="")
def test_an_e_mail_without_site_url_is_refused_before_anything_is_written():
    with pytest.raises(CommandError, match="SITE_URL belum diatur"):
        invite("baru", agency="kpu-klungkung", role="staff", email="baru@kpu.example")
    assert not User.objects.filter(username="baru").exists()


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"agency": "tidak-ada", "role": "staff"}, "Lembaga 'tidak-ada' tidak ada."),
        ({"agency": "panwascam-nusa-penida", "role": "staff", "area": "51.05.04"}, "area: Wilayah pengguna 51.05.04 harus berada di dalam wilayah lembaganya (51.05.01 Nusa Penida)."),
        ({"agency": "panwascam-nusa-penida", "role": "staff", "area": "51.05.01.9999"}, "area: Wilayah 51.05.01.9999 tidak ada"),
        ({"agency": "kpu-klungkung", "role": "staff", "email": "bukan-alamat"}, "email: Alamat surel tidak sah"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(options, message):
    with pytest.raises(CommandError) as refused:
        invite("orang-baru", **options)
    assert message in str(refused.value)
    assert not User.objects.filter(username="orang-baru").exists()
    assert not AuditEvent.objects.filter(action="user.invite").exists()


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_a_bad_username_is_refused():
    with pytest.raises(CommandError, match="username: Nama pengguna hanya boleh"):
        invite("nama dengan spasi", agency="kpu-klungkung", role="staff")


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_inviting_an_existing_account_replaces_its_password_and_earlier_link(user_of):
    first = path_of(invite("staf-kpu", agency="kpu-klungkung", role="staff"))
    output = invite(personas.KPU, agency="kpu-klungkung", role="admin")
    assert "Diundang ulang: kpu" in output and "Kata sandi dan tautan sebelumnya tidak berlaku lagi." in output
    kpu = user_of(personas.KPU)
    assert kpu.role == "admin" and not kpu.has_usable_password()
    assert Client().post("/akun/masuk/", {"username": personas.KPU, "password": personas.PASSWORD}).status_code == 200
    event = AuditEvent.objects.filter(action="user.invite", object_id=str(kpu.pk)).get()
    assert event.changes["role"] == ["staff", "admin"] and event.changes["password"] == ["ada", "dihapus"] and "agency" not in event.changes
    # Another account's link is untouched; a second invitation of the same account replaces the first.
    again = path_of(invite("staf-kpu", agency="kpu-klungkung", role="staff"))
    assert "sudah diganti" in Client().get(first).text
    assert Client().get(again).status_code == 302


@pytest.mark.django_db
@override_settings(SITE_URL=SITE)
def test_a_superuser_cannot_be_invited():
    User.objects.create_superuser(username="root", password="x" * 12)
    with pytest.raises(CommandError, match="sudah dipakai"):
        invite("root", agency="kpu-klungkung", role="staff")
    assert User.objects.get(username="root").is_superuser
