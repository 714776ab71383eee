"""Distributed guessing meets an account-wide throttle; the owner's code still works.

The probe: 30 wrong passwords for one account from 6 addresses went unnoticed (axes
locks out each address after 5), and the right password from a 7th logged in. Now 20
failures within 15 minutes, from anywhere, pause the password alone for the account;
the password with a valid two-factor code still lets its owner in, and the refusal
reads the same whether the password was right. Proved with django-axes's database
handler, its cache handler on the local cache, and on Redis.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom import login_throttle
from newsroom.groups import EDITORS, MODERATORS
from newsroom.models import LoginFailure
from tests.security.test_staff_login import confirmed_device, current_token

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
LOGIN = "/admin/login/?next=/admin/"
PAUSED = "Sign-in to this account is paused after many failed attempts."
DATABASE_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
CACHE_HANDLER = "axes.handlers.cache.AxesCacheHandler"


@pytest.fixture(autouse=True)
def _fresh_axes_handler():
    AxesProxyHandler.implementation = None
    yield
    AxesProxyHandler.implementation = None


@pytest.fixture(params=["database", "local-cache", "redis"])
def axes_handler(request, settings):
    """Each of axes's storage choices: the throttle must not depend on it."""
    if request.param == "redis":
        redis = request.getfixturevalue("shared_redis")
        settings.CACHES = {
            "default": {
                "BACKEND": "core.cache.ResilientRedisCache",
                "LOCATION": redis["REDIS_URL"],
                "KEY_PREFIX": redis["CACHE_KEY_PREFIX"],
            }
        }
    settings.AXES_HANDLER = (
        DATABASE_HANDLER if request.param == "database" else CACHE_HANDLER
    )
    AxesProxyHandler.implementation = None
    return request.param


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "min-ji", password=PASSWORD, is_staff=True
    )


def log_in(client, *, address, username="min-ji", password=PASSWORD, token=None):
    data = {"username": username, "password": password}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, REMOTE_ADDR=address)


def spray(client, *, addresses, per_address, username="min-ji"):
    """Wrong passwords from many addresses, as a botnet shares out its guesses."""
    statuses = []
    for address in addresses:
        for _ in range(per_address):
            statuses.append(
                log_in(
                    client, address=address, username=username, password="guess"
                ).status_code
            )
    return statuses


def page_without_tokens(response) -> str:
    """The page as a reader compares it: per-response tokens and nonces removed."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def throttle(staff, *, at=None):
    """The account at its limit, as if guessed at from 20 addresses."""
    at = at or timezone.now()
    for number in range(20):
        login_throttle.record_failure(
            username=staff.get_username(), address=f"192.0.2.{number}", at=at
        )
    return at


# --- the probe, on each axes handler ----------------------------------------------


def test_guesses_from_many_addresses_pause_the_password_alone(
    client, staff, axes_handler
):
    addresses = [f"203.0.113.{n}" for n in range(1, 7)]
    statuses = spray(client, addresses=addresses, per_address=5)
    # axes still locks out each address at its fifth failure ...
    assert statuses == ([200] * 4 + [429]) * 6
    assert LoginFailure.objects.filter(username="min-ji").count() == 30
    assert login_throttle.is_throttled("min-ji")

    # ... and the account is paused: the right password from a seventh address fails.
    response = log_in(client, address="198.51.100.7")
    assert response.status_code == 200
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_owner_with_a_valid_code_still_gets_in(client, staff, axes_handler):
    device = confirmed_device(staff)
    spray(client, addresses=[f"203.0.113.{n}" for n in range(1, 8)], per_address=3)
    assert login_throttle.is_throttled("min-ji")

    response = log_in(client, address="198.51.100.7", token=current_token(device))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/admin/", REMOTE_ADDR="198.51.100.7").status_code == 200
    # The owner's sign-in does not end the pause for the guessers.
    assert login_throttle.is_throttled("min-ji")


def test_below_the_limit_the_password_alone_still_works(client, staff, axes_handler):
    spray(client, addresses=[f"203.0.113.{n}" for n in range(1, 5)], per_address=4)
    assert LoginFailure.objects.count() == 16
    assert not login_throttle.is_throttled("min-ji")
    assert log_in(client, address="198.51.100.7").status_code == 302


# --- the refusal tells a guesser nothing --------------------------------------------


@pytest.mark.parametrize("has_device", [False, True], ids=["no-device", "device"])
def test_the_refusal_reads_the_same_whether_the_password_was_right(
    client, staff, has_device
):
    if has_device:
        confirmed_device(staff)
    throttle(staff)
    wrong = log_in(client, address="198.51.100.7", password="not-it")
    right = log_in(client, address="198.51.100.8")
    assert wrong.status_code == right.status_code == 200
    assert PAUSED in right.content.decode()
    assert page_without_tokens(wrong) == page_without_tokens(right)
    # ... and both count, so the lockout that follows cannot tell them apart either.
    assert LoginFailure.objects.filter(address="198.51.100.7").count() == 1
    assert LoginFailure.objects.filter(address="198.51.100.8").count() == 1
    assert "_auth_user_id" not in client.session


def test_an_account_that_may_not_use_the_admin_is_refused_alike(
    client, django_user_model
):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    throttle(reader)
    wrong = log_in(client, address="198.51.100.7", username="reader", password="x")
    right = log_in(client, address="198.51.100.8", username="reader")
    assert wrong.status_code == right.status_code == 200
    assert page_without_tokens(wrong) == page_without_tokens(right)
    assert LoginFailure.objects.filter(address="198.51.100.7").count() == 1
    assert LoginFailure.objects.filter(address="198.51.100.8").count() == 1


def test_a_wrong_code_with_the_right_password_reads_like_a_wrong_password(
    client, staff
):
    device = confirmed_device(staff)
    throttle(staff)
    bad_code = "000000" if current_token(device) != "000000" else "111111"
    wrong = log_in(client, address="198.51.100.7", password="not-it", token=bad_code)
    right = log_in(client, address="198.51.100.8", token=bad_code)
    assert page_without_tokens(wrong) == page_without_tokens(right)
    assert PAUSED in right.content.decode()


def test_the_password_is_still_needed_with_a_valid_code(client, staff):
    device = confirmed_device(staff)
    throttle(staff)
    response = log_in(
        client, address="198.51.100.7", password="not-it", token=current_token(device)
    )
    assert response.status_code == 200
    assert PAUSED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_paused_name_without_an_account_looks_like_one_with(client, staff):
    for number in range(20):
        login_throttle.record_failure(username="nobody", address=f"192.0.2.{number}")
    throttle(staff)
    unknown = log_in(client, address="198.51.100.7", username="nobody")
    known = log_in(client, address="198.51.100.8", password="not-it")
    assert unknown.status_code == known.status_code == 200
    assert page_without_tokens(unknown).replace("nobody", "min-ji") == (
        page_without_tokens(known)
    )


def test_guessing_while_paused_still_meets_the_address_lockout(client, staff):
    throttle(staff)
    statuses = [
        log_in(client, address="203.0.113.50", password=f"guess-{n}").status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]


# --- the window and the pause --------------------------------------------------------


def test_the_pause_ends_after_its_cooloff(client, staff, settings):
    throttle(staff, at=timezone.now() - settings.LOGIN_THROTTLE_COOLOFF)
    assert not login_throttle.is_throttled("min-ji")
    assert log_in(client, address="198.51.100.7").status_code == 302


def test_the_pause_lasts_its_cooloff_after_the_last_failure_at_the_limit(staff):
    start = timezone.now() - timedelta(minutes=30)
    throttle(staff, at=start)
    assert login_throttle.is_throttled("min-ji", at=start + timedelta(minutes=14))
    assert not login_throttle.is_throttled("min-ji", at=start + timedelta(minutes=16))
    # Guessing on while paused keeps it paused.
    login_throttle.record_failure(
        username="min-ji", address="192.0.2.99", at=start + timedelta(minutes=10)
    )
    assert login_throttle.is_throttled("min-ji", at=start + timedelta(minutes=24))


def test_failures_spread_wider_than_the_window_do_not_pause(staff):
    start = timezone.now() - timedelta(hours=3)
    for number in range(40):  # one every four minutes: at most 4 in any 15
        login_throttle.record_failure(
            username="min-ji",
            address=f"192.0.2.{number}",
            at=start + timedelta(minutes=4 * number),
        )
    assert not LoginFailure.objects.filter(is_over_limit=True).exists()
    assert not login_throttle.is_throttled("min-ji")


def test_the_limits_come_from_settings(client, staff, settings):
    settings.LOGIN_THROTTLE_FAILURES = 3
    spray(
        client, addresses=["203.0.113.1", "203.0.113.2", "203.0.113.3"], per_address=1
    )
    assert login_throttle.is_throttled("min-ji")
    assert PAUSED in log_in(client, address="198.51.100.7").content.decode()


def test_old_failures_are_pruned(staff, settings):
    login_throttle.record_failure(
        username="min-ji",
        address="192.0.2.1",
        at=timezone.now() - settings.LOGIN_FAILURE_RETENTION - timedelta(minutes=1),
    )
    login_throttle.record_failure(username="min-ji", address="192.0.2.2")
    assert list(LoginFailure.objects.values_list("address", flat=True)) == ["192.0.2.2"]


# --- the staff desk ---------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        "root", "root@example.com", PASSWORD
    )


def staff_member(django_user_model, username, *, group=None, permission=None):
    user = django_user_model.objects.create_user(
        username, password=PASSWORD, is_staff=True
    )
    if group:
        user.groups.add(Group.objects.get(name=group))
    if permission:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def desk_panel(page: str) -> str:
    match = re.search(
        r'<div class="desk__panel[^"]*" id="failed-sign-ins">.*?</div>', page, re.S
    )
    return match.group(0) if match else ""


def test_the_desk_lists_failed_sign_ins_per_account(client, staff, superuser):
    throttle(staff)
    login_throttle.record_failure(username="min-ji", address="203.0.113.77")
    login_throttle.record_failure(username="root", address="198.51.100.1")
    login_throttle.record_failure(username="root", address="198.51.100.1")
    login_throttle.record_failure(username="admin", address="198.51.100.2")
    login_throttle.record_failure(username="<script>x</script>", address="198.51.100.3")
    login_throttle.record_failure(  # older than a day: not listed
        username="root", address="198.51.100.9", at=timezone.now() - timedelta(days=2)
    )
    client.force_login(superuser)
    response = client.get("/admin/")
    assert response.status_code == 200
    panel = desk_panel(response.content.decode())
    assert "Failed sign-ins, last 24 hours" in panel
    items = re.findall(r'<li class="sign-ins__account">(.*?)</li>', panel, re.S)
    assert len(items) == 2
    paused, root = items  # the paused account first
    assert f'href="/admin/auth/user/{staff.pk}/change/"' in paused
    assert "21 failed attempts from 21 addresses" in paused
    assert "from 203.0.113.77" in paused
    assert "paused until" in paused
    assert "Lift the pause" in paused
    assert "2 failed attempts from 1 address;" in root
    assert "paused until" not in root
    assert "Clear the count" in root
    # Names no account has are summed up, never listed (nor rendered as markup).
    assert "And 2 failed attempts with 2 usernames no account has." in panel
    assert "<script>x" not in response.content.decode()


def test_a_user_who_may_change_accounts_sees_the_panel(client, django_user_model):
    manager = staff_member(django_user_model, "hr-desk", permission="auth.change_user")
    login_throttle.record_failure(username="hr-desk", address="203.0.113.1")
    client.force_login(manager)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "hr-desk" in desk_panel(response.content.decode())


@pytest.mark.parametrize("group", [EDITORS, MODERATORS])
def test_other_staff_do_not_see_the_panel(client, django_user_model, staff, group):
    throttle(staff)
    member = staff_member(django_user_model, "colleague", group=group)
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert 'id="desk-heading"' in response.content.decode()
    assert 'id="failed-sign-ins"' not in response.content.decode()


def test_an_empty_day_says_so(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "No failed sign-ins for any account." in desk_panel(
        response.content.decode()
    )


def test_the_panel_costs_the_same_queries_for_more_accounts(
    client, superuser, django_user_model
):
    def accounts(first, last):
        for number in range(first, last):
            name = f"reporter-{number}"
            django_user_model.objects.create_user(name, is_staff=True)
            for address in range(3):
                login_throttle.record_failure(
                    username=name, address=f"203.0.113.{address}"
                )

    accounts(0, 2)
    client.force_login(superuser)
    client.get("/admin/")  # warm per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/admin/").status_code == 200
    accounts(2, 8)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/admin/")
    assert response.status_code == 200
    assert desk_panel(response.content.decode()).count("sign-ins__account") == 8
    assert len(more) == len(few)


@pytest.mark.parametrize("handler", [DATABASE_HANDLER, CACHE_HANDLER])
def test_lifting_a_pause_lets_the_password_in_again(
    client, staff, superuser, settings, handler
):
    settings.AXES_HANDLER = handler
    AxesProxyHandler.implementation = None
    guesser = "203.0.113.5"
    spray(client, addresses=[f"203.0.113.{n}" for n in range(1, 6)], per_address=5)
    assert login_throttle.is_throttled("min-ji")
    assert log_in(client, address=guesser).status_code == 429  # axes, that address

    desk = client.__class__()
    desk.force_login(superuser)
    response = desk.post("/admin/sign-ins/clear/", {"username": "min-ji"})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    page = desk.get("/admin/").content.decode()
    assert "Sign-in for “min-ji” is open again (26 failed attempts cleared)." in page
    panel = desk_panel(page)
    # 25 guesses and the refused right password; still listed for the day.
    assert "26 failed attempts from 5 addresses" in panel
    assert "paused until" not in panel and "Lift the pause" not in panel

    assert not login_throttle.is_throttled("min-ji")
    # The address lockouts those failures caused are gone too.
    assert log_in(client, address=guesser).status_code == 302
    entry = LogEntry.objects.get(object_id=str(staff.pk))
    assert entry.user == superuser
    assert "Cleared the sign-in throttle (26 failed sign-ins)" in entry.change_message


def test_after_clearing_the_count_starts_again(client, staff, superuser):
    throttle(staff)
    login_throttle.clear_throttle(username="min-ji", by=superuser)
    spray(client, addresses=["203.0.113.1"], per_address=1)
    assert not login_throttle.is_throttled("min-ji")


@pytest.mark.parametrize("group", [EDITORS, MODERATORS])
def test_only_those_who_manage_staff_may_lift_a_pause(
    client, django_user_model, staff, group
):
    throttle(staff)
    member = staff_member(django_user_model, "colleague", group=group)
    client.force_login(member)
    response = client.post("/admin/sign-ins/clear/", {"username": "min-ji"})
    assert response.status_code == 403
    assert login_throttle.is_throttled("min-ji")


def test_lifting_takes_a_post_naming_an_account(client, staff, superuser):
    throttle(staff)
    client.force_login(superuser)
    assert client.get("/admin/sign-ins/clear/?username=min-ji").status_code == 405
    assert client.post("/admin/sign-ins/clear/", {}).status_code == 400
    assert login_throttle.is_throttled("min-ji")
    client.logout()
    response = client.post("/admin/sign-ins/clear/", {"username": "min-ji"})
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert login_throttle.is_throttled("min-ji")
