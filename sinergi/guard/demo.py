"""Demo formation and personnel for Polres Klungkung, Pemilu 2024.

The personnel figures are invented (not published) and set so that the plan shows what the tool
is for: Polsek Nusa Penida cannot cover its posts without reinforcements.
"""

from sinergi.accounts.models import Agency
from sinergi.elections.models import Election
from sinergi.guard.services import install_formation_preset, set_personnel

# Polsek slug -> (available police, reinforcements)
PERSONNEL = {
    "polsek-nusa-penida": (110, 20),
    "polsek-banjarangkan": (90, 0),
    "polsek-klungkung": (120, 0),
    "polsek-dawan": (80, 0),
}


def seed(election: Election) -> None:
    if election.slug != "pemilu-2024":
        return
    polres = Agency.objects.get(slug="polres-klungkung")
    install_formation_preset(actor=None, election=election, polres=polres, preset="polres-klungkung-pemilu-2024")
    for slug, (available, reinforcements) in PERSONNEL.items():
        set_personnel(actor=None, election=election, polsek=Agency.objects.get(slug=slug), available=available, reinforcements=reinforcements)


# -- Voting day (14 February 2024): posts fixed, officers assigned, check-ins -------------------

# Invented officer names; NRP made up from the post (never real numbers).
GIVEN = ("I Made", "I Ketut", "I Nyoman", "I Wayan", "I Putu", "I Komang", "I Gede", "Ni Luh")
FAMILY = ("Suarta", "Artawan", "Wirawan", "Sudarma", "Mahendra", "Santika", "Wijaya", "Astawa", "Parwata", "Sukadana")
# The two posts of Polsek Nusa Penida left empty at 07:00 (the highest numbers there): the
# shortage the personnel figures show, on the day.
EMPTY_POSTS = 2


def field_account(polsek: Agency):
    """The Polsek's demo field account (role field), which checks in at its posts."""
    from sinergi.accounts.demo import DEMO_PASSWORD
    from sinergi.accounts.models import User
    from sinergi.accounts.services import ensure_user

    username = "petugas-" + polsek.slug.removeprefix("polsek-")
    return ensure_user(
        actor=None, username=username, agency=polsek, role=User.Role.FIELD, full_name=f"Petugas lapangan {polsek.name} (demo)", password=DEMO_PASSWORD
    )


def field_accounts() -> list:
    """The demo's Polsek field accounts made by `seed_voting_day` (for the command's list)."""
    from sinergi.accounts.models import User

    return list(User.objects.filter(username__startswith="petugas-", role=User.Role.FIELD, agency__kind=Agency.Kind.POLSEK).order_by("username"))


def seed_voting_day(election: Election) -> int:
    """Fix the plan into posts, assign two officers per post, and check most posts in before 07:00
    WITA; two posts of Nusa Penida stay empty. Idempotent: posts with check-ins are left as they
    are. The number of check-ins made."""
    import uuid
    from datetime import datetime, time, timedelta
    from zoneinfo import ZoneInfo

    from sinergi.guard.models import GuardOfficer, GuardPost, PostCheckIn
    from sinergi.guard.post_services import assign_officers, check_in, fix_plan

    if election.slug != "pemilu-2024":
        return 0
    polres = Agency.objects.get(slug="polres-klungkung")
    fix_plan(actor=None, election=election, polres=polres, now=datetime(2024, 2, 10, 9, 0, tzinfo=ZoneInfo(election.time_zone)))
    posts = list(GuardPost.objects.filter(election=election, retired_at__isnull=True).select_related("polsek", "election").order_by("number"))
    accounts = {polsek.pk: field_account(polsek) for polsek in {p.polsek for p in posts}}
    staffed_posts = set(GuardOfficer.objects.filter(post__in=posts).values_list("post_id", flat=True))
    assignments = []
    for post in posts:
        if post.pk in staffed_posts:
            continue
        for n in range(2):
            name = f"{GIVEN[(post.number + n) % len(GIVEN)]} {FAMILY[(post.number * 3 + n) % len(FAMILY)]}"
            assignments.append((post, name, f"8{post.number:05d}{n}", accounts[post.polsek_id] if n == 0 else None))
    if assignments:
        assign_officers(actor=None, assignments=assignments)
    nusa_penida = [p for p in posts if p.polsek.slug == "polsek-nusa-penida"]
    empty = {p.pk for p in nusa_penida[-EMPTY_POSTS:]}
    done = set(PostCheckIn.objects.filter(post__in=posts).values_list("post_id", flat=True))
    tz = ZoneInfo(election.time_zone)
    first = datetime.combine(election.voting_date, time(5, 30), tzinfo=tz)
    made = 0
    for post in posts:
        if post.pk in empty or post.pk in done:
            continue
        at = first + timedelta(minutes=(post.number * 7) % 85)  # 05:30 to 06:54
        linmas = post.linmas - (1 if post.number % 9 == 0 else 0)
        check_in(
            actor=accounts[post.polsek_id],
            post=post,
            client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo-pos/{post.code}"),
            at=at,
            linmas_present=linmas,
            police_present=post.police,
        )
        made += 1
        if post.number % 10 == 0:
            check_in(
                actor=accounts[post.polsek_id], post=post, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"sinergi-demo-patroli/{post.code}"), kind=PostCheckIn.Kind.PATROL,
                at=at + timedelta(hours=4), notes="Patroli sekitar TPS: situasi aman dan kondusif (demo).",
            )  # fmt: skip
    return made
