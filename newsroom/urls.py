from django.contrib import admin
from django.urls import include, path

from articles.admin import calendar as planning
from articles.urls import artist_feed_urlpatterns, latest_feed_urlpatterns
from artists import urls as artists_urls
from core.media import media_urlpatterns
from newsroom import seo, views

handler403 = views.permission_denied

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path(
        "admin/calendar/",
        admin.site.admin_view(planning.calendar_view),
        name="admin_calendar",
    ),
    path(
        "admin/calendar/<int:pk>/move/",
        admin.site.admin_view(planning.move_view),
        name="admin_calendar_move",
    ),
    path("calendar/<str:token>.ics", planning.feed_view, name="calendar_feed"),
    path("admin/", admin.site.urls),
    path("", include("search.urls")),
    path("feeds/", include((latest_feed_urlpatterns, "feeds"))),
    path("sitemap.xml", seo.sitemap_index, name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        seo.sitemap_section,
        name="sitemap_section",
    ),
    path("robots.txt", seo.robots_txt, name="robots_txt"),
    path("", include("articles.urls")),
    path(
        "",
        include(
            (
                artists_urls.urlpatterns + artist_feed_urlpatterns,
                artists_urls.app_name,
            )
        ),
    ),
    path("", include("discography.urls")),
]

# Uploaded pictures on local disk, with caching headers, DEBUG on or off (core.media).
urlpatterns += media_urlpatterns()
