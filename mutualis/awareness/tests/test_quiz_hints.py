"""A quiz question says « (plusieurs réponses possibles) » once, even when its text already does."""

import pytest
from django.urls import reverse

from mutualis.awareness.models import AwarenessModule

pytestmark = pytest.mark.django_db


def test_multiple_choice_hint_is_not_repeated(client, odars_agent):
    module = AwarenessModule.objects.select_related("current_version").get(slug="updates")
    quiz = module.current_version.content.quiz
    multiple = [q for q in quiz if q.kind == "multiple"]
    client.force_login(odars_agent)

    url = reverse("awareness:step", args=["updates", len(module.current_version.steps())])
    page = client.get(url).content.decode()

    assert page.count("(plusieurs réponses possibles)") == len(multiple)
