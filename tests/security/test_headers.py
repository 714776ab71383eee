"""The production headers: CSP without inline script, HSTS, and the rest."""

import pytest
from django.test import override_settings

from core.middleware import permissions_policy_header

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def test_csp_allows_no_inline_or_eval_script_and_no_other_host(client):
    csp = directives(client.get("/"))
    assert csp["default-src"] == ["'none'"]
    assert "'self'" in csp["script-src"]
    for source in csp["script-src"] + csp["style-src"]:
        assert source not in {"'unsafe-inline'", "'unsafe-eval'", "*", "https:"}
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_each_response_gets_a_fresh_nonce_when_a_template_asks_for_one(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse
    from django.template import engines

    template = engines["django"].from_string(
        '<script nonce="{{ CSP_NONCE }}">1</script>'
    )

    def view(request):
        return HttpResponse(template.render({}, request))

    nonces = []
    for _ in range(2):
        request = rf.get("/")
        response = CSPMiddleware(view)(request)
        nonce = request.csp_nonce
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        assert f'nonce="{nonce}"'.encode() in response.content
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_https_responses_carry_hsts_and_the_other_security_headers(client):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == (
        "max-age=63072000; includeSubDomains; preload"
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy
    assert 'fullscreen=(self "https://www.youtube-nocookie.com")' in policy


def test_permissions_policy_header_quotes_origins_but_not_self():
    header = permissions_policy_header(
        {"camera": [], "fullscreen": ["self", "https://a.example"]}
    )
    assert header == 'camera=(), fullscreen=(self "https://a.example")'


def test_probes_carry_the_headers_too_but_never_redirect(client):
    with override_settings(SECURE_SSL_REDIRECT=True):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
        assert client.get("/").status_code == 301


def test_production_cookies_are_secure_httponly_and_samesite(client, django_user_model):
    from django.conf import settings

    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    django_user_model.objects.create_superuser("chief", "", "a-long-passphrase-42")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "chief", "password": "a-long-passphrase-42"},
        secure=True,
    )
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    # Staff sessions end with the browser: no Max-Age/Expires on the cookie.
    assert not cookie["max-age"] and not cookie["expires"]
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


def test_admin_import_map_gets_the_response_nonce_but_body_content_does_not(rf):
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from core.middleware import SecurityHeadersMiddleware

    html = (
        b'<html><head><script type="importmap">{"imports":{}}</script></head>'
        b'<body><script type="importmap">{"evil":1}</script></body></html>'
    )

    def view(request):
        return HttpResponse(html)

    request = rf.get("/admin/articles/article/add/")
    response = CSPMiddleware(SecurityHeadersMiddleware(view))(request)
    nonce = request.csp_nonce
    head, body = response.content.split(b"</head>")
    assert f'<script type="importmap" nonce="{nonce}">'.encode() in head
    assert b"nonce" not in body
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]

    public = CSPMiddleware(SecurityHeadersMiddleware(view))(rf.get("/news/x/"))
    assert b"nonce" not in public.content


def test_only_the_admin_allows_the_editor_style_hash(client):
    from django.conf import settings

    (editor_hash,) = settings.ADMIN_CSP_UPDATE["style-src"]
    admin_csp = directives(client.get("/admin/login/"))
    assert admin_csp["style-src"] == ["'self'", editor_hash]
    assert directives(client.get("/"))["style-src"] == ["'self'"]
