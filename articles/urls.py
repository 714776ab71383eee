from django.urls import path

from articles.views import article, reactions

app_name = "articles"

urlpatterns = [
    path("news/<str:slug>/", article.article_detail, name="detail"),
    path(
        "news/<str:slug>/reactions/", reactions.submit_reaction, name="submit_reaction"
    ),
    path("reactions/token/", reactions.reaction_token, name="reaction_token"),
]
