"""The supervisors' roster: requirement checks, the Excel import, one PTPS per TPS, replacements,
the gap list, masked and audited personal data, and who sees what."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from sinergi.audit.models import AuditEvent
from sinergi.core.tabular import InputRejected, read_table
from sinergi.supervisors.eligibility import DECLARATIONS, Applicant, age_on, failed_checks
from sinergi.supervisors.models import Assignment, Supervisor
from sinergi.supervisors.services import Person, import_roster, mask_nik, replace, reveal_nik
from tests import personas

ALL_YES = dict.fromkeys(DECLARATIONS, True)


def applicant(**changes) -> Applicant:
    values = {"birth_date": date(2000, 1, 1), "education": "sma", "residence_kecamatan": "51.05.01", "declarations": ALL_YES} | changes
    return Applicant(**values)


def test_turning_21_on_the_registration_day_is_enough():
    assert age_on(date(2003, 1, 2), date(2024, 1, 2)) == 21
    assert age_on(date(2003, 1, 3), date(2024, 1, 2)) == 20
    assert failed_checks(applicant(birth_date=date(2003, 1, 2)), registered_on=date(2024, 1, 2), post_kecamatan="51.05.01", other_active_post=None) == []
    [reason] = failed_checks(applicant(birth_date=date(2003, 1, 3)), registered_on=date(2024, 1, 2), post_kecamatan="51.05.01", other_active_post=None)
    assert reason == "Umur 20 tahun pada tanggal pendaftaran 02-01-2024; paling rendah 21 tahun."


def test_every_requirement_names_its_reason():
    reasons = failed_checks(
        applicant(education="smp", residence_kecamatan="51.05.03", declarations={**ALL_YES, "bukan_anggota_partai": False}),
        registered_on=date(2024, 1, 2),
        post_kecamatan="51.05.01",
        other_active_post="Pengawas TPS nomor 3 Ped",
    )
    assert reasons == [
        "Pendidikan paling rendah SMA/SMK/sederajat.",
        "Berdomisili di kecamatan 51.05.03, bukan kecamatan tempat bertugas (51.05.01).",
        "Masih bertugas aktif sebagai Pengawas TPS nomor 3 Ped.",
        "Pernyataan belum dipenuhi: Tidak menjadi anggota partai politik sekurang-kurangnya 5 tahun.",
    ]


def test_the_nik_is_masked():
    assert mask_nik("5105014501900017") == "5105••••••••0017"


HEADER = "nama,nik,tanggal_lahir,jenis_kelamin,pendidikan,kode_desa_domisili,telepon,peran,kode_wilayah,nomor_tps,tanggal_daftar," + ",".join(DECLARATIONS) + "\n"
YES6 = ",".join(["ya"] * len(DECLARATIONS))


def table(*rows: str):
    return read_table("pengawas.csv", (HEADER + "".join(r + "\n" for r in rows)).encode())


@pytest.fixture
def without_ptps(pemilu):
    """Ped TPS 17 with its demo PTPS replaced away (history kept), so it has none."""
    assignment = Assignment.objects.get(station__election=pemilu, station__village_id="51.05.01.2010", station__number=17, status__in=Assignment.ACTIVE)
    Assignment.objects.filter(pk=assignment.pk).update(status="diganti", ended_on=date(2024, 1, 10), end_reason="Mengundurkan diri")
    return assignment.station


@pytest.mark.django_db
def test_the_demo_roster_has_one_ptps_per_tps_and_no_gaps(user_of, pemilu, client_of):
    from sinergi.supervisors.queries import gaps_for

    assert Assignment.objects.filter(election=pemilu, role="ptps", status__in=Assignment.ACTIVE).count() == 649
    assert gaps_for(user_of(personas.BAWASLU), pemilu).count() == 0
    page = client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengawas/")
    assert page.status_code == 200 and page.context["gap_count"] == 0 and "Setiap TPS punya PTPS aktif." in page.text
    assert "5105" in page.text and not any(a.supervisor.nik in page.text for a, _ in page.context["rows"])


@pytest.mark.django_db
def test_removing_a_ptps_shows_the_gap_and_the_import_fills_it(user_of, pemilu, without_ptps, client_of):
    from sinergi.supervisors.queries import gaps_for

    assert list(gaps_for(user_of(personas.BAWASLU), pemilu)) == [without_ptps]
    assert "1 TPS tanpa PTPS aktif" in client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/pengawas/").text
    counts = import_roster(
        actor=user_of(personas.BAWASLU), election=pemilu, table=table(f"Ni Kadek Fiktif Baru,5105015501010001,2001-01-15,P,S1,51.05.01.2010,,ptps,51.05.01.2010,17,2024-01-12,{YES6}")
    )
    assert counts == {"memenuhi_syarat": 1, "pendaftar": 0}
    assert gaps_for(user_of(personas.BAWASLU), pemilu).count() == 0
    event = AuditEvent.objects.filter(action="supervisor.register").latest("id")
    assert "5105015501010001" not in str(event.changes)  # personal data stays out of the audit trail


@pytest.mark.django_db
def test_the_import_names_every_bad_row_and_writes_nothing(user_of, pemilu, without_ptps):
    before = Supervisor.objects.count()
    ped3 = Supervisor.objects.get(assignments__station__village_id="51.05.01.2010", assignments__station__number=3)
    bad = table(
        f"A,123,2001-01-15,P,S1,51.05.01.2010,,ptps,51.05.01.2010,17,2024-01-12,{YES6}",
        f"B,5105015501010002,15/15/2001,X,SD,51.05.99.9999,,ptps,51.05.01.2010,1,2024-01-12,{YES6}",
        f"C,{ped3.nik},2001-01-15,P,S1,51.05.01.2010,,pkd,51.05.01.2010,,2024-01-12,{YES6}",
        "D,5105015501010004,2001-01-15,L,SMA,51.05.01.2010,,ptps,51.05.01.2010,17,2024-01-12,ya,ya,ya,ya,ya,mungkin",
        f"E,5105015501010005,2001-01-15,L,SMA,51.05.01.2010,,ptps,51.05.01.2010,17,2024-01-12,{YES6}",
    )
    with pytest.raises(InputRejected) as rejected:
        import_roster(actor=user_of(personas.BAWASLU), election=pemilu, table=bad)
    messages = [str(e) for e in rejected.value.errors]
    assert "Baris 2, kolom 'nik': NIK harus 16 angka." in messages
    assert "Baris 3, kolom 'tanggal_lahir': Tanggal tidak dikenal: tulis 2001-02-14 atau 14-02-2001." in messages
    assert "Baris 3, kolom 'jenis_kelamin': Isi L atau P." in messages
    assert any(m.startswith("Baris 3, kolom 'kode_desa_domisili'") for m in messages)
    assert any(m.startswith("Baris 3, kolom 'nomor_tps': TPS 1 desa Ped sudah punya PTPS aktif") for m in messages)
    assert "Baris 4, kolom 'nik': Orang ini masih bertugas aktif sebagai Pengawas TPS nomor 3 Ped: satu orang satu tugas." in messages
    assert "Baris 5, kolom 'penuh_waktu': Isi ya atau tidak." in messages
    assert "Baris 6, kolom 'nomor_tps': TPS 17 desa Ped muncul dua kali (juga di baris 2)." in messages
    assert Supervisor.objects.count() == before


@pytest.mark.django_db
def test_an_applicant_who_fails_a_requirement_is_stored_with_reasons_not_active(user_of, pemilu, without_ptps):
    counts = import_roster(
        actor=user_of(personas.BAWASLU), election=pemilu, table=table(f"Muda,5105011501040001,2004-01-15,L,SMA,51.05.03.1008,,ptps,51.05.01.2010,17,2024-01-12,{YES6}")
    )
    assert counts == {"memenuhi_syarat": 0, "pendaftar": 1}
    assignment = Assignment.objects.get(supervisor__nik="5105011501040001")
    assert assignment.status == "pendaftar" and len(assignment.failed_checks) == 2  # age, kecamatan


@pytest.mark.django_db
def test_a_replacement_keeps_history_and_one_active_ptps(user_of, pemilu):
    old = Assignment.objects.get(station__election=pemilu, station__village_id="51.05.01.2010", station__number=5, status__in=Assignment.ACTIVE)
    person = Person("I Ketut Fiktif Pengganti", "5105011212990001", date(1999, 12, 12), "L", "sma", "51.05.01.2010", "", date(2024, 1, 15), ALL_YES)
    with pytest.raises(ValidationError, match="Isi alasan"):
        replace(actor=user_of(personas.BAWASLU), assignment=old, person=person, reason=" ")
    with pytest.raises(PermissionDenied):
        replace(actor=user_of(personas.PANWASCAM_NUSA_PENIDA), assignment=old, person=person, reason="x")
    new = replace(actor=user_of(personas.BAWASLU), assignment=old, person=person, reason="Sakit")
    old.refresh_from_db()
    assert (old.status, old.end_reason, old.replaced_by_id, new.status) == ("diganti", "Sakit", new.pk, "memenuhi_syarat")
    assert Assignment.objects.filter(station=old.station).count() == 2
    assert Assignment.objects.filter(station=old.station, status__in=Assignment.ACTIVE).count() == 1
    young = Person("Terlalu Muda", "5105011212100001", date(2010, 12, 12), "L", "sma", "51.05.01.2010", "", date(2024, 1, 15), ALL_YES)
    with pytest.raises(ValidationError, match="Pengganti belum memenuhi syarat"):
        replace(actor=user_of(personas.BAWASLU), assignment=new, person=young, reason="x")
    assert Assignment.objects.get(pk=new.pk).status == "memenuhi_syarat"  # nothing half-written


@pytest.mark.django_db
def test_the_database_refuses_a_second_active_ptps(pemilu):
    existing = Assignment.objects.filter(election=pemilu, status__in=Assignment.ACTIVE).first()
    other = Supervisor.objects.exclude(pk=existing.supervisor_id).first()
    Assignment.objects.filter(supervisor=other).update(status="diganti")
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(supervisor=other, election=pemilu, role="ptps", station=existing.station, region_id=existing.region_id, status="memenuhi_syarat", started_on=date(2024, 1, 2))


@pytest.mark.django_db
def test_personal_data_is_masked_and_its_reads_are_audited(user_of, client_of, pemilu):
    assignment = Assignment.objects.filter(election=pemilu, region_id="51.05.01.2010").first()
    url = f"/pemilihan/pemilu-2024/pengawas/{assignment.pk}/"
    nik = assignment.supervisor.nik
    panwascam = client_of(personas.PANWASCAM_NUSA_PENIDA).get(url)
    assert panwascam.status_code == 200 and nik not in panwascam.text and mask_nik(nik) in panwascam.text and "Tampilkan NIK" not in panwascam.text
    with pytest.raises(PermissionDenied):
        reveal_nik(actor=user_of(personas.PANWASCAM_NUSA_PENIDA), supervisor=assignment.supervisor)
    revealed = client_of(personas.BAWASLU).post(url, {"reveal": "1"})
    assert nik in revealed.text
    event = AuditEvent.objects.filter(action="personal_data.read").latest("id")
    assert event.actor_username == personas.BAWASLU and event.changes == {"data": [None, "NIK"]}
    for username in (personas.POLRES, personas.KPU, personas.JAKSA):
        assert client_of(username).get("/pemilihan/pemilu-2024/pengawas/").status_code == 403
    mainland = Assignment.objects.filter(election=pemilu, region__code__startswith="51.05.03.").first()
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get(f"/pemilihan/pemilu-2024/pengawas/{mainland.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_import_page(client_of, without_ptps):
    import io

    good = io.BytesIO((HEADER + f"Ni Luh Fiktif Unggah,5105015501010009,2001-01-15,P,SMA,51.05.01.2010,,ptps,51.05.01.2010,17,2024-01-12,{YES6}\n").encode())
    good.name = "pengawas.csv"
    import re

    bawaslu = client_of(personas.BAWASLU)
    preview = bawaslu.post("/pemilihan/pemilu-2024/pengawas/impor/", {"file": good})
    assert "1 orang akan didaftarkan." in preview.text and "1 baris akan berubah." in preview.text
    assert not Supervisor.objects.filter(nik="5105015501010009").exists()  # asked first, nothing written
    token = re.search(r'name="berkas" value="([^"]+)"', preview.text).group(1)
    done = bawaslu.post("/pemilihan/pemilu-2024/pengawas/impor/", {"berkas": token, "confirm": "1"}, follow=True)
    assert "1 pengawas memenuhi syarat, 0 pendaftar belum memenuhi syarat." in done.text
    bad = io.BytesIO(b"nama,nik\nA,1\n")
    bad.name = "pengawas.csv"
    refused = client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/pengawas/impor/", {"file": bad})
    assert refused.status_code == 400 and "Kolom wajib &#x27;tanggal_lahir&#x27; tidak ada." in refused.text
    assert client_of(personas.PANWASCAM_NUSA_PENIDA).get("/pemilihan/pemilu-2024/pengawas/impor/").status_code == 403


@pytest.mark.django_db
def test_the_import_command(tmp_path, without_ptps):
    import io

    from django.core.management import CommandError, call_command

    path = tmp_path / "pengawas.csv"
    path.write_text(HEADER + f"Ni Luh Fiktif Cli,5105015501010019,2001-01-15,P,SMA,51.05.01.2010,,ptps,51.05.01.2010,17,2024-01-12,{YES6}\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_supervisors", "--election", "pemilu-2024", str(path), stdout=out)
    assert out.getvalue().strip() == "1 memenuhi syarat, 0 pendaftar belum memenuhi syarat."
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 kesalahan; tidak ada yang disimpan."):
        call_command("import_supervisors", "--election", "pemilu-2024", str(path), stderr=err)
    assert "masih bertugas aktif sebagai Pengawas TPS nomor 17 Ped" in err.getvalue() and "sudah punya PTPS aktif" in err.getvalue()
