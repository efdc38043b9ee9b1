from sinergi.elections.queries import all_elections


def elections(request):
    """The election list for the header's selector (signed-in pages only)."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"all_elections": all_elections()}
