from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models
from django.db.models.functions import Upper


class Photo(models.Model):
    """Any model with an ImageField, as Artist and Article will have."""

    caption = models.CharField(max_length=200, blank=True)
    image = models.ImageField(upload_to="photos/", blank=True)
    # Stands in for a stored search vector on any database: the caption, upper-cased.
    search_text = models.TextField(blank=True, default="")

    class Meta:
        app_label = "scale_photos"

    def __str__(self) -> str:
        return self.caption

    def search_vector_expression(self):
        return Upper(models.Value(self.caption))


class Note(models.Model):
    """A model with a real PostgreSQL search vector, as the search work adds."""

    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True)

    class Meta:
        app_label = "scale_photos"

    def __str__(self) -> str:
        return self.title

    def search_vector_expression(self):
        if connection.vendor != "postgresql":
            return None
        return SearchVector(
            models.Value(self.title), weight="A", config="simple"
        ) + SearchVector(models.Value(self.body), weight="B", config="simple")
