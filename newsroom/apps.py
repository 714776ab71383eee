from django.apps import AppConfig
from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import post_migrate

from core import lookups
from newsroom.groups import sync_groups


def _sync_staff_groups(sender, **kwargs) -> None:
    sync_groups()


class NewsroomConfig(AppConfig):
    """The project itself: site-wide views, commands, the admin site and staff groups."""

    name = "newsroom"

    def ready(self) -> None:
        # newsroom is last in INSTALLED_APPS, so every app's permissions exist by the
        # time its post_migrate fires: models added later join their groups at once.
        post_migrate.connect(
            _sync_staff_groups, sender=self, dispatch_uid="staff-groups"
        )
        from newsroom.login_throttle import on_login_failed

        # Every failed staff sign-in counts against its account, whichever handler
        # django-axes keeps its per-address counts in.
        user_login_failed.connect(on_login_failed, dispatch_uid="account-throttle")
        lookups.register()
        # The list keys of the home page, search and sitemaps (core.pagedeps).
        from newsroom import cachekeys

        cachekeys.register()
