"""The programme in force and its current version, read together in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutualis.programme.models import Programme, ProgrammeVersion


@pytest.mark.django_db
def test_the_programme_in_force_comes_with_its_current_version_in_one_query():
    expected = Programme.objects.order_by("-created_at").first()
    with CaptureQueriesContext(connection) as queries:
        programme = Programme.objects.current()
        version = programme.spec_version
        assert programme.spec.programme.epci_sirens  # the parsed file, no further read
    assert len(queries) == 1
    assert programme == expected
    assert version == ProgrammeVersion.objects.filter(programme=expected).order_by("-number")[0]


@pytest.mark.django_db
def test_a_newer_programme_without_a_version_yet_is_still_the_one_in_force():
    newer = Programme.objects.create(slug="sans-version", name="Sans version")
    assert Programme.objects.current() == newer
