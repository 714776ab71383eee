"""Held uploads: a token gives the file back; forged ones nothing; old ones purged."""

import datetime
import os

from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from core.held_uploads import SALT, hold_upload, take_held_upload


def test_a_held_upload_comes_back_by_its_token():
    token = hold_upload(SimpleUploadedFile("사진 1.jpg", b"jpeg-bytes", "image/jpeg"))
    upload = take_held_upload(token)
    assert upload.read() == b"jpeg-bytes" and upload.token == token
    assert upload.name.endswith(".jpg")


def test_forged_or_foreign_tokens_give_nothing():
    assert take_held_upload("not-a-token") is None
    outside = signing.dumps({"path": "articles/hero/x.jpg", "name": "x"}, salt=SALT)
    assert take_held_upload(outside) is None


def test_purge_deletes_only_expired_held_files(capsys):
    old = signing.loads(hold_upload(SimpleUploadedFile("old.jpg", b"a")), salt=SALT)
    new = signing.loads(hold_upload(SimpleUploadedFile("new.jpg", b"b")), salt=SALT)
    two_days_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(old["path"]), (two_days_ago, two_days_ago))
    call_command("purge_held_uploads")
    assert "Deleted 1 held upload" in capsys.readouterr().out
    assert not default_storage.exists(old["path"])
    assert default_storage.exists(new["path"])
