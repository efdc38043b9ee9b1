"""The demo meeting (idempotent, found again by its region, start and title):

In January 2024 Bawaslu Kabupaten Klungkung held an audience and coordination meeting with the
Klungkung police chief at Mapolres Klungkung, on 16 January 2024, ahead of the Pemilu (voting
on 14 February 2024) and the Pilkada (voting on 27 November 2024). The date, place, agencies and
the four subjects of the action items are those of the issue; the hour, the wording of the
minutes and decisions, the statuses and the follow-up notes are demo text, marked as such.

Due dates: the PTPS inauguration on its day (22 January); the logistics escort and the Nusa
Penida monitoring by H-1, 13 February; security "until the Pilkada ends" on the Pilkada's voting
day, 27 November 2024, the last fixed date of that stage (the end of the Pilkada after its
results has no date known in advance; the Polres keeps the item in progress until it closes it).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sinergi.accounts.models import Agency, User
from sinergi.coordination.models import ActionItem, Meeting
from sinergi.coordination.services import record_meeting, update_action_item
from sinergi.elections.models import Election

WITA = ZoneInfo("Asia/Makassar")
KLUNGKUNG = "51.05"
TITLE = "Audiensi dan koordinasi Bawaslu Kabupaten Klungkung dengan Kapolres Klungkung"
STARTS_AT = datetime(2024, 1, 16, 10, 0, tzinfo=WITA)  # the hour is demo text

MINUTES = (
    "[Teks demo, bukan notulen resmi.]\n\n"
    "Bawaslu Kabupaten Klungkung beraudiensi dengan Kapolres Klungkung di Mapolres Klungkung untuk "
    "berkoordinasi tentang pengawasan dan pengamanan Pemilu 2024 (pemungutan suara 14 Februari 2024) "
    "dan Pilkada 2024 (pemungutan suara 27 November 2024).\n\n"
    "Pokok bahasan: pelantikan Pengawas TPS (PTPS) pada 22 Januari 2024; pengawalan logistik dari gudang "
    "KPU Kabupaten Klungkung ke setiap TPS, dimulai dari Nusa Penida; pemantauan TPS di Kecamatan Nusa "
    "Penida sebelum hari pemungutan suara; pengamanan sampai tahapan Pilkada selesai."
)
DECISIONS = [
    "Pelantikan PTPS se-Kabupaten Klungkung dilaksanakan pada 22 Januari 2024. [Demo]",
    "Logistik dikawal dari gudang KPU Kabupaten Klungkung sampai ke setiap TPS, dimulai dari Nusa Penida. [Demo]",
    "TPS di Kecamatan Nusa Penida dipantau sebelum hari pemungutan suara. [Demo]",
    "Koordinasi pengamanan berlanjut sampai tahapan Pilkada 2024 selesai. [Demo]",
]


def seed() -> int:
    """The demo meeting of Pemilu 2024 with its follow-ups; 1 when written now, 0 when it was
    there already (or the demo's election, agencies or personas are missing)."""
    election = Election.objects.filter(slug="pemilu-2024").first()
    agencies = {a.slug: a for a in Agency.objects.filter(slug__in=["bawaslu-klungkung", "polres-klungkung"])}
    users = {u.username: u for u in User.objects.filter(username__in=["bawaslu", "polres"]).select_related("agency")}
    if election is None or len(agencies) < 2 or len(users) < 2:
        return 0
    if Meeting.objects.filter(region_id=KLUNGKUNG, starts_at=STARTS_AT, title=TITLE).exists():
        return 0
    bawaslu, polres = agencies["bawaslu-klungkung"], agencies["polres-klungkung"]
    meeting = record_meeting(
        actor=users["bawaslu"],
        election=election,
        kind=Meeting.Kind.AUDIENCE,
        title=TITLE,
        starts_at=STARTS_AT,
        place="Mapolres Klungkung",
        region_code=KLUNGKUNG,
        agencies=[bawaslu, polres],
        minutes=MINUTES,
        decisions=DECISIONS,
        action_items=[
            {"title": "Pelantikan PTPS", "owner": bawaslu, "due_on": date(2024, 1, 22), "decision": 1},
            {
                "title": "Pengawalan logistik dari gudang KPU ke setiap TPS, Nusa Penida lebih dahulu",
                "owner": polres,
                "due_on": date(2024, 2, 13),
                "decision": 2,
                "description": "Selesai paling lambat H-1 pemungutan suara.",
            },
            {
                "title": "Pemantauan TPS di Nusa Penida sebelum hari pemungutan suara",
                "owner": polres,
                "due_on": date(2024, 2, 13),
                "decision": 3,
                "description": "Polres Klungkung bersama Bawaslu Kabupaten Klungkung.",
            },
            {
                "title": "Pengamanan sampai Pilkada 2024 selesai",
                "owner": polres,
                "due_on": date(2024, 11, 27),
                "decision": 4,
                "description": "Batas waktu: hari pemungutan suara Pilkada; tetap berjalan sampai tahapan Pilkada ditutup.",
            },
        ],
    )
    items = {item.decision.order: item for item in ActionItem.objects.filter(meeting=meeting).select_related("meeting__election", "decision")}
    update_action_item(
        actor=users["bawaslu"], item=items[1], status=ActionItem.Status.DONE, done_on=date(2024, 1, 22),
        note="Status contoh (demo): pelantikan PTPS dicatat selesai pada 22 Januari 2024.", at=datetime(2024, 1, 22, 16, 0, tzinfo=WITA),
    )  # fmt: skip
    update_action_item(
        actor=users["polres"], item=items[2], status=ActionItem.Status.IN_PROGRESS,
        note="Status contoh (demo): pengawalan disusun bersama rencana distribusi di halaman Logistik.", at=datetime(2024, 2, 5, 9, 0, tzinfo=WITA),
    )  # fmt: skip
    update_action_item(
        actor=users["polres"], item=items[4], status=ActionItem.Status.IN_PROGRESS,
        note="Status contoh (demo): berjalan sampai tahapan Pilkada 2024 selesai.", at=datetime(2024, 2, 5, 9, 5, tzinfo=WITA),
    )  # fmt: skip
    return 1
