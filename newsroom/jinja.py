"""Jinja2 for the reader pages; the admin keeps Django's template language.

Why two engines: an uncached story page spent about half of its Python time in
Django's template engine (node-by-node rendering, variable lookups tried as dict,
attribute and index in turn). Jinja2 compiles a template to Python once, and the same
page renders several times faster. The admin, forms' widgets and third-party apps'
templates stay in Django's language (``templates/``); the reader pages live in
``jinja2/``.

Differences a template author should know (kept close to Django's behaviour here):
- autoescaping is on, and Django's safe strings stay safe (they carry ``__html__``);
- datetimes are shown in the site's time zone by the ``date`` and ``iso_datetime``
  filters, as in Django templates;
- ``{{ None }}`` prints nothing, and printing a method instead of calling it is an
  error rather than "<bound method …>" on a reader's page;
- a missing variable is empty, and so are its attributes (as in Django templates).
"""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.conf import settings
from django.template import defaultfilters
from django.template.backends.jinja2 import Jinja2, Template
from django.templatetags.static import static
from django.test.signals import template_rendered
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from jinja2.runtime import Context
from markupsafe import Markup, escape

import jinja2
from articles import live_updates, sharing
from articles import reads as story_reads
from articles import templating as story_helpers
from articles.jsonld import story_jsonld
from articles.lineup import story_lineup
from core.jsonld import jsonld
from core.sanitize import clean_html
from core.urlcache import cached_reverse, reverse_or_none, url_of
from discography import event_templating as calendar_helpers
from discography import templating as music_helpers
from jinja2 import pass_context
from newsroom import cards, seo


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``{{ url('articles:tag', tag.slug) }}``, Django's ``{% url %}`` (remembered)."""
    return cached_reverse(name, *args, **kwargs)


def link(target: Any, text: Any, class_: str | None = None) -> Markup:
    """``{{ artist|link(artist.name, "chip") }}``: ``<a href>`` around ``text``.

    ``target`` is a row (its ``get_absolute_url()``) or an address. When a related
    row has no address (a bad slug; ``url_or_none()`` gives None for one too), the
    text is shown in a ``<span>`` with the same class, so one bad row never takes a
    page down. A filter, not a global: Jinja calls filters directly, and a story
    page has some twenty of these."""
    href = target if target is None or isinstance(target, str) else url_of(target)
    attrs = f' class="{escape(class_)}"' if class_ else ""
    if href is None:
        return Markup(f"<span{attrs}>{escape(text)}</span>")  # noqa: S704 - escaped
    return Markup(f'<a href="{escape(href)}"{attrs}>{escape(text)}</a>')  # noqa: S704


@functools.lru_cache(maxsize=8192)
def _formatted(value: Any, format_string: str | None, zone, language: str) -> str:
    # Django templates show aware datetimes in the current time zone; so do we. The
    # answer depends only on the arguments (the language names the months), and a
    # page shows the same few dates on every request, so it is remembered.
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = value.astimezone(zone)
    if format_string == "iso":
        return iso_datetime(value)
    return defaultfilters.date(value, format_string)


def iso_datetime(value: datetime.datetime | None) -> str:
    """A ``<time datetime>`` value HTML accepts: whole seconds (``date:'c'`` keeps µs)."""
    if not isinstance(value, datetime.datetime):
        return ""
    return value.replace(microsecond=0).isoformat()


def sanitize(html: str | None) -> SafeString:
    """Render stored rich text: cleaned again on the way out, whatever is stored."""
    return mark_safe(clean_html(html))  # noqa: S308 - cleaned by nh3 just above


def _format(value: Any, format_string: str | None) -> str:
    if value is None or value == "":
        return ""
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    try:
        return _formatted(value, format_string, zone, translation.get_language())
    except TypeError:  # not hashable: not a date either
        return defaultfilters.date(value, format_string)


def date(value: Any, format_string: str | None = None) -> str:
    """``{{ story.published_at|date("j F Y, H:i T") }}`` in the site's time zone."""
    return _format(value, format_string)


def iso_datetime_local(value: Any) -> str:
    """``<time datetime>``: whole seconds, in the site's time zone."""
    return _format(value, "iso")


def linebreaksbr(value: Any) -> SafeString:
    return defaultfilters.linebreaksbr(value, autoescape=True)


def linebreaks(value: Any) -> SafeString:
    return defaultfilters.linebreaks_filter(value, autoescape=True)


def _finalize(value: Any) -> Any:
    """What ``{{ … }}`` prints: nothing for None; never a method by mistake."""
    if value is None:
        return ""
    if callable(value) and not hasattr(value, "__html__"):
        raise TypeError(f"A template printed {value!r}; call it with ().")
    return value


FILTERS = {
    "capfirst": defaultfilters.capfirst,
    "date": date,
    "href": url_of,
    "iso_datetime": iso_datetime_local,
    "iso_duration": music_helpers.iso_duration,
    "jsonld": jsonld,
    "linebreaks": linebreaks,
    "linebreaksbr": linebreaksbr,
    "link": link,
    "pluralize": defaultfilters.pluralize,
    "reaction_text": story_helpers.reaction_text,
    "running_time": music_helpers.running_time,
    "sanitize": sanitize,
    "truncatechars": defaultfilters.truncatechars,
    "with_embeds": story_helpers.with_embeds,
}


# Helpers that need the request or run queries. Each app offers plain functions that
# return data (or markup); here they meet the template that shows them.


def _partial(template_name: str, data: Any) -> Any:
    """A global rendering ``template_name`` with what ``data(request, ...)`` returns."""

    @pass_context
    def render(context: Context, *args: Any, **kwargs: Any) -> Markup:
        values = data(context.get("request"), *args, **kwargs)
        template = context.environment.get_template(template_name)
        return Markup(template.render(values))  # noqa: S704 - rendered with autoescape

    return render


def _with_request(function: Any) -> Any:
    """A global calling ``function(request, ...)`` with the page's request."""

    @pass_context
    def call(context: Context, *args: Any, **kwargs: Any) -> Any:
        return function(context.get("request"), *args, **kwargs)

    return call


GLOBALS = {
    "absolute_url": _with_request(seo.absolute_url),
    "artist_discography": _partial(
        "discography/_artist_discography.html",
        lambda request, *args: music_helpers.artist_discography(*args),
    ),
    "artist_news": _partial(
        "articles/_artist_news.html",
        lambda request, *args, **kwargs: story_helpers.artist_news(*args, **kwargs),
    ),
    "artist_coming_up": _partial(
        "discography/_coming_up.html", calendar_helpers.coming_up
    ),
    "breadcrumbs": _with_request(seo.breadcrumbs),
    "canonical_url": _with_request(seo.canonical_url),
    "release_drop": _partial(
        "discography/_release_drop.html",
        lambda request, release: calendar_helpers.release_drop(release),
    ),
    "live_coverage": _partial("articles/_live.html", live_updates.coverage_block),
    "reactions_block": _partial(
        "articles/_reactions.html", story_helpers.reactions_block
    ),
    "story_lineup": story_lineup,
    "story_jsonld": pass_context(
        lambda context, article: story_jsonld(article, context["request"])
    ),
}


# What readers come back for (issue 24): pictures on every card, fresh times,
# trending and most-read lists, share links.
FILTERS.update(
    {
        "card_image": cards.card_image,
        "is_fresh": cards.is_fresh,
        "stand_in": cards.stand_in_kind,
        "time_ago": cards.time_ago,
    }
)
GLOBALS.update(
    {
        "most_read": story_reads.most_read,
        "release_news": _partial(
            "articles/_release_news.html",
            lambda request, *args: story_helpers.release_news(*args),
        ),
        "share_links": sharing.share_links,
        "trending_stories": story_reads.trending_stories,
    }
)


def environment(**options: Any) -> jinja2.Environment:
    """The reader pages' environment (TEMPLATES' ``environment`` option)."""
    options["undefined"] = jinja2.ChainableUndefined
    options["finalize"] = _finalize
    options.setdefault("trim_blocks", False)
    env = jinja2.Environment(**options)  # noqa: S701 - the backend turns autoescape on
    env.globals.update(
        {
            "url": url,
            "url_or_none": reverse_or_none,
            "static": static,
            "now": timezone.localtime,
            "SITE_NAME": settings.SITE_NAME,
        }
    )
    env.filters.update(FILTERS)
    env.globals.update(GLOBALS)
    return env


class ReaderTemplate(Template):
    """Sends ``template_rendered`` as Django's templates do, when someone listens.

    Only the test client listens (for ``response.context``); in production the check
    costs one attribute lookup.
    """

    def __init__(self, template, backend):
        super().__init__(template, backend)
        self.name = template.name  # as Django's templates have, for assertTemplateUsed

    def render(self, context=None, request=None):
        context = {} if context is None else context
        html = super().render(context, request)
        if template_rendered.receivers:
            template_rendered.send(sender=self, template=self, context=context)
        return html


class ReaderJinja2(Jinja2):
    """Django's Jinja2 backend, with templates that tell the test client they ran."""

    def from_string(self, template_code):
        return ReaderTemplate(self.env.from_string(template_code), self)

    def get_template(self, template_name):
        template = super().get_template(template_name)
        return ReaderTemplate(template.template, self)
