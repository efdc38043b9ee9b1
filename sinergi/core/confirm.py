"""Bulk and irreversible actions ask first, on the server (not only a script's confirm()).

A POST without `confirm=1` changes nothing: the view answers with `ask(...)`, a page saying what
will happen and to how many rows, whose form repeats the same POST with `confirm=1`. A tap on a
button, a double submit or a replayed request without the field therefore never writes in bulk.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM = "confirm"


def is_confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRM) == "1"


def ask(request: HttpRequest, *, election, title: str, message: str, count: int, back: str, extra: dict | None = None) -> HttpResponse:
    """The confirmation page: `message` says what will be done to `count` rows; `back` is where
    "Batal" leads. The POST's fields are carried over as hidden inputs (files are not: an import
    keeps its file on the server, see stations/views.py)."""
    fields = [(name, value) for name in request.POST if name not in ("csrfmiddlewaretoken", CONFIRM) for value in request.POST.getlist(name)]
    fields += list((extra or {}).items())
    context = {"election": election, "title": title, "message": message, "count": count, "back": back, "fields": fields, "action": request.get_full_path()}
    return render(request, "confirm.html", context)
