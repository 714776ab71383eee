"""A URLconf that mounts the artists' pages elsewhere (for the reverse cache test)."""

from django.urls import include, path

urlpatterns = [path("elsewhere/", include("artists.urls"))]
