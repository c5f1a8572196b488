"""Membership forms refuse implausible dates (core.validators.validate_business_date)."""

import pytest

from mutualis.membership.forms import JoinBaseForm
from mutualis.membership.models import Deliberation


@pytest.mark.django_db
def test_the_membership_date_fields_refuse_an_implausible_date():
    form = JoinBaseForm({"on": "0001-01-01"}, deliberations=Deliberation.objects.none())
    assert not form.is_valid()
    assert form.errors["on"] == [
        "La date 0001-01-01 n'est pas plausible (attendue entre 01/01/2000 et 31/12/2100)."
    ]
