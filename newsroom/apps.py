from django.apps import AppConfig
from django.db.models.signals import post_migrate

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
