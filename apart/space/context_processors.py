"""What every page of the employer's space shows around its content (templates extending
space/base.html): the menu's paths and the current establishment, read lazily (one query, only
when the page shows it). A context processor, so that the apps whose pages sit in the space
(establishments, DAP, DI) render with plain ``render`` and never import the space."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apart.establishments.current import lazy_current
from apart.space.links import space_paths


def space(request: HttpRequest) -> dict[str, Any]:
    # Both lazy: pages outside the space never read them.
    return {
        "current_establishment": lazy_current(request),
        "space_paths": SimpleLazyObject(space_paths),
    }
