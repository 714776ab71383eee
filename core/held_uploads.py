"""A file chosen in a form whose save failed is kept and offered again.

Browsers never re-fill a file input, so a story form refused for a missing alt
text used to drop the picture the writer had chosen. ``HeldFileInput`` renders a
bound form's upload into a holding area of the media storage and adds a signed
token naming it; the next post without a new file takes the held one instead.
The token is signed (no one can point it at another file) and expires.
"""

from __future__ import annotations

import datetime
import mimetypes
import uuid
from typing import Any

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import get_valid_filename

__all__ = [
    "HeldFileInput",
    "HeldUpload",
    "HoldsUploadsMixin",
    "hold_upload",
    "purge_held_uploads",
    "take_held_upload",
]

HOLDING = "held-uploads"
SALT = "core.held_uploads"
MAX_AGE = 24 * 60 * 60
HELD_SUFFIX = "__held"


class HeldUpload(SimpleUploadedFile):
    """An upload read back from the holding area; knows its token."""

    token = ""


def hold_upload(upload: UploadedFile) -> str:
    """Store ``upload`` in the holding area; the signed token that names it."""
    name = get_valid_filename(upload.name or "upload")[-100:] or "upload"
    upload.seek(0)
    path = default_storage.save(f"{HOLDING}/{uuid.uuid4().hex}/{name}", upload)
    upload.seek(0)
    return signing.dumps({"path": path, "name": name}, salt=SALT)


def take_held_upload(token: str) -> HeldUpload | None:
    """The held file a token names, as a fresh upload (None when expired, forged or
    gone)."""
    try:
        held = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(held, dict):
        return None
    path, name = held.get("path"), held.get("name")
    if not (isinstance(path, str) and path.startswith(f"{HOLDING}/")):
        return None
    if not isinstance(name, str) or not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        content = stored.read()
    upload = HeldUpload(name, content, mimetypes.guess_type(name)[0] or "")
    upload.token = token
    return upload


def purge_held_uploads(*, older_than: int = MAX_AGE) -> int:
    """Delete held files whose tokens have expired (``purge_held_uploads`` command):
    a held file is copied into place when the form saves, so the holding is only
    ever a day's worth of refused forms."""
    if not default_storage.exists(HOLDING):
        return 0
    cutoff = timezone.now() - datetime.timedelta(seconds=older_than)
    deleted = 0
    folders, _ = default_storage.listdir(HOLDING)
    for folder in folders:
        _, names = default_storage.listdir(f"{HOLDING}/{folder}")
        for name in names:
            path = f"{HOLDING}/{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
    return deleted


class HeldFileInput(AdminFileWidget):
    """The admin's file input, which keeps a failed form's upload for the next try
    (the form, ``HoldsUploadsMixin``, hands it the upload to keep)."""

    held: UploadedFile | None = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        upload = super().value_from_datadict(data, files, name)
        if upload is None and data.get(name + HELD_SUFFIX):
            return take_held_upload(str(data[name + HELD_SUFFIX]))
        return upload

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        upload = self.held
        if upload is None:
            return html
        token = getattr(upload, "token", "") or hold_upload(upload)
        return html + format_html(
            '<p class="held-upload" data-held-upload>Kept from your last try: '
            "<strong>{}</strong>. It is saved with the story unless you choose "
            'another file.</p><input type="hidden" name="{}" value="{}">',
            upload.name,
            name + HELD_SUFFIX,
            token,
        )


class HoldsUploadsMixin:
    """For a form: when validation fails, each file that passed its own field's
    checks is held for the next try (HeldFileInput widgets only)."""

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if isinstance(field.widget, HeldFileInput) and isinstance(
                value, UploadedFile
            ):
                field.widget.held = value
