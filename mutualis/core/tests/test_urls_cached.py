"""URLs reversed once per process (core.urls_cached, `{% cached_url %}`): the same answer as
reverse() and `{% url %}`, and a different one when an input changes (arguments, script prefix)."""

from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from mutualis.core.urls_cached import cached_reverse


def test_it_answers_as_reverse_for_every_name_and_arguments():
    assert cached_reverse("home") == reverse("home")
    for code in ("31402", "31254"):
        assert cached_reverse("dashboards:commune", code) == reverse(
            "dashboards:commune", args=[code]
        )
    assert cached_reverse("membership:deliberation", 7) == reverse(
        "membership:deliberation", args=[7]
    )


def test_it_follows_the_script_prefix():
    before = cached_reverse("legal_notice")
    set_script_prefix("/mutualis/")
    try:
        assert cached_reverse("legal_notice") == "/mutualis" + before
        assert cached_reverse("legal_notice") == reverse("legal_notice")
    finally:
        clear_script_prefix()
    assert cached_reverse("legal_notice") == before


def test_the_tag_renders_as_the_url_tag():
    context = Context({"code": "31402"})
    cached = Template("{% load cached_urls %}{% cached_url 'dashboards:commune' code %}")
    plain = Template("{% url 'dashboards:commune' code %}")
    assert cached.render(context) == plain.render(context) == "/communes/31402/"
