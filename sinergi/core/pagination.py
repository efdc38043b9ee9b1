"""API pagination with bounds: a page holds at most 1,000 rows and the offset stays in range."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
# Far above any real list (820,161 TPS nationally) and far below the database's integer range.
MAX_OFFSET = 100_000_000


class BoundedLimitOffset(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT, description=f"rows per page, at most {MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs):
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
