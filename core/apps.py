from django.apps import AppConfig

from core import checks, pagecache  # noqa: F401 - checks registers itself


class CoreConfig(AppConfig):
    """The plumbing every app stands on; it names no app of ours.

    Apps tell it what it needs from their own ``AppConfig.ready()``: which models'
    rows readers see (``core.pagecache.register_public_models``) and when scheduled
    content goes live (``core.pagecache.register_schedule``). Image fields with
    renditions register themselves (``core.images.RenditionImageField``).
    """

    name = "core"

    def ready(self) -> None:
        pagecache.connect_invalidation()
