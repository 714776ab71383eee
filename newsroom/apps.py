from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project itself: site-wide views, templates tags and commands."""

    name = "newsroom"
