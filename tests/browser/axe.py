"""Accessibility check with axe-core (bundled by axe-playwright-python, works offline)."""

from typing import Any

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page: Any) -> None:
    """Fail on any serious or critical axe-core violation of the current page."""
    results = _axe.run(page)
    violations = [
        v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}
    ]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, "accessibility violations:\n" + "\n".join(details)
