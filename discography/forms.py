"""Form fields editors meet in the admin: running times as minutes and seconds."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError

from discography.templating import running_time


class RunningTimeField(forms.DurationField):
    """Shows 4:31 instead of 00:04:31 and accepts 4:31, 1:02:05 or 271 (seconds)."""

    def prepare_value(self, value):
        if isinstance(value, datetime.timedelta):
            return running_time(value)
        return value

    def to_python(self, value):
        if isinstance(value, str) and value.strip().isdigit():
            return datetime.timedelta(seconds=int(value.strip()))
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                "Enter a running time as minutes:seconds, for example 3:25.",
                code="invalid",
            ) from None
