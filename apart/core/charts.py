"""A small server-rendered bar chart (SVG, no JavaScript) of the decisions per day."""

import datetime
from dataclasses import dataclass

WIDTH, HEIGHT, BAR_GAP, TOP, BOTTOM = 560, 180, 6, 10, 24


@dataclass(frozen=True)
class Bar:
    label: str
    x: int
    width: int
    approved_y: int
    approved_height: int
    rejected_y: int
    rejected_height: int
    total: int
    label_y: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    maximum: int


def decisions_chart(days: list[tuple[datetime.date, int, int]]) -> Chart:
    maximum = max((a + r for _, a, r in days), default=0) or 1
    slot = WIDTH // max(len(days), 1)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (day, approved, rejected) in enumerate(days):
        approved_height = round(usable * approved / maximum)
        rejected_height = round(usable * rejected / maximum)
        base = HEIGHT - BOTTOM
        bars.append(
            Bar(
                label=day.strftime("%d/%m"),
                x=index * slot + BAR_GAP // 2,
                width=slot - BAR_GAP,
                approved_y=base - approved_height,
                approved_height=approved_height,
                rejected_y=base - approved_height - rejected_height,
                rejected_height=rejected_height,
                total=approved + rejected,
                label_y=HEIGHT - 8,
            )
        )
    return Chart(width=WIDTH, height=HEIGHT, bars=bars, maximum=maximum)
