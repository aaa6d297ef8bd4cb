"""Paths of the space's menu and entries, reversed once per process (and script prefix): every
page of the space shows them, and reverse() is the costliest part of rendering its templates."""

import functools

from django.urls import get_script_prefix, reverse


@functools.cache
def _paths(script_prefix: str) -> dict[str, str]:
    return {
        "dashboard": reverse("space:dashboard"),
        "help": reverse("space:help"),
        "my_account": reverse("space:my_account"),
        "establishments": reverse("establishments:list"),
        "add_siret": reverse("establishments:add_siret"),
        "logout": reverse("accounts:logout"),
        # DAP, decisions and DI (apart.dap, apart.claims)
        "dap_list": reverse("dap:list"),
        "dap_create": reverse("dap:create"),
        "decisions": reverse("dap:decisions"),
        "claim_list": reverse("claims:list"),
        "claim_create": reverse("claims:create"),
    }


def space_paths() -> dict[str, str]:
    return _paths(get_script_prefix())
