"""The weekly signals chart of the figures page: server-rendered SVG bars, no JavaScript, drawn
the way the backoffice's queue chart is (apart.core.charts)."""

from dataclasses import dataclass

from apart.core.charts import BOTTOM, HEIGHT, TOP, WIDTH
from apart.fraud.selectors import Week

SERIES = (("raised", "#000091"), ("confirmed", "#ce0500"), ("cleared", "#18753c"))


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    width: int
    height: int
    colour: str


@dataclass(frozen=True)
class Label:
    x: int
    y: int
    text: str


@dataclass(frozen=True)
class SignalsChart:
    width: int
    height: int
    rects: list[Rect]
    labels: list[Label]
    maximum: int


def signals_chart(weeks: list[Week]) -> SignalsChart:
    maximum = max((max(w.raised, w.confirmed, w.cleared) for w in weeks), default=0) or 1
    slot = WIDTH // max(len(weeks), 1)
    bar = max((slot - 8) // len(SERIES), 1)
    usable = HEIGHT - TOP - BOTTOM
    base = HEIGHT - BOTTOM
    rects, labels = [], []
    for index, week in enumerate(weeks):
        left = index * slot + 4
        for position, (name, colour) in enumerate(SERIES):
            height = round(usable * getattr(week, name) / maximum)
            rects.append(Rect(left + position * bar, base - height, bar - 1, height, colour))
        labels.append(Label(left, HEIGHT - 8, week.start.strftime("%d/%m")))
    return SignalsChart(WIDTH, HEIGHT, rects, labels, maximum)
