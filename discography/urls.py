from django.urls import path

from discography import calendar_views, ics, views

app_name = "discography"

urlpatterns = [
    path("albums/<str:slug>/", views.release_detail, name="release"),
    path("calendar/", calendar_views.calendar, name="calendar"),
    path("calendar.ics", ics.calendar_ics, name="calendar_ics"),
    path(
        "artists/<str:slug>/calendar.ics",
        ics.artist_calendar_ics,
        name="artist_calendar_ics",
    ),
]
