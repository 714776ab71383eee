from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Search over every app's content; no models of its own (the vectors live on the
    content's tables, kept by the apps' migrations)."""

    name = "search"
    verbose_name = "Search"
