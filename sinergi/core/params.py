"""Reading query-string parameters safely, and the bounds of numbers the API reads."""

from typing import Annotated

from pydantic import Field


def text_param(request, name: str, *, max_length: int = 100) -> str:
    """A GET parameter as stripped text, without NUL characters (PostgreSQL refuses them in text)
    and cut to `max_length`: a filter value, never trusted as anything more."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


# Bounds for numbers the API reads into the database: a row id fits a 64-bit integer column, a
# count an ordinary (32-bit) one. Beyond them the database itself would fail (a 500); the schema
# answers 422 instead and says so.
MAX_ID = 2**63 - 1
MAX_COUNT = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(le=MAX_COUNT)]
