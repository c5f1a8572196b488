"""The API's pagination: `limit` and `offset` within bounds, counted and sliced in SQL, and the
rows of the page alone turned into what the endpoint answers.

    @paginate(LimitOffset, rows=_call_out)
    def list_calls(request):
        return Call.objects.filter(...)  # a queryset: COUNT and LIMIT/OFFSET run in the database
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import PaginationBase

DEFAULT_LIMIT = 100
MAX_LIMIT = 100
# Far beyond any list of the service (France has 35,000 communes), far below what a database
# integer holds: a larger offset answers 422 rather than an overflow in the driver.
MAX_OFFSET = 1_000_000


class LimitOffset(PaginationBase):
    """ninja's limit/offset pagination with bounds checked before any query, and `rows`, a
    function applied to each row of the page (after the SQL LIMIT) to build the answer."""

    class Input(Schema):
        # The bounds are checked by the pagination (a French message naming them), and stated
        # here for the OpenAPI description only.
        limit: int = Field(DEFAULT_LIMIT, json_schema_extra={"minimum": 1, "maximum": MAX_LIMIT})
        offset: int = Field(0, json_schema_extra={"minimum": 0, "maximum": MAX_OFFSET})

    class Output(Schema):
        items: list[Any]
        count: int

    def __init__(self, *, rows: Callable[[Any], Any] | None = None, **kwargs: Any) -> None:
        self.rows = rows
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset, pagination: Input, request, **params: Any) -> dict:
        limit, offset = pagination.limit, pagination.offset
        if not 1 <= limit <= MAX_LIMIT:
            raise HttpError(
                422,
                _("Le paramètre limit doit être compris entre 1 et %(max)d.") % {"max": MAX_LIMIT},
            )
        if not 0 <= offset <= MAX_OFFSET:
            raise HttpError(
                422,
                _("Le paramètre offset doit être compris entre 0 et %(max)d.")
                % {"max": MAX_OFFSET},
            )
        page = list(queryset[offset : offset + limit])
        count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        return {
            "items": page if self.rows is None else [self.rows(row) for row in page],
            "count": count,
        }
