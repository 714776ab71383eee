import datetime

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.sanitize import clean_html

register = template.Library()


@register.filter
def sanitize(html: str | None) -> SafeString:
    """Render stored rich text: cleaned again on the way out, whatever is stored."""
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by nh3 just above


@register.filter(expects_localtime=True)
def iso_datetime(value: datetime.datetime | None) -> str:
    """A ``<time datetime>`` value HTML accepts: whole seconds (``date:'c'`` keeps µs)."""
    if not isinstance(value, datetime.datetime):
        return ""
    return value.replace(microsecond=0).isoformat()
