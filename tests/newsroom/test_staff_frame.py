"""Small staff things: the admin's 403 page, "Tags", add_staff, one-line refusals."""

from __future__ import annotations

import logging
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from core.logfilters import ClientErrorsOnOneLine
from tests.articles.reaction_factories import moderator

pytestmark = pytest.mark.django_db


def test_refusal_inside_the_admin_keeps_the_frame_and_links_back(client):
    client.force_login(moderator())
    response = client.get(
        "/admin/articles/article/", HTTP_REFERER="http://testserver/admin/"
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Newsroom administration" in html or 'id="header"' in html
    assert "does not have the rights" in html
    assert 'href="http://testserver/admin/"' in html


def test_admin_index_says_tags_not_taggit(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert ">Tags<" in html and "Taggit" not in html


def test_add_staff_in_one_line(capsys):
    call_command("add_staff", "minji", "--group", "Writers", "--name", "Kim Minji")
    user = get_user_model().objects.get(username="minji")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Writers"]
    out = capsys.readouterr().out
    assert "Added 'minji' in Writers." in out and "Temporary password" in out
    call_command("add_staff", "minji", "--group", "Moderators")
    assert user.groups.count() == 2


def test_client_errors_log_one_line_server_errors_keep_the_trace():
    try:
        raise PermissionError("refused")
    except PermissionError:
        info = sys.exc_info()
    refused = logging.LogRecord("django.request", 30, "", 0, "Forbidden", (), info)
    refused.status_code = 403
    broken = logging.LogRecord("django.request", 40, "", 0, "Error", (), info)
    broken.status_code = 500
    one_line = ClientErrorsOnOneLine()
    assert one_line.filter(refused) and refused.exc_info is None
    assert one_line.filter(broken) and broken.exc_info is not None
