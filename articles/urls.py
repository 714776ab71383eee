from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("news/<str:slug>/", views.article_detail, name="detail"),
]
