"""Paths of establishment pages for lists (one reverse() per process, not one per row: the
dashboard and the list render many links, and reverse() is the costliest part of a template)."""

import functools

from django.urls import get_script_prefix, reverse


@functools.cache
def _list_path(script_prefix: str) -> str:
    return reverse("establishments:list")


def fiche_path(pk: int) -> str:
    """The fiche's path, as reverse("establishments:fiche", kwargs={"pk": pk}) gives it."""
    return f"{_list_path(get_script_prefix())}{pk}/"
