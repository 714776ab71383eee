"""The events desk: a filtered list, a month view, and the quick "delayed to …" and
"cancelled" steps, each asking for the new time and the source that reported it.

Times are typed as the announcement reads them (18:00 in Asia/Seoul) and stored as
aware times; the form re-reads the typed wall time in the chosen zone.
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from artists.admin import URL_FIELD_OVERRIDES
from discography import event_services
from discography.events import DEFAULT_TIME_ZONE, Event, EventChange, validate_time_zone

MONTH_FORMAT = "%Y-%m"


def in_zone(
    value: datetime.datetime | None, zone_name: str
) -> datetime.datetime | None:
    """Read the wall time the form shows (in the site's zone) as a time in ``zone``."""
    if value is None:
        return None
    wall = (
        timezone.localtime(value).replace(tzinfo=None)
        if timezone.is_aware(value)
        else value
    )
    return wall.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))


def announced(event: Event) -> str:
    """ "Fri 12 Dec 2026, 18:00 (Asia/Seoul)": how the announcement reads."""
    return f"{event.local_starts_at:%a %d %b %Y, %H:%M} ({event.time_zone})"


class EventForm(forms.ModelForm):
    """Times are typed in the event's own zone, whatever the site's zone is."""

    source_url = forms.URLField(
        label="Source URL", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "time_zone",
            "place",
            "artists",
            "release",
            "source_url",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk:
            # Show the stored times as they were announced, not in the site's zone.
            for name in ("starts_at", "ends_at"):
                value = getattr(event, name)
                if value is not None and name in self.fields:
                    self.initial[name] = timezone.make_aware(
                        value.astimezone(event.zone).replace(tzinfo=None)
                    )

    def clean(self) -> dict:
        data = super().clean()
        zone = data.get("time_zone") or DEFAULT_TIME_ZONE
        for name in ("starts_at", "ends_at"):
            if data.get(name) is not None:
                data[name] = in_zone(data[name], zone)
        return data


class MonthFilter(admin.SimpleListFilter):
    """Events of one month (months that have events only)."""

    title = "month"
    parameter_name = "month"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        months = Event.objects.dates("starts_at", "month", order="DESC")
        return [(f"{m:%Y-%m}", f"{m:%B %Y}") for m in months]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        first = parse_month(self.value())
        if first is None:
            return queryset
        return queryset.filter(
            starts_at__gte=month_start(first),
            starts_at__lt=month_start(next_month(first)),
        )


def parse_month(value: str | None) -> datetime.date | None:
    try:
        first = datetime.datetime.strptime(value or "", MONTH_FORMAT).date()
    except ValueError:
        return None
    return first if 1900 <= first.year <= 2100 else None


def next_month(first: datetime.date) -> datetime.date:
    return (first + datetime.timedelta(days=32)).replace(day=1)


def month_start(first: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(first, datetime.time()))


class EventChangeInline(admin.TabularInline):
    """The history: every change of time or status, read-only."""

    model = EventChange
    extra = 0
    can_delete = False
    fields = [
        "changed_at",
        "by",
        "old_status",
        "new_status",
        "old_starts_at",
        "new_starts_at",
        "source_url",
        "note",
    ]
    readonly_fields = fields
    ordering = ["-changed_at", "-pk"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class MoveForm(forms.Form):
    """ "Delayed to …": the new time, typed in the event's zone, and the source."""

    starts_at = forms.DateTimeField(
        label="New start",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="As announced, in the time zone below.",
    )
    time_zone = forms.CharField(validators=[validate_time_zone], max_length=64)
    source_url = forms.URLField(
        label="Source URL", max_length=500, assume_scheme="https"
    )
    note = forms.CharField(max_length=300, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_at") and data.get("time_zone"):
            data["starts_at"] = in_zone(data["starts_at"], data["time_zone"])
        return data


class StatusForm(forms.Form):
    """Cancelled (or confirmed, happened), with the source that said so."""

    status = forms.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in (
                Event.Status.CANCELLED,
                Event.Status.CONFIRMED,
                Event.Status.HAPPENED,
                Event.Status.ANNOUNCED,
            )
        ]
    )
    source_url = forms.URLField(
        label="Source URL", max_length=500, assume_scheme="https"
    )
    note = forms.CharField(max_length=300, required=False)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventForm
    formfield_overrides = URL_FIELD_OVERRIDES
    list_display = [
        "title",
        "kind",
        "status",
        "announced_time",
        "artist_names",
        "quick",
    ]
    list_select_related = ["release"]
    list_filter = [
        ("artists", admin.RelatedOnlyFieldListFilter),
        "kind",
        "status",
        MonthFilter,
    ]
    search_fields = ["title", "place", "artists__name", "release__title"]
    autocomplete_fields = ["artists", "release"]
    inlines = [EventChangeInline]
    ordering = ["starts_at", "pk"]
    list_per_page = 100

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).prefetch_related("artists")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # A saved event's time and status move only through the quick steps, so
        # every change is in the history with its source.
        if obj is not None:
            return ["starts_at", "ends_at", "status", "sequence", "quick"]
        return []

    def get_urls(self):
        urls = super().get_urls()
        mine = [
            path(
                "month/",
                self.admin_site.admin_view(self.month_view),
                name="discography_event_month",
            ),
            path(
                "<int:pk>/move/",
                self.admin_site.admin_view(self.move_view),
                name="discography_event_move",
            ),
            path(
                "<int:pk>/status/",
                self.admin_site.admin_view(self.status_view),
                name="discography_event_status",
            ),
        ]
        return mine + urls

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = event_services.create_event(
            by=request.user,
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data.get("ends_at"),
            time_zone=data["time_zone"],
            place=data.get("place", ""),
            release=data.get("release"),
            source_url=data.get("source_url", ""),
        )
        # The form's instance becomes the saved row (``_state`` is documented), so
        # save_related() sets the chosen artists on it.
        obj.pk, obj.created_at = created.pk, created.created_at
        obj._state.adding, obj._state.db = False, created._state.db

    @admin.display(description="announced time", ordering="starts_at")
    def announced_time(self, event: Event) -> str:
        return announced(event)

    @admin.display(description="artists")
    def artist_names(self, event: Event) -> str:
        return ", ".join(artist.name for artist in event.artists.all()) or "—"

    @admin.display(description="quick steps")
    def quick(self, event: Event) -> str:
        if event.status in (Event.Status.CANCELLED, Event.Status.HAPPENED):
            return "—"
        return format_html(
            '<a href="{}">Delayed to …</a> · <a href="{}?status=cancelled">Cancelled</a>',
            reverse("admin:discography_event_move", args=[event.pk]),
            reverse("admin:discography_event_status", args=[event.pk]),
        )

    # --- the quick steps ----------------------------------------------------------

    def _event_for_change(self, request: HttpRequest, pk: int) -> Event:
        event = get_object_or_404(Event, pk=pk)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        return event

    def _step(self, request, event, form, title, apply) -> HttpResponse:
        if request.method == "POST" and form.is_valid():
            try:
                apply(form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.message_user(
                    request, f"{event.title}: {title.lower()} saved.", messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse("admin:discography_event_changelist")
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{title}: {event.title}",
            "event": event,
            "announced": announced(event),
            "form": form,
            "changelist_url": reverse("admin:discography_event_changelist"),
        }
        return TemplateResponse(
            request, "admin/discography/event/step_form.html", context
        )

    def move_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self._event_for_change(request, pk)
        initial = {
            "time_zone": event.time_zone,
            "starts_at": event.local_starts_at.replace(tzinfo=None),
        }
        form = MoveForm(request.POST or None, initial=initial)
        return self._step(
            request,
            event,
            form,
            "Delayed to …",
            lambda data: event_services.move_event(
                event=event,
                by=request.user,
                starts_at=data["starts_at"],
                source_url=data["source_url"],
                note=data["note"],
            ),
        )

    def status_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        event = self._event_for_change(request, pk)
        wanted = request.GET.get("status")
        initial = {"status": wanted} if wanted in Event.Status.values else {}
        form = StatusForm(request.POST or None, initial=initial)
        return self._step(
            request,
            event,
            form,
            "New status",
            lambda data: event_services.set_event_status(
                event=event,
                by=request.user,
                status=data["status"],
                source_url=data["source_url"],
                note=data["note"],
            ),
        )

    # --- the month view -------------------------------------------------------------

    def month_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        today = timezone.localdate()
        first = parse_month(request.GET.get("month")) or today.replace(day=1)
        events = list(
            Event.objects.filter(
                starts_at__gte=month_start(first),
                starts_at__lt=month_start(next_month(first)),
            )
            .for_listing()
            .order_by("starts_at", "pk")
        )
        by_day: dict[datetime.date, list[Event]] = {}
        for event in events:
            by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(
                event
            )
        weeks = [
            [
                {
                    "day": day,
                    "in_month": day.month == first.month,
                    "is_today": day == today,
                    "events": by_day.get(day, []),
                }
                for day in week
            ]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(
                first.year, first.month
            )
        ]
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Events in {first:%B %Y}",
            "weeks": weeks,
            "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            "previous_month": f"{previous:%Y-%m}",
            "next_month": f"{next_month(first):%Y-%m}",
            "this_month": f"{first:%Y-%m}",
            "event_count": len(events),
            "changelist_url": reverse("admin:discography_event_changelist"),
        }
        return TemplateResponse(request, "admin/discography/event/month.html", context)
