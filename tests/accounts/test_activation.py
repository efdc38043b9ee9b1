"""The activation link: public, sets a password once, expires, says in Indonesian why it no longer works."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from sinergi.accounts.invitations import LinkUnusable, activate
from sinergi.accounts.models import ActivationLink, User
from sinergi.audit.models import AuditEvent
from tests import personas

PASSWORD = "Pengawas-Ped-2024!"


def invite(username: str = "ptps-ped-18", **options) -> str:
    out = io.StringIO()
    call_command("invite", username, agency="pkd-5105012010", role="field", stdout=out, **options)
    return re.search(r"(/akun/aktivasi/[\w-]+/)", out.getvalue()).group(1)


def set_password(client: Client, path: str, password: str = PASSWORD):
    opened = client.get(path)
    if opened.status_code != 302:
        return opened
    assert opened["Location"] == "/akun/aktivasi/kata-sandi/"
    return client.post(opened["Location"], {"new_password1": password, "new_password2": password})


@pytest.mark.django_db
def test_the_link_sets_a_password_once_and_the_user_signs_in():
    path = invite()
    client = Client()
    form = client.get(path, follow=True)
    assert form.status_code == 200 and "ptps-ped-18" in form.text and "PKD Desa Ped" in form.text
    # The secret moved into the session: the form's own address carries none.
    assert form.redirect_chain == [("/akun/aktivasi/kata-sandi/", 302)]
    done = client.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD}, follow=True)
    assert "Kata sandi tersimpan. Silakan masuk sebagai ptps-ped-18." in done.text
    user = User.objects.get(username="ptps-ped-18")
    assert user.check_password(PASSWORD)
    link = ActivationLink.objects.get(user=user)
    assert link.used_at is not None
    event = AuditEvent.objects.get(action="user.activate")
    assert (event.actor_id, event.object_id, event.region) == (user.pk, str(user.pk), "51.05.01.2010")
    signed_in = Client()
    assert signed_in.post("/akun/masuk/", {"username": "ptps-ped-18", "password": PASSWORD}).status_code == 302
    # Used once: the same link, and the form, refuse a second password.
    again = Client().get(path)
    assert again.status_code == 410 and "sudah dipakai" in again.text
    # The browser that used it no longer holds it either.
    assert client.post("/akun/aktivasi/kata-sandi/", {"new_password1": "Lain-Sekali-2024!", "new_password2": "Lain-Sekali-2024!"}).status_code == 404
    assert User.objects.get(username="ptps-ped-18").check_password(PASSWORD)
    with pytest.raises(LinkUnusable) as refused:
        activate(raw=path.split("/")[-2], new_password="Lain-Sekali-2024!")
    assert refused.value.reason == "used" and AuditEvent.objects.filter(action="user.activate").count() == 1


@pytest.mark.django_db
def test_a_second_tab_on_the_same_link_cannot_set_a_second_password():
    path = invite()
    first, second = Client(), Client()
    first.get(path)
    second.get(path)
    assert first.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302
    late = second.post("/akun/aktivasi/kata-sandi/", {"new_password1": "Lain-Sekali-2024!", "new_password2": "Lain-Sekali-2024!"})
    assert late.status_code == 410 and "sudah dipakai" in late.text
    assert User.objects.get(username="ptps-ped-18").check_password(PASSWORD)


@pytest.mark.django_db
@override_settings(INVITATION_HOURS=48)
def test_the_link_expires_after_the_configured_hours(on):
    start = timezone.now()
    path = invite()
    on(start + timedelta(hours=47, minutes=59))
    assert Client().get(path).status_code == 302
    client = Client()
    client.get(path)
    on(start + timedelta(hours=48, minutes=1))
    expired = Client().get(path)
    assert expired.status_code == 410 and "sudah kedaluwarsa: tautan berlaku 48 jam" in expired.text and "undangan ulang" in expired.text
    # Opened in time, submitted too late: refused as well.
    late = client.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert late.status_code == 410 and not User.objects.get(username="ptps-ped-18").has_usable_password()
    assert not AuditEvent.objects.filter(action="user.activate").exists()


@pytest.mark.django_db
def test_a_weak_password_is_refused_in_indonesian_and_the_link_still_works():
    path = invite()
    client = Client()
    refused = set_password(client, path, "12345")
    assert refused.status_code == 400 and "Kata sandi terlalu pendek" in refused.text
    similar = client.post("/akun/aktivasi/kata-sandi/", {"new_password1": "ptps-ped-18", "new_password2": "ptps-ped-18"})
    assert similar.status_code == 400 and "terlalu mirip" in similar.text
    assert client.post("/akun/aktivasi/kata-sandi/", {"new_password1": PASSWORD, "new_password2": PASSWORD}).status_code == 302


@pytest.mark.django_db
def test_an_unknown_link_and_a_form_without_a_link_answer_plainly():
    unknown = Client().get("/akun/aktivasi/bukan-tautan-yang-benar/")
    assert unknown.status_code == 404 and "tidak dikenal" in unknown.text and '<html lang="id">' in unknown.text
    assert Client().get("/akun/aktivasi/kata-sandi/").status_code == 404


@pytest.mark.django_db
def test_a_deactivated_account_s_link_no_longer_works():
    path = invite()
    call_command("invite", "ptps-ped-19", agency="pkd-5105012010", role="field", stdout=io.StringIO())
    from sinergi.accounts.invitations import deactivate_user

    deactivate_user(actor=None, user=User.objects.get(username="ptps-ped-18"))
    refused = Client().get(path)
    assert refused.status_code == 410 and "dinonaktifkan" in refused.text


@pytest.mark.django_db
def test_someone_signed_in_on_the_browser_is_signed_out_before_the_new_account_signs_in(client_of):
    path = invite()
    client = client_of(personas.BAWASLU)
    done = set_password(client, path)
    assert done.status_code == 302 and done["Location"] == "/akun/masuk/"
    assert client.get("/akun/kata-sandi/").status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="user.sign_out", actor_username=personas.BAWASLU).exists()


@pytest.mark.django_db(transaction=True)
@override_settings(SITE_URL="https://sinergi.example.go.id")
def test_the_mail_leaves_after_the_commit_and_the_link_works(committed):
    path = invite(email="ptps@example.com")
    assert len(mail.outbox) == 1 and "https://sinergi.example.go.id" + path in mail.outbox[0].body
    assert set_password(Client(), path).status_code == 302
    assert User.objects.get(username="ptps-ped-18").check_password(PASSWORD)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every writer on one database lock: nothing to race")
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_link_at_the_same_moment_set_one_password(committed):
    """Two browsers posting the same link at once (PostgreSQL: each in its own connection): the row
    lock lets one set its password; the other is told the link was used."""
    import threading

    from django.db import connections

    raw = invite().split("/")[-2]
    start = threading.Barrier(2)
    outcomes = []

    def submit(password):
        try:
            start.wait()
            activate(raw=raw, new_password=password)
            outcomes.append(("set", password))
        except LinkUnusable as unusable:
            outcomes.append(("refused", unusable.reason))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(password,)) for password in ("Pertama-Sekali-2024!", "Kedua-Sekali-2024!")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(kind for kind, _ in outcomes) == ["refused", "set"] and ("refused", "used") in outcomes
    winner = next(password for kind, password in outcomes if kind == "set")
    assert User.objects.get(username="ptps-ped-18").check_password(winner)
    assert AuditEvent.objects.filter(action="user.activate").count() == 1
