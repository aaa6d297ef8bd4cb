"""Answers that take the same time whatever they found (no enumeration by the clock)."""

import time


def pad_to(started: float, *, seconds: float) -> None:
    """Sleep until ``seconds`` have passed since ``started`` (a ``time.monotonic()`` reading).

    A path that finds an existing account does less work than one that creates it (no account,
    no space to write): padding both to the same floor hides which one ran, as long as both stay
    under it. The floor costs a worker that many seconds of waiting per call: keep it to the
    steps that need it.
    """
    remaining = seconds - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)
