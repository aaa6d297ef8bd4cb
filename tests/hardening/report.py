"""Pytest plugin (loaded by tests/conftest.py): the total of hostile inputs tried, in the final
summary, whether the tests ran in one process or on xdist workers."""

from typing import Any

_tried = {"total": 0}


def pytest_runtest_logreport(report: Any) -> None:
    if report.when == "call":
        _tried["total"] += sum(v for k, v in report.user_properties if k == "hostile_inputs")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _tried["total"]:
        terminalreporter.write_line(f"hostile inputs tried: {_tried['total']}")
