"""``next=`` never leads off-site; media URLs never leave MEDIA_ROOT."""

from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles.views import serve as staticfiles_serve
from django.test import override_settings
from django.urls import re_path
from django.views.static import serve

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
HOSTILE_NEXTS = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https:evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
    " https://evil.example/",
    "%2F%2Fevil.example",
    "https://evil.example/%2F..",
]


def assert_on_site(location: str) -> None:
    # Where a browser would actually go from the login page.
    parts = urlsplit(urljoin("https://testserver/admin/login/", location))
    assert parts.scheme in {"", "http", "https"}
    assert parts.netloc == "testserver", location
    assert not location.startswith(("//", "/\\", "\\"))


@pytest.mark.parametrize("next_url", HOSTILE_NEXTS)
def test_login_next_never_leads_off_site(client, django_user_model, next_url):
    django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert_on_site(response["Location"])


@pytest.mark.parametrize("next_url", HOSTILE_NEXTS)
def test_logout_next_never_leads_off_site(client, django_user_model, next_url):
    user = django_user_model.objects.create_user(
        "editor", password=PASSWORD, is_staff=True
    )
    client.force_login(user)
    response = client.post("/admin/logout/", {"next": next_url})
    assert "_auth_user_id" not in client.session
    if response.status_code == 302:
        assert_on_site(response["Location"])
    else:
        assert response.status_code == 200


def test_a_safe_next_is_honoured(client, django_user_model):
    django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD, "next": "/admin/password_change/"},
    )
    assert response["Location"] == "/admin/password_change/"


def test_the_login_page_does_not_echo_a_hostile_next_unescaped(client):
    response = client.get('/admin/login/?next="><script>alert(1)</script>')
    assert b"<script>alert(1)</script>" not in response.content


# Path traversal in media URLs, as DEBUG serving (django.conf.urls.static) does it.

urlpatterns = [
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    # What runserver's static handler does with DEBUG on (without WhiteNoise).
    re_path(r"^dev-static/(?P<path>.*)$", staticfiles_serve),
]

TRAVERSALS = [
    "/media/../settings.py",
    "/media/..%2fsettings.py",
    "/media/%2e%2e/%2e%2e/etc/passwd",
    "/media/..%2F..%2Fetc%2Fpasswd",
    "/media/....//....//etc/passwd",
    "/media//etc/passwd",
    "/media/%2Fetc%2Fpasswd",
    "/media/..\\..\\etc\\passwd",
    "/media/uploads/../../secret.txt",
    "/media/%252e%252e/secret.txt",
    "/media/uploads/%00../secret.txt",
]


@pytest.fixture
def media_with_a_secret_next_door(tmp_path):
    media = tmp_path / "media"
    (media / "uploads").mkdir(parents=True)
    (media / "uploads" / "photo.txt").write_text("public")
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (tmp_path / "settings.py").write_text("SECRET_KEY = 'TOP SECRET'")
    return media


@override_settings(ROOT_URLCONF=__name__, DEBUG=True)
@pytest.mark.parametrize("url", TRAVERSALS)
def test_media_serving_never_escapes_media_root(
    client, media_with_a_secret_next_door, url
):
    urlpatterns[0].default_args["document_root"] = str(media_with_a_secret_next_door)
    response = client.get(url)
    assert response.status_code in {400, 404}
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert b"TOP SECRET" not in body
    assert b"root:" not in body


@override_settings(ROOT_URLCONF=__name__, DEBUG=True)
def test_media_serving_still_serves_files_inside_media_root(
    client, media_with_a_secret_next_door
):
    urlpatterns[0].default_args["document_root"] = str(media_with_a_secret_next_door)
    response = client.get("/media/uploads/photo.txt")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"public"


@pytest.mark.parametrize(
    "url",
    [
        "/static/../newsroom/settings.py",
        "/static/%2e%2e/newsroom/settings.py",
        "/static/..%2f..%2fnewsroom/settings.py",
    ],
)
def test_static_serving_never_escapes_its_folders(client, url):
    response = client.get(url)
    assert response.status_code == 404
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert b"SECRET_KEY" not in content


def test_production_does_not_route_media_through_django(client, tmp_path):
    # Without DEBUG, /media/ is the web server's job: Django answers 404 for it.
    assert not settings.DEBUG
    assert client.get("/media/../newsroom/settings.py").status_code == 404
    assert Path(settings.MEDIA_ROOT).is_absolute()


@override_settings(ROOT_URLCONF=__name__, DEBUG=True)
@pytest.mark.parametrize(
    "url",
    [
        "/dev-static/../newsroom/settings.py",
        "/dev-static/..%2fnewsroom/settings.py",
        "/dev-static/%2e%2e/%2e%2e/newsroom/settings.py",
        "/dev-static//etc/passwd",
        "/dev-static/css/../../newsroom/settings.py",
    ],
)
def test_debug_static_serving_never_escapes_the_static_folders(client, url):
    response = client.get(url)
    assert response.status_code in {400, 404}  # 400: Django's SuspiciousFileOperation
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    # Text only the real settings module contains (the DEBUG error page names
    # SECRET_KEY itself, masked).
    assert b"dj_database_url.parse" not in body and b"root:x:" not in body


@override_settings(ROOT_URLCONF=__name__, DEBUG=True)
def test_debug_static_serving_still_serves_the_stylesheet(client):
    response = client.get("/dev-static/css/site.css")
    assert response.status_code == 200
