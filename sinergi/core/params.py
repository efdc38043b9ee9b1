"""Reading query-string parameters safely."""


def text_param(request, name: str, *, max_length: int = 100) -> str:
    """A GET parameter as stripped text, without NUL characters (PostgreSQL refuses them in text)
    and cut to `max_length`: a filter value, never trusted as anything more."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]
