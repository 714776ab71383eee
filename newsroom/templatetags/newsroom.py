from django import template
from django.utils.safestring import SafeString, mark_safe

from newsroom.sanitize import clean_html

register = template.Library()


@register.filter
def sanitize(html: str | None) -> SafeString:
    """Render stored rich text: cleaned again on the way out, whatever is stored."""
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by nh3 just above
