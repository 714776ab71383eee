from django.urls import path

from articles.views import article, reactions
from newsroom.feeds import TagStoriesFeed

app_name = "articles"

urlpatterns = [
    path("news/preview/<str:token>/", article.shared_preview, name="shared_preview"),
    path("news/<str:slug>/", article.article_detail, name="detail"),
    path(
        "news/<str:slug>/reactions/", reactions.submit_reaction, name="submit_reaction"
    ),
    path("drafts/<int:pk>/preview/", article.article_preview, name="preview"),
    path("tags/<str:slug>/", article.tag_detail, name="tag"),
    path("tags/<str:slug>/feed/", TagStoriesFeed.as_view(), name="tag_feed"),
    path("sections/<str:slug>/", article.section_detail, name="section"),
    path("authors/<str:slug>/", article.author_detail, name="author"),
    path("reactions/token/", reactions.reaction_token, name="reaction_token"),
]
