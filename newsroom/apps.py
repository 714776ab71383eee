from django.apps import AppConfig
from django.db.models.signals import post_migrate

from newsroom import lookups


def _sync_staff_groups(sender, **kwargs) -> None:
    from newsroom.groups import sync_groups

    sync_groups()


class NewsroomConfig(AppConfig):
    """The project itself: site-wide views, template tags, commands and staff groups."""

    name = "newsroom"

    def ready(self) -> None:
        # newsroom is last in INSTALLED_APPS, so every app's permissions exist by the
        # time its post_migrate fires: models added later join their groups at once.
        post_migrate.connect(
            _sync_staff_groups, sender=self, dispatch_uid="staff-groups"
        )
        from newsroom.pagecache import connect_invalidation

        connect_invalidation()
        lookups.register()
