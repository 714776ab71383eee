from django.urls import path

from artists import views

app_name = "artists"

# The project adds the artist's story feed (``artists:feed``) from articles.urls.
urlpatterns = [
    path("artists/", views.artist_index, name="index"),
    path("artists/<str:slug>/", views.artist_detail, name="detail"),
]
