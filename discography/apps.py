from django.apps import AppConfig


class DiscographyConfig(AppConfig):
    """Releases, tracks and music videos."""

    name = "discography"
