from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """Stories, their editorial workflow, embeds and readers' reactions."""

    name = "articles"

    def ready(self) -> None:
        # Connect the receivers: the embed sync on a story's save, tags' slugs.
        from articles import embeds, tags  # noqa: F401
