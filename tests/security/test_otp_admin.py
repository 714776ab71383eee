"""Two-factor devices in the admin: a device's secret is shown to nobody, a missing
device is not a server error."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(django_user_model) -> TOTPDevice:
    """An editor's enrolled phone (the superuser has none, so needs no code)."""
    editor = django_user_model.objects.create_user("eun", is_staff=True)
    return TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)


@pytest.fixture
def superuser_client(client):
    user = get_user_model().objects.create_superuser("root", "root@example.com", "x")
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_superusers_cannot_read_a_devices_secret(superuser_client, device, view):
    client, _ = superuser_client
    url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
    response = client.get(url)
    assert response.status_code == 403
    assert device.key not in response.content.decode(errors="replace")


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_a_missing_device_is_not_a_server_error(superuser_client, view):
    client, _ = superuser_client
    url = reverse(f"admin:otp_totp_totpdevice_{view}", args=[999999])
    assert client.get(url).status_code == 403


def test_the_device_page_does_not_show_the_key(superuser_client, device):
    client, _ = superuser_client
    response = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert response.status_code == 200
    assert device.key not in response.content.decode()
