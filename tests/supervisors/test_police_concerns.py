"""The police read the Form A answers that need attention (checklists.CONCERNS) and the answers
Bawaslu marks as security-relevant, which an election file carries (issue 15, item 1; the reads
themselves are in test_police_read.py)."""

import copy
import uuid

import pytest

from sinergi.supervisors.checklists import CONCERNS, SECURITY, forget_checklists
from sinergi.supervisors.models import Question
from sinergi.supervisors.reports import submit_report
from tests import personas
from tests.supervisors.police import BANJARANGKAN, BOARD, DAWAN, NARRATIVE, POLICE, SLUG, at, first_tps_of, mark_for_police, status_url


@pytest.mark.django_db
def test_an_election_file_carries_the_security_mark(tmp_path, pemilu, user_of):
    """`kepolisian` in an election file sets the mark; without it, the preset's choice by code; a
    dump of an election (`--from-election`) carries Bawaslu's marks over."""
    import json
    from pathlib import Path

    from sinergi.elections.definition import DefinitionRejected
    from sinergi.elections.fileformat import parse, to_document
    from sinergi.elections.setup import VOCABULARY, definition_of
    from tests.elections.test_election_file import create_from

    document = json.loads((Path(__file__).resolve().parents[2] / "docs" / "examples" / "election.json").read_text(encoding="utf-8"))
    rows = [row for stage_rows in document["daftar_periksa"].values() for row in stage_rows]
    rows[0]["kepolisian"], rows[0]["perhatian"] = True, True  # kotak_tersegel, the other way round
    rows[1]["kepolisian"] = False
    assert create_from(tmp_path, document)[1] == ""
    stored = {
        code: (security, concern)
        for code, security, concern in Question.objects.filter(election__slug=document["kode"]).values_list("code", "security", "concern")
    }
    assert stored[rows[0]["kode"]] == (True, True) and stored[rows[1]["kode"]] == (False, None)
    assert all(stored[row["kode"]] == (row["kode"] in SECURITY, CONCERNS.get(row["kode"])) for row in rows[2:])

    for bad, message in [
        ({"kepolisian": "ya"}, r"\.kepolisian: isi true atau false"),
        ({"kepolisian": False, "perhatian": True}, r"\.perhatian: hanya untuk pertanyaan ya_tidak"),
    ]:
        wrong = copy.deepcopy(document)
        next(iter(wrong["daftar_periksa"].values()))[0].update(bad)
        with pytest.raises(DefinitionRejected, match=message):
            parse(wrong, VOCABULARY)

    posted = Question.objects.get(election=pemilu, code="dpt_ditempel")
    mark_for_police(user_of(personas.BAWASLU), posted)
    dumped = to_document(definition_of(pemilu))
    assert {row["kode"]: row.get("perhatian") for rows in dumped["daftar_periksa"].values() for row in rows} == {
        code: CONCERNS.get(code) for code in Question.objects.filter(election=pemilu).values_list("code", flat=True)
    }
    assert {row["kode"]: row["kepolisian"] for rows in dumped["daftar_periksa"].values() for row in rows} == {
        **{code: code in SECURITY for code in dict.fromkeys(Question.objects.filter(election=pemilu).values_list("code", flat=True))},
        "dpt_ditempel": True,
    }


def test_who_holds_the_voting_day_read():
    """Exactly Bawaslu's levels (who read reports in full) and the police, the province and national
    bodies of both included; no field account, and the police never the full read, the roster or
    personal data."""
    from sinergi.accounts.models import User
    from sinergi.accounts.permissions import GRANTS, Perm

    holders = {(kind, role) for (kind, role), perms in GRANTS.items() if Perm.VIEW_VOTING_DAY in perms}
    staff = (User.Role.ADMIN, User.Role.STAFF)
    kinds = ("bawaslu", "panwascam", "pkd", "polres", "polsek", "bawaslu_provinsi", "bawaslu_ri", "polda", "polri")
    assert holders == {(kind, role) for kind in kinds for role in staff}
    for kind in ("polres", "polsek", "polda", "polri"):
        for role in staff:
            granted = GRANTS[kind, role]
            assert not granted & {Perm.VIEW_REPORTS, Perm.FILE_REPORTS, Perm.VIEW_SUPERVISORS, Perm.VIEW_PERSONAL_DATA, Perm.MANAGE_SUPERVISORS}, (kind, role)


@pytest.mark.django_db
@pytest.mark.parametrize("username", [*POLICE, personas.BAWASLU])
def test_the_board_lists_the_answers_that_need_attention(client_of, pemilu, reported17, username):
    """Ped TPS 17 said its ballot box was not sealed: on the board of everyone whose area holds it,
    linked to the TPS's voting-day page; the demo's other reports need none."""
    page = client_of(username).get(BOARD)
    concerns = page.context["coverage"].concerns
    sealed = Question.objects.get(election=pemilu, code="kotak_tersegel")
    assert [(c.station_id, c.station, c.question, c.answer) for c in concerns] == [(reported17.pk, str(reported17), sealed.text, "Tidak")]
    listed = page.text.split('data-testid="concerns"')[1].split("</section>")[0]
    assert status_url(reported17) in listed and NARRATIVE not in listed
    assert client_of(personas.POLSEK_NUSA_PENIDA).get(BOARD, {"tahap": "pemungutan"}).context["coverage"].concerns == []


@pytest.mark.django_db
def test_the_board_does_not_list_another_kecamatans_concerns(client_of, pemilu, np_guards_dawan):
    dawan, banjarangkan = first_tps_of(pemilu, DAWAN), first_tps_of(pemilu, BANJARANGKAN)
    answers = {"dibuka_tepat_waktu": True, "saksi_hadir": 2, "pemilih_tidak_berhak": False, "intimidasi": True}
    for station in (dawan, banjarangkan):
        submit_report(actor=None, station=station, stage="pemungutan", client_id=uuid.uuid4(), answers=answers, narrative="", observed_at=at(pemilu, "12:00"))
    polsek = {c.station_id for c in client_of(personas.POLSEK_NUSA_PENIDA).get(BOARD, {"tahap": "pemungutan"}).context["coverage"].concerns}
    polres = {c.station_id for c in client_of(personas.POLRES).get(BOARD, {"tahap": "pemungutan"}).context["coverage"].concerns}
    assert polsek == {dawan.pk} and polres == {dawan.pk, banjarangkan.pk}


@pytest.mark.django_db
def test_bawaslu_sets_the_answer_that_needs_attention(client_of, pemilu, reported17):
    client = client_of(personas.BAWASLU)
    url = f"/pemilihan/{SLUG}/pengawasan/daftar-periksa/"
    posted = Question.objects.get(election=pemilu, code="dpt_ditempel")
    form = {
        "stage": "persiapan",
        "code": "dpt_ditempel",
        "text": posted.text,
        "kind": "ya_tidak",
        "order": posted.order,
        "required": "on",
        "security": "on",
        "concern": "ya",
    }
    assert client.post(url, form).status_code == 302
    assert (Question.objects.get(pk=posted.pk).security, Question.objects.get(pk=posted.pk).concern) == (True, True)
    forget_checklists()
    concerns = client.get(BOARD).context["coverage"].concerns
    assert (reported17.pk, posted.text, "Ya") in [(c.station_id, c.question, c.answer) for c in concerns]
    # Only for a yes/no question the police read.
    refused = client.post(url, {**form, "security": ""})
    assert refused.status_code == 400 and "hanya untuk pertanyaan ya/tidak" in refused.text
    assert Question.objects.get(pk=posted.pk).concern is True
    # Unmarked for the police, the concern goes with it.
    client.post(url, {**form, "security": "", "concern": ""})
    assert (Question.objects.get(pk=posted.pk).security, Question.objects.get(pk=posted.pk).concern) == (False, None)


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "shown"), [(personas.POLRES, True), (personas.POLSEK_NUSA_PENIDA, True), (personas.BAWASLU, True), (personas.KPU, False)])
def test_the_situation_room_warns_of_an_answer_that_needs_attention(client_of, pemilu, reported17, username, shown):
    situation = client_of(username).get(f"/pemilihan/{SLUG}/situasi/terkini/").context["situation"]
    warned = [a for a in situation.alerts if a.title.startswith("Perlu perhatian")]
    assert bool(warned) == shown
    if shown:
        assert [(a.level, a.url) for a in warned] == [("warning", status_url(reported17))]
        assert "TPS 017 Ped" in warned[0].title and "Tidak" in warned[0].title
