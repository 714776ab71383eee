import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_page_has_the_site_frame(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert 'aria-label="Main"' in html
    for label in (">News<", ">Artists<", ">Search<"):
        assert label in html


def test_admin_login_page_is_served(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200


def test_home_shows_demo_lead_story_and_release(client):
    call_command("load_demo", verbosity=0)
    html = client.get("/").content.decode()
    assert "Love wins all" in html
    assert "The Winning" in html


def test_load_demo_twice_duplicates_nothing():
    from articles.models import Article
    from artists.models import Artist
    from discography.models import Release, Track

    call_command("load_demo", verbosity=0)
    counts = [m.objects.count() for m in (Article, Artist, Release, Track)]
    call_command("load_demo", verbosity=0)
    assert [m.objects.count() for m in (Article, Artist, Release, Track)] == counts


def test_ensure_admin_creates_a_superuser_once(monkeypatch, capsys):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("ADMIN_PASSWORD", "correct-horse-battery")
    call_command("ensure_admin")
    call_command("ensure_admin")
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password("correct-horse-battery")
    assert "Log in at" in capsys.readouterr().out


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "couldn't find that page" in response.content.decode()
