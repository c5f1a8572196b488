"""The one "get it for this user or 404" helper: the caller's rule decides, a miss and a refusal
look the same."""

import pytest
from django.http import Http404

from mutualis.accounts import perms
from mutualis.core.lookups import get_visible_or_404
from mutualis.membership.models import Membership
from mutualis.territory.models import Commune

pytestmark = pytest.mark.django_db


def test_check_rule_returns_the_object_the_user_may_see(odars_manager, odars):
    found = get_visible_or_404(
        Commune, odars_manager, check=perms.can_view_commune, insee_code=odars.insee_code
    )
    assert found == odars


def test_commune_manager_cannot_see_other_commune(labege_manager, odars):
    with pytest.raises(Http404):
        get_visible_or_404(
            Commune, labege_manager, check=perms.can_view_commune, insee_code=odars.insee_code
        )


def test_visible_rule_narrows_the_queryset(labege_manager, odars, labege):
    def of_own_communes(memberships, user):
        return memberships.filter(commune__in=perms.visible_communes(user))

    odars_membership = Membership.objects.filter(commune=odars).first()
    labege_membership = Membership.objects.filter(commune=labege).first()
    found = get_visible_or_404(
        Membership.objects.select_related("commune"),
        labege_manager,
        visible=of_own_communes,
        pk=labege_membership.pk,
    )
    assert found == labege_membership
    with pytest.raises(Http404):
        get_visible_or_404(
            Membership, labege_manager, visible=of_own_communes, pk=odars_membership.pk
        )


def test_a_missing_object_is_the_same_404(coordinator):
    with pytest.raises(Http404):
        get_visible_or_404(Commune, coordinator, check=perms.can_view_commune, insee_code="00000")


def test_a_lookup_without_a_rule_is_a_programming_error(coordinator, odars):
    with pytest.raises(TypeError):
        get_visible_or_404(Commune, coordinator, insee_code=odars.insee_code)
