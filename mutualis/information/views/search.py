"""One search box across posts, documents and threads, within what the person may read."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mutualis.accounts import perms
from mutualis.core.access import access
from mutualis.information import search as fulltext
from mutualis.information.forms import SearchForm
from mutualis.information.models import Document, Post, Thread

LIMIT = 30


def search_all(user, query: str) -> dict:
    """Results by kind, newest first; each kind filtered by its own audience rule."""
    posts = fulltext.matching(Post.objects.readable_by(user).current(), query)
    documents = fulltext.matching(Document.objects.readable_by(user), query)
    threads = fulltext.matching(Thread.objects.readable_by(user), query)
    return {
        "posts": list(posts.order_by("-publish_at", "-id")[:LIMIT]),
        "documents": list(
            documents.select_related("owner_commune", "folder").order_by("-updated_at", "-id")[
                :LIMIT
            ]
        ),
        "threads": list(threads.order_by("-last_activity_at", "-id")[:LIMIT]),
    }


@access(perms.is_signed_in)
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = search_all(request.user, query) if query else None
    total = sum(len(v) for v in results.values()) if results else 0
    return render(
        request,
        "information/search.html",
        {"form": form, "query": query, "results": results, "total": total},
    )
