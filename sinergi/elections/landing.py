"""Which election a user lands on (the home page): pure, fed each election's span of days."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Span:
    """An election's calendar: its first stage's first day to its last stage's last day (its voting
    day alone when it has no stages); `has_data`: it has TPS in the user's area."""

    slug: str
    first_day: date
    last_day: date
    has_data: bool = True


def landing_election(spans: list[Span], today: date) -> str | None:
    """The slug of the election to open on `today` (a local date), or None when there is none.

    Among the elections with data in the user's area (all of them when none has any): the one in
    progress (today within its span; of several, the one ending first), else the next to start,
    else the one that ended last. Ties go to the smaller slug, so the answer never depends on order.
    """
    candidates = [span for span in spans if span.has_data] or list(spans)
    if not candidates:
        return None
    current = [span for span in candidates if span.first_day <= today <= span.last_day]
    if current:
        return min(current, key=lambda span: (span.last_day, span.slug)).slug
    upcoming = [span for span in candidates if span.first_day > today]
    if upcoming:
        return min(upcoming, key=lambda span: (span.first_day, span.slug)).slug
    return max(sorted(candidates, key=lambda span: span.slug), key=lambda span: span.last_day).slug  # max keeps the first of equals
