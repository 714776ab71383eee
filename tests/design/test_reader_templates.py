"""The reader pages' Jinja2 environment behaves as the templates expect."""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import engines
from django.test import override_settings
from django.urls import reverse, set_script_prefix
from django.utils.safestring import mark_safe

from core.urlcache import cached_reverse

JINJA_DIR = Path(settings.BASE_DIR) / "jinja2"


def render(source: str, **context) -> str:
    return engines["jinja2"].from_string(source).render(context)


@pytest.mark.parametrize(
    "name",
    sorted(str(p.relative_to(JINJA_DIR)) for p in JINJA_DIR.rglob("*.html")),
)
def test_every_reader_template_compiles(name):
    engines["jinja2"].get_template(name)


def test_no_reader_template_is_left_in_django_templates():
    # A page template in both places would be found by whichever engine comes first.
    django_dir = Path(settings.BASE_DIR) / "templates"
    both = {
        str(p.relative_to(JINJA_DIR))
        for p in JINJA_DIR.rglob("*.html")
        if (django_dir / p.relative_to(JINJA_DIR)).exists()
    }
    assert both == set()


def test_text_is_escaped_and_safe_strings_are_kept():
    assert render("{{ v }}", v="<b>&") == "&lt;b&gt;&amp;"
    assert render("{{ v }}", v=mark_safe("<b>ok</b>")) == "<b>ok</b>"


def test_none_and_missing_values_print_nothing():
    assert render("[{{ v }}][{{ missing }}][{{ missing.deeper.still }}]", v=None) == (
        "[][][]"
    )


def test_printing_a_method_instead_of_calling_it_is_an_error():
    with pytest.raises(TypeError, match="call it with"):
        render("{{ v.upper }}", v="text")
    assert render("{{ v.upper() }}", v="text") == "TEXT"


def test_dates_are_shown_in_the_site_time_zone():
    moment = datetime.datetime(2024, 2, 26, 18, 30, 5, 999, tzinfo=ZoneInfo("UTC"))
    assert (
        render("{{ m|date('j F Y, H:i T') }}", m=moment)
        == "27 February 2024, 03:30 KST"
    )
    assert render("{{ m|iso_datetime }}", m=moment) == "2024-02-27T03:30:05+09:00"
    assert render("{{ d|date('Y') }}", d=datetime.date(2019, 1, 1)) == "2019"
    assert render("{{ m|date('Y') }}", m=None) == ""


def test_django_filters_escape_their_input():
    assert render("{{ v|linebreaksbr }}", v="a<i>\nb") == "a&lt;i&gt;<br>b"
    assert render("{{ n }} item{{ n|pluralize }}", n=2) == "2 items"


def test_url_is_reverse_and_remembers_it():
    assert render("{{ url('artists:detail', slug='iu') }}") == reverse(
        "artists:detail", kwargs={"slug": "iu"}
    )
    assert render("{{ url('articles:tag', 'k-pop') }}") == reverse(
        "articles:tag", args=["k-pop"]
    )


def test_cached_reverse_follows_the_script_prefix():
    assert cached_reverse("home") == "/"
    set_script_prefix("/newsroom/")
    try:
        assert cached_reverse("home") == "/newsroom/"
    finally:
        set_script_prefix("/")
    assert cached_reverse("home") == "/"


def test_cached_reverse_forgets_when_the_urlconf_changes():
    before = cached_reverse("artists:index")
    with override_settings(ROOT_URLCONF="tests.design.urls_elsewhere"):
        assert cached_reverse("artists:index") == "/elsewhere/artists/"
    assert cached_reverse("artists:index") == before


def test_remembered_dates_still_follow_the_active_time_zone():
    from django.utils import timezone

    moment = datetime.datetime(2024, 2, 26, 18, 30, tzinfo=ZoneInfo("UTC"))
    source = "{{ m|date('H:i T') }} {{ m|iso_datetime }}"
    assert render(source, m=moment) == "03:30 KST 2024-02-27T03:30:00+09:00"
    with timezone.override(ZoneInfo("Europe/Paris")):
        assert render(source, m=moment) == "19:30 CET 2024-02-26T19:30:00+01:00"
    assert render(source, m=moment) == "03:30 KST 2024-02-27T03:30:00+09:00"
