"""PreparedCount: the ORM's SQL written once, the values bound on each call, the same answer as
the queryset's own count() on either database."""

import datetime

import pytest

from mutualis.core.prepared import DATE_PLACEHOLDER, ID_PLACEHOLDER, PreparedCount
from mutualis.territory.models import Commune


@pytest.mark.django_db
def test_a_prepared_count_equals_the_querysets_count_for_every_value():
    by_department = PreparedCount(
        lambda department, epci_id: Commune.objects.filter(
            department=department, epci_id=epci_id, is_active=True
        ),
        department="zz",
        epci_id=ID_PLACEHOLDER,
    )
    for commune in Commune.objects.all()[:5]:
        expected = Commune.objects.filter(
            department=commune.department, epci_id=commune.epci_id, is_active=True
        ).count()
        assert by_department(department=commune.department, epci_id=commune.epci_id) == expected
    assert by_department(department="00", epci_id=ID_PLACEHOLDER) == 0


@pytest.mark.django_db
def test_dates_are_bound_as_the_database_expects():
    from mutualis.membership.models import Membership

    started_before = PreparedCount(
        lambda day: Membership.objects.filter(start_date__lt=day), day=DATE_PLACEHOLDER
    )
    assert Membership.objects.exclude(start_date=None).exists()  # the demo's memberships
    for day in (datetime.date(2000, 1, 1), datetime.date(2024, 9, 2), datetime.date(2030, 1, 1)):
        assert started_before(day=day) == Membership.objects.filter(start_date__lt=day).count()


@pytest.mark.django_db
def test_a_placeholder_the_query_does_not_use_is_refused():
    count = PreparedCount(lambda unused: Commune.objects.all(), unused=ID_PLACEHOLDER)
    with pytest.raises(ValueError, match="placeholders not found"):
        count(unused=1)


@pytest.mark.django_db
def test_values_must_match_the_placeholders():
    count = PreparedCount(lambda a: Commune.objects.filter(pk=a), a=ID_PLACEHOLDER)
    with pytest.raises(TypeError):
        count(b=1)


def _same_instances(got, expected):
    assert [type(g) for g in got] == [type(e) for e in expected]
    for g, e in zip(got, expected, strict=True):
        for field in type(e)._meta.concrete_fields:
            assert getattr(g, field.attname) == getattr(e, field.attname), field.attname


@pytest.mark.django_db
def test_a_prepared_query_returns_the_instances_the_queryset_returns():
    from mutualis.core.prepared import PreparedQuery

    in_department = PreparedQuery(
        lambda department: Commune.objects.filter(department=department).order_by("-name")[:7],
        department="zz",
    )
    for department in ("31", "00"):
        expected = list(Commune.objects.filter(department=department).order_by("-name")[:7])
        got = in_department(department=department)
        _same_instances(got, expected)
        assert all(c._state.db == "default" and not c._state.adding for c in got)
    assert in_department.first(department="00") is None


@pytest.mark.django_db
def test_datetimes_json_and_booleans_come_back_as_python_values():
    """The ORM's converters run: SQLite stores datetimes as text and booleans as integers."""
    from django.utils import timezone

    from mutualis.core.models import AuditEvent
    from mutualis.core.prepared import DATETIME_PLACEHOLDER, PreparedQuery

    since = PreparedQuery(
        lambda at: AuditEvent.objects.filter(at__gte=at).order_by("pk"), at=DATETIME_PLACEHOLDER
    )
    AuditEvent.objects.create(action="test.prepared", summary="x", changes={"a": [1, "b"]})
    for moment in (timezone.now() - datetime.timedelta(days=3650), timezone.now()):
        expected = list(AuditEvent.objects.filter(at__gte=moment).order_by("pk"))
        got = since(at=moment)
        _same_instances(got, expected)
    event = since(at=timezone.now() - datetime.timedelta(hours=1))[-1]
    assert isinstance(event.at, datetime.datetime) and event.at.tzinfo is not None
    assert event.changes == {"a": [1, "b"]}

    active = PreparedQuery(
        lambda code: Commune.objects.filter(insee_code=code).only("is_active", "name"), code="zz"
    )
    commune = Commune.objects.first()
    (got,) = active(code=commune.insee_code)
    assert got.is_active is True and got.name == commune.name
    assert got.get_deferred_fields() >= {"department", "siren"}


@pytest.mark.django_db
def test_select_related_prefetch_and_values_come_back_as_the_queryset_gives_them(
    django_assert_num_queries,
):
    from django.db.models import Count

    from mutualis.core.prepared import PreparedQuery

    with_epci = PreparedQuery(
        lambda department: (
            Commune.objects.filter(department=department)
            .select_related("epci")
            .annotate(roles=Count("user_roles"))
            .order_by("insee_code")[:5]
        ),
        department="zz",
    )
    expected = list(
        Commune.objects.filter(department="31")
        .select_related("epci")
        .annotate(roles=Count("user_roles"))
        .order_by("insee_code")[:5]
    )
    with_epci(department="31")  # compiled on the first call
    with django_assert_num_queries(1):
        got = with_epci(department="31")
        assert [(c.epci.name, c.roles) for c in got] == [(c.epci.name, c.roles) for c in expected]
    _same_instances(got, expected)

    prefetched = PreparedQuery(
        lambda code: Commune.objects.filter(insee_code=code).prefetch_related("populations"),
        code="zz",
    )
    code = expected[0].insee_code
    vintages = [p.vintage for p in Commune.objects.get(insee_code=code).populations.all()]
    prefetched(code=code)
    with django_assert_num_queries(2):
        (commune,) = prefetched(code=code)
        assert [p.vintage for p in commune.populations.all()] == vintages

    names = PreparedQuery(
        lambda department: (
            Commune.objects.filter(department=department)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        department="zz",
    )
    assert names(department="31") == list(
        Commune.objects.filter(department="31").order_by("name").values_list("name", flat=True)
    )


@pytest.mark.django_db
def test_two_equal_placeholders_are_refused():
    count = PreparedCount(
        lambda a, b: Commune.objects.filter(pk=a, epci_id=b), a=ID_PLACEHOLDER, b=ID_PLACEHOLDER
    )
    with pytest.raises(ValueError, match="distinct values"):
        count(a=1, b=2)
    distinct = PreparedCount(
        lambda a, b: Commune.objects.filter(pk=a, epci_id=b), a=ID_PLACEHOLDER, b=ID_PLACEHOLDER - 1
    )
    commune = Commune.objects.exclude(epci=None).first()
    assert distinct(a=commune.pk, b=commune.epci_id) == 1
    assert distinct(a=commune.pk, b=-1) == 0


@pytest.mark.django_db
def test_a_prepared_count_drops_the_ordering_as_count_does_unless_sliced():
    ordered = PreparedCount(lambda: Commune.objects.order_by("-population_total", "name"))
    assert ordered() == Commune.objects.count()
    assert "ORDER BY" not in ordered._compiled["default"][-1]
    first_ten = PreparedCount(lambda: Commune.objects.order_by("-population_total")[:10])
    assert first_ten() == 10
    assert "ORDER BY" in first_ten._compiled["default"][-1]
