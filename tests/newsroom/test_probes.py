import json
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_without_touching_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_ok_when_the_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_readyz_is_503_with_a_small_json_body_when_the_database_is_unreachable(client):
    from django.db import connection

    with mock.patch.object(
        connection, "cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "unreachable",
    }


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_never_redirect_to_https(client, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path)
    assert response.status_code == 200


def test_other_pages_redirect_plain_http_to_https_when_enabled(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_https_behind_the_proxy_is_trusted_and_gets_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 63072000
    response = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert "max-age=63072000" in response["Strict-Transport-Security"]
