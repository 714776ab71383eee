from django.apps import AppConfig

from core import pagecache


class PhotosConfig(AppConfig):
    """The picture library: every uploaded picture, its rights and where it is used.

    It stands just above ``core`` and names no other app: the apps above declare their
    picture fields with :class:`photos.fields.LibraryPhotoField` and tell the library
    where else a photo is used through :func:`photos.usage.register_usage_finder`.
    """

    name = "photos"
    verbose_name = "Photo library"

    def ready(self) -> None:
        # A photo's caption or credit shows on the story pages that use it.
        pagecache.register_public_models(*self.get_models())
