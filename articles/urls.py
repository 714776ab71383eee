from django.urls import path

from articles import feeds
from articles.views import article, live, reactions, reads, reads_admin, reports

app_name = "articles"

urlpatterns = [
    path("news/preview/<str:token>/", article.shared_preview, name="shared_preview"),
    path("news/<str:slug>/", article.article_detail, name="detail"),
    path(
        "news/<str:slug>/reactions/", reactions.submit_reaction, name="submit_reaction"
    ),
    path("news/<str:slug>/live/", live.older_entries, name="live_older"),
    path("news/<str:slug>/live/updates/", live.live_updates_view, name="live_updates"),
    path("drafts/<int:pk>/preview/", article.article_preview, name="preview"),
    path("drafts/<int:pk>/reads/", reads_admin.story_reads, name="story_reads"),
    path("tags/<str:slug>/", article.tag_detail, name="tag"),
    path("tags/<str:slug>/feed/", feeds.TagStoriesFeed.as_view(), name="tag_feed"),
    path("sections/<str:slug>/", article.section_detail, name="section"),
    path("authors/<str:slug>/", article.author_detail, name="author"),
    path("reactions/token/", reactions.reaction_token, name="reaction_token"),
    path("reactions/<int:pk>/report/", reports.report_reaction, name="report_reaction"),
    path("reads/", reads.count_read, name="read_beacon"),
]

# Stories about an artist, at the artist's address and under the artists' names
# (``artists:feed``): the project mounts these beside artists.urls, so that the
# artists app never has to know about stories.
artist_feed_urlpatterns = [
    path("artists/<str:slug>/feed/", feeds.ArtistStoriesFeed.as_view(), name="feed"),
]

# The site-wide feeds (``feeds:latest``), mounted by the project at /feeds/.
latest_feed_urlpatterns = [
    path("latest/", feeds.LatestStoriesFeed.as_view(), name="latest"),
    path("latest/atom/", feeds.LatestStoriesAtomFeed.as_view(), name="latest_atom"),
]
