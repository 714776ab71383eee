from django.apps import AppConfig


class PhotosConfig(AppConfig):
    name = "tests.scale.photos"
    label = "scale_photos"
    default_auto_field = "django.db.models.BigAutoField"
