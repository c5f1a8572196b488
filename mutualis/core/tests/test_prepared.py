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
