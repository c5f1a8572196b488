"""The API's pagination: bounded limit and offset (422 with the bound, never a 500), the count and
the slice in SQL, and rows built for the page alone."""

import pytest
from django.test import RequestFactory

from mutualis.core.pagination import MAX_LIMIT, MAX_OFFSET, LimitOffset
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_only_the_pages_rows_are_built_after_a_count_and_a_slice_in_sql(django_assert_num_queries):
    built = []

    def to_dict(commune):
        built.append(commune.insee_code)
        return {"insee_code": commune.insee_code}

    communes = Commune.objects.order_by("insee_code")
    pagination = LimitOffset(rows=to_dict)
    with django_assert_num_queries(2):  # the page's rows, then COUNT(*)
        page = pagination.paginate_queryset(
            communes, LimitOffset.Input(limit=2, offset=3), RequestFactory().get("/")
        )
    expected = list(communes.values_list("insee_code", flat=True)[3:5])
    assert page == {"items": [{"insee_code": c} for c in expected], "count": 36}
    assert built == expected


@pytest.mark.parametrize(
    ("query", "bound"),
    [
        ("offset=9223372036854775808", f"entre 0 et {MAX_OFFSET}"),  # 2**63: a 500 before
        (f"offset={MAX_OFFSET + 1}", f"entre 0 et {MAX_OFFSET}"),
        ("offset=-1", f"entre 0 et {MAX_OFFSET}"),
        ("limit=0", f"entre 1 et {MAX_LIMIT}"),
        (f"limit={MAX_LIMIT + 1}", f"entre 1 et {MAX_LIMIT}"),
        ("limit=99999999999999999999999", f"entre 1 et {MAX_LIMIT}"),
    ],
)
@pytest.mark.parametrize("path", ["/api/communes", "/api/contributions/calls"])
def test_limit_or_offset_out_of_bounds_answers_422_naming_the_bound(
    client, coordinator, path, query, bound
):
    client.force_login(coordinator)
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert bound in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/communes", "/api/contributions/calls"])
def test_the_bounds_themselves_are_accepted(client, coordinator, path):
    client.force_login(coordinator)
    assert client.get(f"{path}?limit={MAX_LIMIT}&offset={MAX_OFFSET}").json()["items"] == []
    assert len(client.get(f"{path}?limit=1&offset=0").json()["items"]) == 1


def test_the_openapi_description_states_the_bounds(client):
    schema = client.get("/api/openapi.json").json()
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/communes"]["get"]["parameters"]
    }
    assert parameters["limit"]["maximum"] == MAX_LIMIT
    assert parameters["offset"]["maximum"] == MAX_OFFSET
