from django.apps import AppConfig

from core import pagecache


class DiscographyConfig(AppConfig):
    """Releases, tracks and music videos."""

    name = "discography"

    def ready(self) -> None:
        # Every row of this app shows on some public page.
        pagecache.register_public_models(*self.get_models(include_auto_created=True))
        # What its pages show and its changes touch (core.pagedeps keys).
        from discography import cachekeys

        cachekeys.register()
        # The calendar's artist filter is kept until an event or an artist changes.
        from discography import calendar_filter

        calendar_filter.connect()
