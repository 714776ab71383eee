from django.urls import path

from discography import views

app_name = "discography"

urlpatterns = [
    path("albums/<str:slug>/", views.release_detail, name="release"),
]
