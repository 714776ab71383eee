"""Backups: the database and the uploaded media, together, in one folder.

A backup is ``var/backups/<UTC timestamp>/`` holding ``manifest.json``, the
database (``database.dump`` from ``pg_dump -Fc`` for PostgreSQL, ``database.sqlite3``
from SQLite's online backup API) and ``media.tar.gz`` (MEDIA_ROOT). Restoring puts
both back: ``pg_restore --clean`` replaces the tables, SQLite's backup API copies
the pages into the live file, and the media archive is unpacked with tarfile's
``data`` filter, so no member can land outside MEDIA_ROOT.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that could not be completed; the message says why."""


def default_backup_root() -> Path:
    return Path(settings.BASE_DIR) / "var" / "backups"


def _engine(db: dict[str, Any]) -> str:
    engine = db["ENGINE"]
    if "postgresql" in engine:
        return "postgresql"
    if "sqlite3" in engine:
        return "sqlite"
    raise BackupError(f"no backup method for the database engine {engine}")


def _pg_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore."""
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(f"{command[0]} is not installed: {error}") from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def create_backup(
    *, root: Path | None = None, db: dict[str, Any] | None = None
) -> Path:
    """Write the database and MEDIA_ROOT into a new timestamped folder; return it."""
    db = db or settings.DATABASES["default"]
    engine = _engine(db)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = (root or default_backup_root()) / stamp
    partial = target.with_name(stamp + ".partial")
    partial.mkdir(parents=True)
    try:
        if engine == "postgresql":
            args, env = _pg_args(db)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    *args,
                    "--file",
                    str(partial / PG_DUMP),
                    str(db["NAME"]),
                ],
                env,
            )
        else:
            _sqlite_copy(db["NAME"], partial / SQLITE_COPY)
        media_root = Path(settings.MEDIA_ROOT)
        with tarfile.open(partial / MEDIA_ARCHIVE, "w:gz") as archive:
            if media_root.is_dir():
                archive.add(media_root, arcname=".")
        manifest = {"created_at": stamp, "engine": engine, "media": MEDIA_ARCHIVE}
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    # Only a complete backup gets its final name.
    partial.rename(target)
    return target


def restore_backup(
    source: Path, *, db: dict[str, Any] | None = None, media_root: Path | None = None
) -> None:
    """Put a backup's database and media back; the database is replaced, not merged."""
    db = db or settings.DATABASES["default"]
    engine = _engine(db)
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{source} is not a backup (no {MANIFEST})")
    manifest = json.loads(manifest_path.read_text())
    if manifest["engine"] != engine:
        raise BackupError(
            f"the backup is of a {manifest['engine']} database; this site uses {engine}"
        )
    if engine == "postgresql":
        args, env = _pg_args(db)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                *args,
                "--dbname",
                str(db["NAME"]),
                str(source / PG_DUMP),
            ],
            env,
        )
    else:
        _sqlite_copy(source / SQLITE_COPY, db["NAME"])
    media_root = Path(media_root or settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")


def latest_backup(root: Path | None = None) -> Path:
    """The newest complete backup folder."""
    root = root or default_backup_root()
    candidates = sorted(
        path
        for path in (root.iterdir() if root.is_dir() else [])
        if (path / MANIFEST).is_file()
    )
    if not candidates:
        raise BackupError(f"no backup found under {root}")
    return candidates[-1]


def _sqlite_copy(source: Path | str, target: Path | str) -> None:
    """Copy a live SQLite database page by page, consistent even while in use."""
    source_is_uri = str(source).startswith("file:")
    if not source_is_uri and not Path(source).is_file():
        raise BackupError(f"no SQLite database at {source}")
    if not str(target).startswith("file:"):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source), uri=source_is_uri)
    dst = sqlite3.connect(str(target), uri=str(target).startswith("file:"))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
