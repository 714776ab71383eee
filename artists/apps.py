from django.apps import AppConfig

from core import pagecache


class ArtistsConfig(AppConfig):
    """People and groups, their memberships, agencies and names."""

    name = "artists"

    def ready(self) -> None:
        # Every row of this app shows on some public page.
        pagecache.register_public_models(*self.get_models(include_auto_created=True))
        # What its pages show and its changes touch (core.pagedeps keys).
        from artists import cachekeys

        cachekeys.register()
