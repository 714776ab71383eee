"""The planning calendar: scheduled and planned stories by week or month.

A story appears on its planned day (``Article.planned_for``, a date of its own)
and, when scheduled, on the day it goes live. Moving a story sets its planned day
through ``services.plan_story`` (permission-checked, recorded). Each staff member
has a private ICS feed of their own stories; its address carries a keyed hash of
their account and password hash, so changing the password revokes it.
"""

from __future__ import annotations

import calendar as month_math
import datetime

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_POST, require_safe

from articles import services
from articles.admin.changelist import mine
from articles.models import Article, Author, Byline, Section
from artists.models import Artist
from core.dates import is_plausible_date

Status = Article.Status
MAX_STORIES = 500  # a month of a busy desk; more is cut and said so


def _day(value: str | None) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if is_plausible_date(day) else None


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


def window(view: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day shown: a Monday-to-Sunday week, or whole weeks
    covering the month."""
    if view == "week":
        start = day - datetime.timedelta(days=day.weekday())
        return start, start + datetime.timedelta(days=6)
    first = day.replace(day=1)
    last = day.replace(day=month_math.monthrange(day.year, day.month)[1])
    start = first - datetime.timedelta(days=first.weekday())
    end = last + datetime.timedelta(days=6 - last.weekday())
    return start, end


def calendar_stories(user, start, end, *, section=None, author=None, artist=None):
    """Stories planned or going live between two days, that the user may see."""
    tz = timezone.get_current_timezone()
    begins = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    ends = datetime.datetime.combine(end, datetime.time.max, tzinfo=tz)
    stories = (
        Article.objects.visible_to(user)
        .exclude(status=Status.ARCHIVED)
        .filter(
            Q(planned_for__range=(start, end))
            | Q(status=Status.PUBLISHED, published_at__range=(begins, ends))
        )
        .select_related("section")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
        .order_by("planned_for", "published_at", "pk")
    )
    if section:
        stories = stories.filter(section_id=section)
    if author:
        stories = stories.filter(bylines__author_id=author)
    if artist:
        stories = stories.filter(artists__id=artist)
    return stories.distinct()


def calendar_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("articles.view_article"):
        raise PermissionDenied("The planning calendar is for writers and editors.")
    view = "month" if request.GET.get("view") == "month" else "week"
    today = timezone.localdate()
    day = _day(request.GET.get("date")) or today
    start, end = window(view, day)
    filters = {
        "section": _int(request.GET.get("section")),
        "author": _int(request.GET.get("author")),
        "artist": _int(request.GET.get("artist")),
    }
    stories = list(calendar_stories(user, start, end, **filters)[: MAX_STORIES + 1])
    days: dict[datetime.date, list] = {}
    for story in stories[:MAX_STORIES]:
        live_day = (
            timezone.localdate(story.published_at)
            if story.status == Status.PUBLISHED and story.published_at
            else None
        )
        for shown_on, kind in ((story.planned_for, "planned"), (live_day, "live")):
            if shown_on and start <= shown_on <= end:
                days.setdefault(shown_on, []).append({"story": story, "kind": kind})
    weeks, cursor = [], start
    while cursor <= end:
        week = []
        for _ in range(7):
            week.append(
                {
                    "date": cursor,
                    "entries": days.get(cursor, []),
                    "is_today": cursor == today,
                    "in_month": view == "week" or cursor.month == day.month,
                }
            )
            cursor += datetime.timedelta(days=1)
        weeks.append(week)
    step = datetime.timedelta(days=7) if view == "week" else None
    if step:
        previous, following = day - step, day + step
    else:
        previous = (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    query = {k: v for k, v in filters.items() if v}
    context = {
        **admin.site.each_context(request),
        "title": "Planning calendar",
        "view": view,
        "day": day,
        "weeks": weeks,
        "start": start,
        "end": end,
        "previous": previous,
        "following": following,
        "filters": query,
        "filter_query": "&".join(f"{k}={v}" for k, v in query.items()),
        "is_cut": len(stories) > MAX_STORIES,
        "sections": Section.objects.order_by("name"),
        "authors": Author.objects.order_by("display_name"),
        "artists": Artist.objects.filter(articles__isnull=False)
        .distinct()
        .order_by("name"),
        "feed_url": request.build_absolute_uri(
            reverse("calendar_feed", args=[feed_token(user)])
        ),
    }
    return TemplateResponse(request, "admin/articles/calendar.html", context)


@require_POST
def move_view(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.visible_to(request.user), pk=pk)
    day = _day(request.POST.get("day"))
    back = request.POST.get("back", "")
    if not back.startswith(reverse("admin_calendar")):
        back = reverse("admin_calendar")
    if day is None:
        messages.error(request, "Choose a day between 1900 and 2100.")
        return HttpResponseRedirect(back)
    try:
        services.plan_story(article=article, by=request.user, day=day)
    except (PermissionDenied, ValidationError) as error:
        text = " ".join(getattr(error, "messages", [str(error)]))
        messages.error(request, text or "Not allowed.")
    else:
        messages.success(request, f"“{article.headline}” planned for {day:%a %d %b}.")
    return HttpResponseRedirect(back)


# ---- the private ICS feed


def feed_token(user) -> str:
    digest = salted_hmac(
        "newsroom.calendar-feed", f"{user.pk}:{user.password}", algorithm="sha256"
    ).hexdigest()[:40]
    return f"{user.pk}-{digest}"


@require_safe
def feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The staff member's own stories, planned and scheduled, as an iCalendar."""
    from_user, _, _digest = token.partition("-")
    user_id = _int(from_user)
    user = (
        get_user_model()
        .objects.filter(pk=user_id, is_active=True, is_staff=True)
        .first()
    )
    if user is None or not constant_time_compare(token, feed_token(user)):
        raise Http404("No such calendar.")
    stories = (
        Article.objects.visible_to(user)
        .filter(mine(user))
        .exclude(status=Status.ARCHIVED)
        .filter(Q(planned_for__isnull=False) | Q(published_at__gt=timezone.now()))
        .order_by("-pk")[:MAX_STORIES]
    )
    # Loaded with the first staff feed, not by every worker (discography.ics_feed).
    from icalendar import Calendar, Event

    feed = Calendar()
    feed.add("prodid", "-//Newsroom//Planning calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "My stories")
    for story in stories:
        link = request.build_absolute_uri(
            reverse("admin:articles_article_change", args=[story.pk])
        )
        if story.planned_for:
            event = Event()
            event.add("uid", f"story-{story.pk}-planned@newsroom")
            event.add("summary", f"Planned: {story.headline}")
            event.add("dtstart", story.planned_for)
            event.add("dtstamp", story.updated_at)
            event.add("url", link)
            feed.add_component(event)
        if story.is_scheduled:
            event = Event()
            event.add("uid", f"story-{story.pk}-live@newsroom")
            event.add("summary", f"Goes live: {story.headline}")
            event.add("dtstart", story.published_at)
            event.add("dtstamp", story.updated_at)
            event.add("url", link)
            feed.add_component(event)
    response = HttpResponse(feed.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response
