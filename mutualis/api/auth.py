"""`PageMapped`, a queryset paginated in SQL whose page alone is turned into dicts (the API's
authentication and `api_access` live in `core.api_auth`)."""


class PageMapped:
    """A queryset handed to ninja's pagination whose page is turned into dicts after slicing.

    Returning `[to_dict(x) for x in queryset]` builds every row the caller may see before the
    paginator keeps a page of them; this keeps the COUNT and the LIMIT in SQL and builds only the
    page: `return PageMapped(calls, _call_out)` from a `@paginate(LimitOffsetPagination)` view.
    `count`, when given, answers the paginator's count instead of the queryset's COUNT (a count
    kept by `core.versions`, say); `to_dict` may be None for a values() queryset.
    """

    def __init__(self, queryset, to_dict=None, *, count=None) -> None:
        self.queryset = queryset
        self.to_dict = to_dict
        self._count = count

    def all(self):  # the paginator counts with `.all().count()`
        return self

    def count(self) -> int:
        return self._count() if self._count is not None else self.queryset.count()

    def __getitem__(self, page: slice) -> list:
        rows = self.queryset[page]
        return list(rows) if self.to_dict is None else [self.to_dict(row) for row in rows]

    def __len__(self) -> int:
        return self.count()
