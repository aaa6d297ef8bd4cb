"""Accessibility check with axe-core (bundled by axe-playwright-python, works offline)."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_SCRIPT = Axe().axe_script
# WCAG 2.5.3 (label in name) is an experimental rule of axe-core: switched on here.
_OPTIONS = {
    "resultTypes": ["violations"],
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


def violations(page: Any) -> list[str]:
    """The serious and critical axe-core violations of the current page, one line each.

    axe-core is injected once per document (a page checked at several widths reuses it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(_SCRIPT)
    response = page.evaluate("(options) => axe.run(document, options)", _OPTIONS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]


def assert_accessible(page: Any) -> None:
    """Fail on any serious or critical axe-core violation of the current page."""
    found = violations(page)
    assert not found, "accessibility violations:\n" + "\n".join(found)
