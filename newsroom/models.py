"""The project's own table: failed staff sign-ins.

(The module also makes Django send the app its ``post_migrate`` signal, which keeps
the staff groups in sync.)
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from core.dates import PlausibleDateTimeField


class LoginFailure(models.Model):
    """One refused staff sign-in, whichever handler django-axes uses.

    The account-wide throttle counts these (``newsroom.login_throttle``), and the
    staff desk lists them. The username is stored as typed, whether or not an
    account has it, so a throttle looks the same for every name.
    """

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField(null=True, blank=True)
    attempted_at = PlausibleDateTimeField(default=timezone.now)
    # This failure brought the account to the throttle's limit: the password alone
    # is refused until LOGIN_THROTTLE_COOLOFF after the last such failure.
    is_over_limit = models.BooleanField(default=False)
    # Set when someone who manages staff cleared the throttle: no longer counted.
    cleared_at = PlausibleDateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-attempted_at"]
        indexes = [
            models.Index(
                fields=["username", "attempted_at"], name="loginfailure_user_time"
            ),
            models.Index(fields=["attempted_at"], name="loginfailure_time"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.username} from {self.address or 'unknown'} at {self.attempted_at}"
        )
