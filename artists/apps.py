from django.apps import AppConfig


class ArtistsConfig(AppConfig):
    """People and groups, their memberships, agencies and names."""

    name = "artists"
