"""Police class: suggested by an explainable rule, set only by the police; intel notes police-only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sinergi.risk.classify import KHUSUS, KURANG_RAWAN, RAWAN, SANGAT_RAWAN, ClassRule, suggest
from sinergi.risk.models import StationClass
from sinergi.risk.queries import intel_notes_for, suggestions_for_stations
from sinergi.risk.services import add_intel_note, set_station_class, submit_checklist
from sinergi.stations.models import Station
from tests import personas

RULE = ClassRule(frozenset({"2.1", "2.2"}), frozenset({"6.6"}), rawan_min_variables=2, sangat_rawan_min_variables=2)
VARIABLE_OF = {"1.1": 1, "1.2": 1, "2.1": 2, "2.2": 2, "6.4": 6, "6.6": 6}


@pytest.mark.parametrize(
    ("codes", "special", "level"),
    [
        (set(), False, KURANG_RAWAN),
        ({"1.1", "1.2"}, False, KURANG_RAWAN),  # two indicators, one variable
        ({"1.1", "6.4"}, False, RAWAN),
        ({"2.2"}, False, RAWAN),
        ({"2.2", "1.1"}, False, SANGAT_RAWAN),
        ({"2.2", "1.1"}, True, KHUSUS),
        ({"6.6"}, False, KHUSUS),  # the special-location indicator
    ],
)
def test_the_rule(codes, special, level):
    assert suggest(codes, VARIABLE_OF, special_location=special, rule=RULE).level == level


def test_a_suggestion_names_what_drove_it():
    suggestion = suggest({"2.2", "1.1"}, VARIABLE_OF, special_location=False, rule=RULE)
    assert suggestion.driving_codes == ("1.1", "2.2")
    assert "Indikator berat ada: 2.2." in suggestion.reasons


@pytest.mark.django_db
def test_the_demo_has_four_sangat_rawan_tps_including_ped_17_and_18(pemilu):
    levels = StationClass.objects.filter(station__election=pemilu, level="sangat_rawan")
    assert levels.count() == 4
    ped = {c.station.number for c in levels.select_related("station") if c.station.village_id == "51.05.01.2010"}
    assert ped == {17, 18}
    assert levels.filter(station__village__code__startswith="51.05.02.").count() == 2


@pytest.mark.django_db
def test_only_the_police_set_a_class_and_an_override_needs_a_reason(user_of, pemilu):
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=1)
    suggested = suggestions_for_stations(pemilu, [station])[station.pk].level
    other = RAWAN if suggested != RAWAN else KURANG_RAWAN
    for username in (personas.BAWASLU, personas.KPU, personas.PTPS_PED):
        with pytest.raises(PermissionDenied):
            set_station_class(actor=user_of(username), station=station, level=other, reason="x")
    with pytest.raises(ValidationError, match="isi alasannya"):
        set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=station, level=other)
    set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=station, level=other, reason="Laporan Intelkam")
    assert StationClass.objects.get(station=station).level == other
    mainland = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").first()
    with pytest.raises(PermissionDenied):
        set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=mainland, level=RAWAN, reason="x")


@pytest.mark.django_db
def test_intel_notes_are_for_the_police_only(user_of, pemilu):
    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    add_intel_note(actor=user_of(personas.POLRES), station=station, text="Warga banjar berencana menghalangi 17 pemilih.")
    assert [n.text for n in intel_notes_for(user_of(personas.POLSEK_NUSA_PENIDA), station)] == ["Warga banjar berencana menghalangi 17 pemilih."]
    from sinergi.audit.models import AuditEvent

    event = AuditEvent.objects.filter(action="intel_note.create").latest("id")
    assert event.changes == {} and not any("menghalangi" in str(changes) for changes in AuditEvent.objects.values_list("changes", flat=True))
    for username in (personas.BAWASLU, personas.PANWASCAM_NUSA_PENIDA, personas.KPU, personas.JAKSA):
        with pytest.raises(PermissionDenied):
            intel_notes_for(user_of(username), station)
        with pytest.raises(PermissionDenied):
            add_intel_note(actor=user_of(username), station=station, text="x")


def test_the_special_location_indicator_drives_khusus():
    suggestion = suggest({"6.6", "2.2", "1.1"}, VARIABLE_OF, special_location=False, rule=RULE)
    assert (suggestion.level, suggestion.driving_codes) == (KHUSUS, ("6.6",))
    assert suggestion.reasons == ("Indikator lokasi khusus ada: 6.6.",)


@pytest.mark.django_db
def test_the_presets_know_their_special_location_indicator(pemilu, pilkada):
    from sinergi.risk.queries import rules_for

    assert rules_for(pemilu).special_codes == ["6.6"] and rules_for(pilkada).special_codes == ["7.7"]
    station = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").first()
    submit_checklist(actor=None, station=station, answers={"6.6": (True, "Rumah sakit")})
    assert suggestions_for_stations(pemilu, [station])[station.pk].level == KHUSUS


@pytest.mark.django_db
def test_a_confirmation_by_another_officer_is_audited_a_repeat_is_not(user_of, pemilu):
    from sinergi.audit.models import AuditEvent

    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=2)
    level = suggestions_for_stations(pemilu, [station])[station.pk].level

    def events():
        return list(AuditEvent.objects.filter(action="police_class.set", object_id=str(station.pk)).order_by("id"))

    before = len(events())
    set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=station, level=level)
    set_station_class(actor=user_of(personas.POLSEK_NUSA_PENIDA), station=station, level=level)
    set_station_class(actor=user_of(personas.POLRES), station=station, level=level)
    added = events()[before:]
    assert [e.actor_username for e in added] == [personas.POLSEK_NUSA_PENIDA, personas.POLRES]
    assert "oleh" in added[1].changes and "level" not in added[1].changes


@pytest.mark.django_db
def test_the_class_is_shared_with_bawaslu_not_with_kpu(user_of, client_of, pemilu):
    from sinergi.risk.queries import classes_for

    station = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=3)
    set_station_class(actor=user_of(personas.POLRES), station=station, level=KHUSUS, reason="Dekat lapas")
    assert classes_for(user_of(personas.BAWASLU), pemilu)[station.pk] == (KHUSUS, "polisi")
    page = client_of(personas.BAWASLU).get(f"/pemilihan/pemilu-2024/tps/{station.pk}/rawan/")
    assert "Dekat lapas" in page.text and 'data-testid="police-class"' in page.text
    with pytest.raises(PermissionDenied):
        classes_for(user_of(personas.KPU), pemilu)
    kpu = client_of(personas.KPU)
    assert 'data-testid="police-class"' not in kpu.get(f"/pemilihan/pemilu-2024/tps/{station.pk}/rawan/").text
    layer = kpu.get("/pemilihan/pemilu-2024/rawan/peta.json").json()
    assert len(layer) == 649 and all("level" not in entry for entry in layer.values())
    assert kpu.get("/pemilihan/pemilu-2024/rawan/kelas/").status_code == 403
    assert 'value="level"' not in kpu.get("/pemilihan/pemilu-2024/peta/").text
    assert 'value="level"' in client_of(personas.BAWASLU).get("/pemilihan/pemilu-2024/peta/").text


@pytest.mark.django_db
def test_the_polres_reviews_and_confirms_every_suggestion(user_of, client_of, pemilu):
    StationClass.objects.filter(station__election=pemilu, station__village__code__startswith="51.05.03.").delete()
    polres = client_of(personas.POLRES)
    page = polres.get("/pemilihan/pemilu-2024/rawan/kelas/?tampil=belum")
    unconfirmed = Station.objects.filter(election=pemilu, village__code__startswith="51.05.03.").count()
    assert page.status_code == 200 and len(page.context["rows"]) == min(unconfirmed, 100)
    assert page.context["unconfirmed"] == unconfirmed
    assert client_of(personas.BAWASLU).post("/pemilihan/pemilu-2024/rawan/kelas/").status_code == 403
    done = polres.post("/pemilihan/pemilu-2024/rawan/kelas/", {"confirm": "1"}, follow=True)
    assert f"{unconfirmed} TPS dikonfirmasi sesuai saran sistem." in done.text
    assert not Station.objects.filter(election=pemilu, police_class__isnull=True).exists()


@pytest.mark.django_db
def test_rules_are_changed_by_their_owner_validated_and_audited(user_of, pemilu):
    from sinergi.audit.models import AuditEvent
    from sinergi.risk.queries import release_for, rules_for
    from sinergi.risk.services import set_rules

    with pytest.raises(PermissionDenied):
        set_rules(actor=user_of(personas.BAWASLU), election=pemilu, severe_codes=["2.1"])
    with pytest.raises(PermissionDenied):
        set_rules(actor=user_of(personas.POLRES), election=pemilu, top_group_size=3)
    from sinergi.accounts.models import Agency
    from sinergi.accounts.services import ensure_user

    bawaslu = Agency.objects.get(kind=Agency.Kind.BAWASLU)
    one_kecamatan = ensure_user(actor=None, username="bawaslu-np", agency=bawaslu, role="staff", full_name="Staf NP", password="x" * 12, area_code="51.05.01")
    with pytest.raises(PermissionDenied, match="seluruh TPS"):
        set_rules(actor=one_kecamatan, election=pemilu, top_group_size=3)
    with pytest.raises(ValidationError, match="Kode indikator tidak dikenal untuk Pemilu 2024: 9.9"):
        set_rules(actor=user_of(personas.POLRES), election=pemilu, severe_codes=["2.2", "9.9"])
    set_rules(actor=user_of(personas.BAWASLU), election=pemilu, top_group_size=3)
    assert rules_for(pemilu).top_group_size == 3
    assert max(e.rank for e in release_for(user_of(personas.BAWASLU), pemilu).indicators if e.group == "paling banyak terjadi") <= 3
    set_rules(actor=user_of(personas.POLRES), election=pemilu, severe_codes=["2.1"])
    event = AuditEvent.objects.filter(action="risk_rules.save").latest("id")
    assert event.changes == {"severe_codes": [["2.1", "2.2"], ["2.1"]]} and event.actor_username == personas.POLRES
    ped17 = Station.objects.get(election=pemilu, village_id="51.05.01.2010", number=17)
    assert suggestions_for_stations(pemilu, [ped17])[ped17.pk].level != SANGAT_RAWAN  # 2.2 no longer severe


@pytest.mark.django_db
def test_the_rules_command_shows_and_changes(pemilu):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("risk_rules", "--election", "pemilu-2024", "--middle", "4", "--special", "6.6,6.5", stdout=out)
    assert "middle_group_size: 4" in out.getvalue() and "special_codes: 6.5, 6.6" in out.getvalue()
    with pytest.raises(CommandError, match="antara 1 dan 20"):
        call_command("risk_rules", "--election", "pemilu-2024", "--rawan-min", "0")


@pytest.mark.django_db
def test_the_rules_page(client_of):
    bawaslu = client_of(personas.BAWASLU)
    page = bawaslu.get("/pemilihan/pemilu-2024/rawan/aturan/")
    assert page.status_code == 200 and "Simpan kelompok" in page.text and "Simpan aturan kelas" not in page.text
    saved = bawaslu.post("/pemilihan/pemilu-2024/rawan/aturan/", {"save_release": "1", "rilis-top_group_size": "4", "rilis-middle_group_size": "6"}, follow=True)
    assert "Aturan disimpan." in saved.text and "Peringkat 1 s.d. 4" in saved.text
    assert bawaslu.post("/pemilihan/pemilu-2024/rawan/aturan/", {"save_class": "1", "kelas-rawan_min_variables": "3"}).status_code == 403
    polres = client_of(personas.POLRES)
    bad = polres.post(
        "/pemilihan/pemilu-2024/rawan/aturan/",
        {"save_class": "1", "kelas-severe_codes": ["2.2"], "kelas-rawan_min_variables": "0", "kelas-sangat_rawan_min_variables": "2"},
    )
    assert bad.status_code == 400 and "antara 1 dan 20" in bad.text
