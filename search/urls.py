"""``/search/``: no namespace, so the name ``search`` that templates reverse (and the
navigation compares with ``url_name``) stays as it was."""

from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggest/", views.suggest, name="search-suggest"),
]
