"""The allocation against hand-computed cases (rate 36 %, floor 8,57 €, ceiling 4,5 SMIC with
the SMIC at 11,88 €: gross pay counted up to 53,46 € an hour, i.e. 19,25 € of allocation)."""

from decimal import Decimal

import pytest

from apart.claims.allowance import AllowanceRules, current_rules, hourly_allowance, line_allowance

RULES = AllowanceRules(
    rate=Decimal("0.36"),
    floor=Decimal("8.57"),
    smic_hourly=Decimal("11.88"),
    ceiling_smic=Decimal("4.5"),
)


@pytest.mark.parametrize(
    ("gross", "hours", "hourly", "amount"),
    [
        # 36 % of 30,00 = 10,80 ; 35 h -> 378,00
        ("30.00", "35", "10.80", "378.00"),
        # 36 % of 15,00 = 5,40 < floor: 8,57 ; 10 h -> 85,70
        ("15.00", "10", "8.57", "85.70"),
        # 36 % of 25,55 = 9,198 -> 9,20 ; 7,5 h -> 69,00
        ("25.55", "7.5", "9.20", "69.00"),
        # 60,00 > 4,5 × 11,88 = 53,46 ; 36 % of 53,46 = 19,2456 -> 19,25 ; 20 h -> 385,00
        ("60.00", "20", "19.25", "385.00"),
        # exactly at the floor: 8,57 / 0,36 = 23,805... -> 23,81 gives 8,5716 -> 8,57
        ("23.81", "1", "8.57", "8.57"),
        # 36 % of 40,00 = 14,40 ; 151,67 h (a full month) -> 2 184,048 -> 2 184,05
        ("40.00", "151.67", "14.40", "2184.05"),
    ],
)
def test_hand_computed_cases(gross, hours, hourly, amount):
    result = line_allowance(hours=Decimal(hours), hourly_gross=Decimal(gross), rules=RULES)

    assert result.hourly == Decimal(hourly)
    assert result.amount == Decimal(amount)


def test_the_rules_come_from_the_settings(settings):
    settings.APART_ALLOWANCE_RATE = Decimal("0.40")
    settings.APART_ALLOWANCE_FLOOR = Decimal("9.00")
    settings.APART_SMIC_HOURLY = Decimal("12.00")
    settings.APART_ALLOWANCE_CEILING_SMIC = Decimal("4.5")

    rules = current_rules()

    assert rules.gross_ceiling == Decimal("54.000")
    assert hourly_allowance(Decimal("30"), rules) == Decimal("12.00")
    assert hourly_allowance(Decimal("100"), rules) == Decimal("21.60")
    assert hourly_allowance(Decimal("10"), rules) == Decimal("9.00")


def test_the_default_settings_are_the_documented_ones():
    rules = current_rules()

    assert rules == RULES
    assert rules.rate_percent == "36"
