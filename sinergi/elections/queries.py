"""Reads of elections."""

from django.db.models import QuerySet
from django.http import Http404

from sinergi.elections.models import Election


def all_elections() -> QuerySet[Election]:
    # Elections are public facts: every signed-in user may see the list.
    return Election.objects.all()


def election_by_slug(slug: str) -> Election:
    election = Election.objects.filter(slug=slug).first()
    if election is None:
        raise Http404("no such election")
    return election
