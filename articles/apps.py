from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Stories, their editorial workflow, embeds and readers' reactions."""

    name = "articles"
