"""The project's URLs plus one trivial view, the ceiling every page is compared with.

The trivial view exists only here: the application itself has no such page.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from mutualis.urls import urlpatterns as project_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """The cheapest Django answer through the project's whole middleware stack."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/trivial/", trivial), *project_urlpatterns]
