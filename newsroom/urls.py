from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from newsroom import feeds, seo, sitemaps, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("search.urls")),
    path(
        "feeds/",
        include(
            (
                [
                    path("latest/", feeds.LatestStoriesFeed.as_view(), name="latest"),
                    path(
                        "latest/atom/",
                        feeds.LatestStoriesAtomFeed.as_view(),
                        name="latest_atom",
                    ),
                ],
                "feeds",
            )
        ),
    ),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemaps.sitemap_section,
        name="sitemap_section",
    ),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("", include("articles.urls")),
    path("", include("artists.urls")),
    path("", include("discography.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
