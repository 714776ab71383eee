from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Stories, their editorial workflow, embeds and readers' reactions."""

    name = "articles"

    def ready(self) -> None:
        from articles import embeds  # noqa: F401 - connects the embed sync on save
