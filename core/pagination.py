"""Pages of a list, for the GOV.UK pagination component (`templates/includes/pagination.html`)."""

from django.core.paginator import Page


def page_context(request, page: Page) -> dict:
    """The page, the page numbers to link (elided with an ellipsis on long lists) and the
    query string that keeps the list's filters from one page to the next."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "page_numbers": list(
            page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        ),
        "query_string": query.urlencode(),
    }
