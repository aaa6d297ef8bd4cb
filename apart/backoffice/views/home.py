from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from apart.accounts.decorators import agent_required
from apart.backoffice.selectors import queue_figures
from apart.core.charts import decisions_chart


@require_safe
@agent_required
def home(request: HttpRequest) -> HttpResponse:
    figures = queue_figures()
    return render(
        request,
        "backoffice/home.html",
        {"nav": "home", "figures": figures, "chart": decisions_chart(figures.decisions_by_day)},
    )
