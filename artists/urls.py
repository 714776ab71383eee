from django.urls import path

from artists import views
from newsroom.feeds import ArtistStoriesFeed

app_name = "artists"

urlpatterns = [
    path("artists/", views.artist_index, name="index"),
    path("artists/<str:slug>/", views.artist_detail, name="detail"),
    path("artists/<str:slug>/feed/", ArtistStoriesFeed.as_view(), name="feed"),
]
