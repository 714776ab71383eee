"""Staff login: brute-force lockout, optional two-factor, required for Editors."""

import pytest
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.models import Group
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from newsroom.groups import EDITORS, WRITERS

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-42"
LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "min-ji", password=PASSWORD, is_staff=True
    )


@pytest.fixture(autouse=True)
def _fresh_axes_handler():
    # The proxy keeps the handler it first built; tests switch handlers.
    AxesProxyHandler.implementation = None
    yield
    AxesProxyHandler.implementation = None


def log_in(client, username="min-ji", password=PASSWORD, token=None, **extra):
    data = {"username": username, "password": password}
    if token is not None:
        data["otp_token"] = token
    return client.post(LOGIN, data, **extra)


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


# Lockout (django-axes)


def test_fifth_wrong_password_locks_the_login_with_a_friendly_page(client, staff):
    for _ in range(4):
        response = log_in(client, password="wrong")
        assert response.status_code == 200  # the form again, with its error
    response = log_in(client, password="wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in paused" in page
    assert 'class="site-header"' in page  # the site's own frame

    # Even the right password is refused while locked out.
    response = log_in(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_touch_other_addresses(client, staff):
    for _ in range(5):
        log_in(client, password="wrong", REMOTE_ADDR="203.0.113.9")
    assert (
        log_in(client, password="wrong", REMOTE_ADDR="203.0.113.9").status_code == 429
    )
    response = log_in(client, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


def test_a_lockout_does_not_touch_colleagues_at_the_same_address(
    client, staff, django_user_model
):
    # Behind the newsroom's proxy every colleague shares one address.
    django_user_model.objects.create_user("seo-yeon", password=PASSWORD, is_staff=True)
    for _ in range(5):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 429
    assert log_in(client, username="seo-yeon").status_code == 302


def test_a_successful_login_resets_the_count(client, staff):
    for _ in range(4):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, password="wrong").status_code == 200
    assert log_in(client).status_code == 302


def test_forged_forwarded_for_does_not_escape_the_lockout(client, staff):
    for number in range(5):
        log_in(client, password="wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{number}")
    assert log_in(client, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


@override_settings(AXES_HANDLER="axes.handlers.cache.AxesCacheHandler")
def test_lockout_also_works_with_the_cache_handler(client, staff):
    for _ in range(5):
        log_in(client, password="wrong")
    assert log_in(client).status_code == 429


# Two-factor (django-otp)


def test_staff_without_a_device_log_in_with_the_password_alone(client, staff):
    response = log_in(client)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_staff_with_a_device_must_give_a_valid_code(client, staff):
    device = confirmed_device(staff)

    response = log_in(client)
    assert response.status_code == 200
    assert "enter the code from your authenticator app" in response.content.decode()
    assert "_auth_user_id" not in client.session

    response = log_in(
        client, token="000000" if current_token(device) != "000000" else "111111"
    )
    assert response.status_code == 200
    assert "That two-factor code is not right" in response.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = log_in(client, token=current_token(device))
    assert response.status_code == 302
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/admin/").status_code == 200


def test_a_session_that_skipped_the_code_is_not_let_into_the_admin(client, staff):
    confirmed_device(staff)
    client.force_login(staff)  # password only, as another login path would
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@override_settings(REQUIRE_2FA_FOR_EDITORS=True)
def test_editors_without_a_device_are_told_how_to_enrol(client, staff):
    staff.groups.add(Group.objects.get(name=EDITORS))
    assert log_in(client).status_code == 302

    response = client.get("/admin/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "requires two-factor login for editors" in page
    assert "/admin/two-factor/" in page
    assert client.get("/admin/articles/article/").status_code == 403

    # They can still log out.
    assert client.post("/admin/logout/").status_code == 200


@override_settings(REQUIRE_2FA_FOR_EDITORS=True)
def test_an_editor_enrols_and_is_then_let_in(client, staff):
    staff.groups.add(Group.objects.get(name=EDITORS))
    log_in(client)

    response = client.get("/admin/two-factor/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    device = TOTPDevice.objects.get(user=staff, confirmed=False)

    assert client.get("/admin/two-factor/").status_code == 200  # a reload
    assert TOTPDevice.objects.filter(user=staff).count() == 1  # same pending device

    response = client.post("/admin/two-factor/", {"otp_token": "12"})
    assert response.status_code == 200
    assert "That code does not match" in response.content.decode()

    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/admin/two-factor/", {"otp_token": current_token(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/").status_code == 200


@override_settings(REQUIRE_2FA_FOR_EDITORS=True)
def test_the_requirement_is_for_editors_only(client, staff):
    staff.groups.add(Group.objects.get(name=WRITERS))
    log_in(client)
    assert client.get("/admin/").status_code == 200


@override_settings(REQUIRE_2FA_FOR_EDITORS=False)
def test_editors_may_skip_two_factor_when_the_setting_is_off(client, staff):
    staff.groups.add(Group.objects.get(name=EDITORS))
    log_in(client)
    assert client.get("/admin/").status_code == 200


def test_the_setup_page_needs_the_code_once_a_device_exists(client, staff):
    confirmed_device(staff)
    client.force_login(staff)
    response = client.get("/admin/two-factor/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_the_setup_page_is_for_staff_only(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    client.force_login(reader)
    response = client.get("/admin/two-factor/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists()
    client.logout()
    assert client.get("/admin/two-factor/").status_code == 302


# Passwords


@pytest.mark.parametrize("weak", ["password", "12345678", "min-ji2024", "short"])
def test_weak_staff_passwords_are_refused(staff, weak):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(weak, user=staff)


def test_a_long_passphrase_in_hangul_is_accepted(staff):
    from django.contrib.auth.password_validation import validate_password

    validate_password("아이유의 봄날 노래는 길다 2024", user=staff)


# Two-factor for every staff account (REQUIRE_2FA_FOR_STAFF)


@override_settings(REQUIRE_2FA_FOR_STAFF=True)
@pytest.mark.parametrize("kind", ["staff", "writer", "superuser"])
def test_every_staff_account_must_enrol_when_required_for_staff(
    client, django_user_model, kind
):
    if kind == "superuser":
        user = django_user_model.objects.create_superuser(
            "root", "root@example.com", PASSWORD
        )
    else:
        user = django_user_model.objects.create_user(
            "min-ji", password=PASSWORD, is_staff=True
        )
        if kind == "writer":
            user.groups.add(Group.objects.get(name=WRITERS))
    assert log_in(client, username=user.username).status_code == 302

    response = client.get("/admin/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "requires two-factor login for every staff account" in page
    assert "/admin/two-factor/" in page
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/two-factor/").status_code == 200  # enrolment is open


@override_settings(REQUIRE_2FA_FOR_STAFF=True)
def test_staff_who_enrolled_are_let_in_when_required_for_staff(client, staff):
    device = confirmed_device(staff)
    assert log_in(client, token=current_token(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


@override_settings(REQUIRE_2FA_FOR_STAFF=True)
def test_requiring_it_for_staff_leaves_other_accounts_alone(client, django_user_model):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    client.force_login(reader)
    response = client.get("/admin/")
    assert response.status_code == 302  # to the login page, as before
    assert response["Location"].startswith("/admin/login/")


@override_settings(REQUIRE_2FA_FOR_STAFF=False, REQUIRE_2FA_FOR_EDITORS=False)
def test_staff_may_skip_two_factor_when_neither_setting_is_on(client, staff):
    log_in(client)
    assert client.get("/admin/").status_code == 200
