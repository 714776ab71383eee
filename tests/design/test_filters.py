import datetime
from zoneinfo import ZoneInfo

from django.template import engines


def render(value) -> str:
    template = engines["jinja2"].from_string("{{ value|iso_datetime }}")
    return template.render({"value": value})


def test_iso_datetime_drops_microseconds_and_uses_the_site_time_zone():
    moment = datetime.datetime(2024, 2, 26, 6, 21, 51, 33000, tzinfo=ZoneInfo("UTC"))
    assert render(moment) == "2024-02-26T15:21:51+09:00"


def test_iso_datetime_of_nothing_is_empty():
    assert render(None) == ""
    assert render("not a date") == ""
