from django.db import models


class Photo(models.Model):
    """Any model with an ImageField, as Artist and Article will have."""

    caption = models.CharField(max_length=200, blank=True)
    image = models.ImageField(upload_to="photos/", blank=True)

    class Meta:
        app_label = "scale_photos"

    def __str__(self) -> str:
        return self.caption
