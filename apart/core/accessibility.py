"""The accessibility statement, generated from the RGAA self-audit (docs/accessibility.md).

RGAA's rate: conforming criteria / (conforming + non-conforming); non-applicable ones are left
out. Level: « totalement conforme » at 100 %, « partiellement conforme » from 50 %, otherwise
« non conforme »."""

from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise

from apart.core.rgaa import CRITERIA

AUDIT_FILE = "docs/accessibility.md"

# What the statement says of each non-conformity (the audit's "Test" column is for the team).
NON_CONFORMITIES: dict[str, Promise] = {}  # none left (a gettext_lazy text per criterion number)


@dataclass(frozen=True)
class Criterion:
    number: str
    title: str  # as written in the audit (French)
    status: str  # "C", "NC" or "NA"
    how_tested: str

    @property
    def label(self) -> Promise | str:
        """The criterion's title in the page's language."""
        return CRITERIA.get(self.number, self.title)

    @property
    def explanation(self) -> Promise | str:
        """Why it is not met, in the page's language."""
        return NON_CONFORMITIES.get(self.number, self.how_tested)


# RGAA 4.1 has 106 criteria; a self-audit that examined fewer says so on the statement page.
RGAA_CRITERIA = len(CRITERIA)


@dataclass(frozen=True)
class Audit:
    criteria: tuple[Criterion, ...]

    @property
    def not_examined(self) -> int:
        return max(0, RGAA_CRITERIA - len(self.criteria))

    @property
    def conforming(self) -> int:
        return sum(c.status == "C" for c in self.criteria)

    @property
    def non_conforming(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.status == "NC")

    @property
    def rate(self) -> int:
        """Percentage of applicable criteria met, rounded down (RGAA)."""
        applicable = self.conforming + len(self.non_conforming)
        return (100 * self.conforming) // applicable if applicable else 0

    @cached_property  # every page's footer shows it: counted once per process (current_audit)
    def level(self) -> str:
        if self.rate == 100:
            return "totalement conforme"
        return "partiellement conforme" if self.rate >= 50 else "non conforme"


def parse_audit(text: str) -> Audit:
    """The rows ``| 1.1 | title | C | how |`` of the audit's table."""
    criteria = []
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] in {"C", "NC", "NA"} and cells[0][:1].isdigit():
            criteria.append(Criterion(*cells))
    return Audit(criteria=tuple(criteria))


@cache
def current_audit() -> Audit:
    return parse_audit((Path(settings.BASE_DIR) / AUDIT_FILE).read_text(encoding="utf-8"))
