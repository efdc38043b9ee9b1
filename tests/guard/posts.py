"""What the guard-post tests share (test_posts.py, test_post_check_ins.py): voting-day times in
WITA and the posts of one Polsek; their fixtures (`polres`, `fixed`, `kapolsek`, `other_kapolsek`)
are in conftest.py."""

from datetime import datetime
from zoneinfo import ZoneInfo

WITA = ZoneInfo("Asia/Makassar")


def wita(hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 2, 14, hour, minute, tzinfo=WITA)


def of(posts, slug):
    return [p for p in posts if p.polsek.slug == slug]
