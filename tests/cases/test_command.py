"""`sinergi deadlines`: the statute's dates for a case, with the computation and the basis."""

import io

import pytest
from django.core.management import CommandError, call_command


def deadlines(*args):
    out = io.StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_pemilu_case_known_on_cuti_bersama(pemilu):
    text = deadlines("--election", "pemilu-2024", "--known", "2024-02-09", "--received", "2024-02-12", "--forwarded", "2024-02-14T16:00")
    assert "cuti bersama dihitung sebagai hari libur" in text
    assert "Laporan disampaikan ke Bawaslu: paling lambat 21-02-2024" in text  # 9 Feb is cuti bersama; 10 Imlek; 14 voting day
    assert "Kajian awal (syarat formal dan materiel): paling lambat 15-02-2024" in text  # "setelah diterima": 13 Feb, then 15 (14 is voting day)
    assert "Dugaan tindak pidana diteruskan ke Kepolisian: paling lambat 15-02-2024 16.00 WITA" in text
    assert "Dasar: UU 7/2017 tentang Pemilihan Umum, Pasal 476" in text
    assert "Hasil penyidikan" not in text  # its start (the police receiving the case) was not given


@pytest.mark.django_db
def test_cuti_bersama_as_working_days_is_a_setting(pemilu, settings):
    settings.DEADLINE_COLLECTIVE_LEAVE_IS_DAY_OFF = False
    text = deadlines("--election", "pemilu-2024", "--known", "2024-02-09")
    assert "cuti bersama dihitung sebagai hari kerja" in text and "Laporan disampaikan ke Bawaslu: paling lambat 20-02-2024" in text


@pytest.mark.django_db
def test_a_pilkada_case_counts_calendar_days(pilkada):
    text = deadlines("--election", "pilkada-2024", "--known", "2024-11-27", "--received", "2024-11-29")
    assert "Laporan disampaikan ke Bawaslu: paling lambat 03-12-2024" in text
    assert "Bawaslu menindaklanjuti laporan: paling lambat 02-12-2024" in text  # "setelah laporan diterima": 30 Nov, 1 and 2 Dec
    assert "Pasal 134" in text


@pytest.mark.django_db
def test_a_malformed_date_is_explained(pemilu):
    with pytest.raises(CommandError, match="Tanggal '15/02/2024' tidak dikenal: tulis TTTT-BB-HH"):
        deadlines("--election", "pemilu-2024", "--known", "15/02/2024")
