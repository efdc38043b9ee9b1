"""Matching a freshly computed guard plan against the posts already fixed. No Django import.

A post keeps its identity (its code, its officers, its check-ins) across a re-fix when the plan
still has a post over exactly the same TPS (guarded by the same Polsek: the caller's keys say so); only its number, class, police and Linmas may change.
A post whose TPS changed is a new post: the old one is retired, never deleted (docs/risk-and-guard.md,
"Voting-day posts").
"""

from collections.abc import Iterable
from dataclasses import dataclass, field


def station_key(station_ids: Iterable[int]) -> str:
    """The identity of a post's TPS set: the ids, sorted, joined by commas."""
    return ",".join(str(sid) for sid in sorted(set(station_ids)))


@dataclass
class Matching:
    kept: dict[int, int] = field(default_factory=dict)  # planned index -> fixed post id
    new: list[int] = field(default_factory=list)  # planned indexes with no fixed post
    retired: list[int] = field(default_factory=list)  # fixed post ids the plan no longer has


def match(fixed: dict[int, str], planned: list[str]) -> Matching:
    """`fixed`: post id -> station key of the posts in force; `planned`: the new plan's station
    keys, in plan order. Every planned key is either kept (same key) or new; every fixed post not
    kept is retired. A key planned twice (impossible from the planner) is kept once."""
    by_key = {key: pid for pid, key in fixed.items()}
    result = Matching()
    for index, key in enumerate(planned):
        pid = by_key.pop(key, None)
        if pid is None:
            result.new.append(index)
        else:
            result.kept[index] = pid
    result.retired = sorted(by_key.values())
    return result


def next_codes(prefix: str, used: Iterable[str], count: int) -> list[str]:
    """`count` fresh post codes `PREFIX/NNN` after the highest number already used under `prefix`
    (codes are never reused, also those of retired posts)."""
    highest = 0
    for code in used:
        head, _, tail = code.rpartition("/")
        if head == prefix and tail.isdigit():
            highest = max(highest, int(tail))
    return [f"{prefix}/{n:03d}" for n in range(highest + 1, highest + 1 + count)]
