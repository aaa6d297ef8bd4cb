import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def age(value: datetime.timedelta | datetime.datetime | None) -> str:
    """« 3 j 4 h », « 5 h 12 min » or « 8 min »: how long a request has been waiting."""
    if value is None:
        return "—"
    delta = timezone.now() - value if isinstance(value, datetime.datetime) else value
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} j {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
