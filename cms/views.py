from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from wagtail.models import Page


def site_search(request: HttpRequest) -> HttpResponse:
    """Search the site's published pages (directory results join them with the find-support page)."""
    # NUL characters mean nothing in words, and PostgreSQL refuses them in a query (a 500, found by fuzzing).
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    results = Page.objects.none()
    if query:
        results = Page.objects.live().public().specific().search(query)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "cms/site_search.html", {"query": query, "page_obj": page})
