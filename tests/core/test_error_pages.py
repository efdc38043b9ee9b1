"""Error pages (400, 403, 404, 500 and a refused form) in Indonesian, with a way back home."""

import pytest
from django.test import Client, RequestFactory

from sinergi.elections import views as election_views
from sinergi.stations.models import Station
from tests import personas


def assert_indonesian_error_page(response, status: int, title: str):
    assert response.status_code == status
    text = response.content.decode()
    assert '<html lang="id">' in text and title in text
    assert 'href="/"' in text and "Kembali ke beranda" in text  # the way back
    assert "Forbidden" not in text and "Not Found" not in text and "Server Error" not in text


@pytest.mark.django_db
def test_a_page_that_does_not_exist_answers_in_indonesian(client_of):
    assert_indonesian_error_page(client_of(personas.PANWASCAM_NUSA_PENIDA).get("/tidak-ada/"), 404, "Halaman tidak ditemukan")


@pytest.mark.django_db
def test_a_refused_page_answers_in_indonesian(client_of, pemilu):
    station = Station.objects.filter(election=pemilu, village__code__startswith="51.05.01.").first()
    # A Panwascam reads reports but does not file them: the filing page is refused.
    response = client_of(personas.PANWASCAM_NUSA_PENIDA).get(f"/pemilihan/{pemilu.slug}/tps/{station.pk}/laporan/")
    assert_indonesian_error_page(response, 403, "Akses ditolak")


@pytest.mark.django_db
def test_the_error_pages_switch_to_english(client_of):
    client = client_of(personas.BAWASLU)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/tidak-ada/")
    assert response.status_code == 404 and "Page not found" in response.text and "Back to the home page" in response.text


@pytest.mark.django_db
def test_a_server_error_answers_in_indonesian_without_touching_the_database(client_of, pemilu, monkeypatch, django_assert_num_queries):
    def broken(*args, **kwargs):
        raise RuntimeError("rusak")

    monkeypatch.setattr(election_views, "counts_for", broken)
    client = client_of(personas.BAWASLU)
    client.raise_request_exception = False
    assert_indonesian_error_page(client.get(f"/pemilihan/{pemilu.slug}/"), 500, "Terjadi kesalahan")
    # The 500 page is rendered when the database may be what failed: it must not need it.
    from django.views.defaults import server_error

    with django_assert_num_queries(0):
        assert_indonesian_error_page(server_error(RequestFactory().get("/")), 500, "Terjadi kesalahan")


@pytest.mark.django_db
def test_a_form_refused_by_the_csrf_check_explains_itself_in_indonesian():
    response = Client(enforce_csrf_checks=True).post("/akun/masuk/", {"username": personas.KPU, "password": "x"})
    assert_indonesian_error_page(response, 403, "Formulir tidak dapat diterima")
    assert "Muat ulang" in response.text


@pytest.mark.django_db
def test_a_bad_request_answers_in_indonesian(client_of):
    response = Client(raise_request_exception=False).get("/", headers={"host": "penyerang.example"})  # not in ALLOWED_HOSTS
    assert_indonesian_error_page(response, 400, "Permintaan tidak dapat diproses")
