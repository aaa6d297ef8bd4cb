"""The allocation d'activité partielle the State pays the employer, per hour not worked.

Rules (Code du travail R5122-12 and D5122-13; the amounts are set by decree and the SMIC changes
every year, so they live in settings, see config/settings.py and docs/dap.md):

- the hourly gross pay counted is capped at APART_ALLOWANCE_CEILING_SMIC × APART_SMIC_HOURLY
  (4,5 SMIC);
- the hourly allocation is APART_ALLOWANCE_RATE (36 %) of that pay, never less than
  APART_ALLOWANCE_FLOOR (the "plancher", 8,57 € an hour);
- it is rounded to the cent (half up), then multiplied by the hours not worked and rounded to
  the cent again; a claim's total is the sum of its lines.

Not modelled (the employer's own indemnity to the employee, apprentices' and part-time
employees' particular floors): the agents check them when they validate a claim.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


@dataclass(frozen=True)
class AllowanceRules:
    rate: Decimal
    floor: Decimal
    smic_hourly: Decimal
    ceiling_smic: Decimal

    @property
    def rate_percent(self) -> str:
        """0.36 -> "36" (shown as "36 %")."""
        return f"{(self.rate * 100).normalize():f}".replace(".", ",")

    @property
    def gross_ceiling(self) -> Decimal:
        """The highest hourly gross pay counted (4,5 SMIC)."""
        return self.ceiling_smic * self.smic_hourly


def current_rules() -> AllowanceRules:
    return AllowanceRules(
        rate=Decimal(settings.APART_ALLOWANCE_RATE),
        floor=Decimal(settings.APART_ALLOWANCE_FLOOR),
        smic_hourly=Decimal(settings.APART_SMIC_HOURLY),
        ceiling_smic=Decimal(settings.APART_ALLOWANCE_CEILING_SMIC),
    )


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def hourly_allowance(hourly_gross: Decimal, rules: AllowanceRules | None = None) -> Decimal:
    rules = rules or current_rules()
    counted = min(hourly_gross, rules.gross_ceiling)
    return _cents(max(counted * rules.rate, rules.floor))


@dataclass(frozen=True)
class LineAllowance:
    hourly: Decimal
    amount: Decimal


def line_allowance(
    *, hours: Decimal, hourly_gross: Decimal, rules: AllowanceRules | None = None
) -> LineAllowance:
    hourly = hourly_allowance(hourly_gross, rules)
    return LineAllowance(hourly=hourly, amount=_cents(hourly * hours))
