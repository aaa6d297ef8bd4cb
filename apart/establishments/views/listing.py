"""« Voir tous mes Etablissements »: the list of the person's establishments."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apart.accounts.decorators import employer_required
from apart.accounts.requests import AuthenticatedRequest, current_account
from apart.establishments import selectors
from apart.establishments.completeness import (
    COMPLETE,
    INCOMPLETE,
)

PAGE_SIZE = 20


@employer_required
@require_safe
def establishment_list(request: AuthenticatedRequest) -> HttpResponse:
    """« Voir tous mes Etablissements »: search (name, SIRET, town), sort, pages of 20."""
    query = request.GET.get("q", "")[:100].replace("\x00", "")
    sort = request.GET.get("tri", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    account = current_account(request)
    establishments = selectors.search_establishments(account, query=query, sort=sort)
    page = Paginator(establishments, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (establishment, COMPLETE if selectors.listed_complete(establishment) else INCOMPLETE)
        for establishment in page.object_list
    ]
    return render(
        request,
        "establishments/list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "sort": sort,
            "awaiting": selectors.awaiting_validation(account),
        },
    )
