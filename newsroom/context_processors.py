from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The site's name for every template, so the frame never hard-codes it."""
    return {"SITE_NAME": settings.SITE_NAME}
