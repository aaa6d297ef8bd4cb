"""The enumeration attacker: classifies probes as "account exists" or not from what a client
sees (status, length of the page, question text, time), as a careful attacker would.

Two-fold cross-validation: on each half the attacker learns every rule below from the other half
(labelled: the attacker knows some existing and some unknown values), keeps the one that did best
there, and is scored on the half it did not see. The accuracy over all probes is what the attacker
would achieve on new values.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Probe:
    existing: bool
    status: int
    length: int
    question: str
    seconds: float


Rule = Callable[[Probe], bool]


def _categorical(train: Sequence[Probe], feature: Callable[[Probe], object]) -> Rule:
    votes: dict[object, Counter[bool]] = defaultdict(Counter)
    for probe in train:
        votes[feature(probe)][probe.existing] += 1

    def rule(probe: Probe) -> bool:
        seen = votes.get(feature(probe))
        if not seen:
            return True  # a value never seen with an unknown identifier: bet it is a real one
        return seen[True] > seen[False]

    return rule


def _threshold(train: Sequence[Probe], feature: Callable[[Probe], float]) -> Rule:
    values = sorted({feature(p) for p in train})
    cuts = [(a + b) / 2 for a, b in itertools.pairwise(values)] or [0.0]
    best: tuple[int, float, bool] = (-1, 0.0, True)
    for cut in cuts:
        for above in (True, False):
            hits = sum(
                (feature(p) > cut) == above if p.existing else (feature(p) > cut) != above
                for p in train
            )
            if hits > best[0]:
                best = (hits, cut, above)
    _, cut, above = best
    return lambda probe: (feature(probe) > cut) == above


RULES: dict[str, Callable[[Sequence[Probe]], Rule]] = {
    "status": lambda t: _categorical(t, lambda p: p.status),
    "question": lambda t: _categorical(t, lambda p: p.question),
    "status+length+question": lambda t: _categorical(t, lambda p: (p.status, p.length, p.question)),
    "length": lambda t: _threshold(t, lambda p: float(p.length)),
    "time": lambda t: _threshold(t, lambda p: p.seconds),
}


def _accuracy(rule: Rule, probes: Sequence[Probe]) -> float:
    return sum(rule(p) == p.existing for p in probes) / len(probes)


def attacker_accuracy(probes: Sequence[Probe], *, seed: int = 15) -> tuple[float, dict[str, float]]:
    """The cross-validated accuracy of the attacker, and each rule's own (for the report)."""
    shuffled = list(probes)
    random.Random(seed).shuffle(shuffled)
    halves = (shuffled[::2], shuffled[1::2])
    correct = 0
    per_rule: Counter[str] = Counter()
    for train, test in (halves, halves[::-1]):
        learned = {name: build(train) for name, build in RULES.items()}
        chosen = max(learned, key=lambda name: _accuracy(learned[name], train))
        correct += sum(learned[chosen](p) == p.existing for p in test)
        for name, rule in learned.items():
            per_rule[name] += sum(rule(p) == p.existing for p in test)
    return correct / len(probes), {name: n / len(probes) for name, n in per_rule.items()}
