"""Pages of long lists: every list that grows with the years is shown a page at a time."""

from django.core.paginator import Paginator


def page_of(request, items, per_page, *, param="page"):
    """The page of `items` (a queryset or a list) that `?page=` asks for; a wrong or too large
    number gives the last page rather than an error. Two queries for a queryset: the count and
    the page's rows."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(request.GET.get(param))
    # The numbers the pager links to (1 2 … 7 8 9 … 40 41), computed here: a template cannot call
    # a method with an argument.
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    return page


def page_query(request, *, param="page"):
    """The request's query string without the page number, for the pager's links."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()
