"""Backups round-trip: what was in the database and MEDIA_ROOT comes back."""

import io
import sqlite3
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article, FanReaction, SocialPost
from artists.models import Artist
from discography.models import Release
from newsroom import backup
from newsroom.backup import BackupError, create_backup, latest_backup, restore_backup

pytestmark = pytest.mark.django_db(transaction=True)

# table -> (what it holds, the column that names each row)
TABLES = {
    Article._meta.db_table: ("Article", "slug"),
    Artist._meta.db_table: ("Artist", "slug"),
    Release._meta.db_table: ("Release", "slug"),
    FanReaction._meta.db_table: ("FanReaction", "message"),
    SocialPost._meta.db_table: ("SocialPost", "post_id"),
}


def restored_names(db, table: str) -> set[str]:
    """The naming column of every row of ``table`` in a restored database."""
    column = TABLES[table][1]
    return {name for (name,) in db.execute(f"SELECT {column} FROM {table}").fetchall()}


@pytest.fixture
def newsroom_rows():
    Artist.objects.create(name="아이유", slug="iu")
    Artist.objects.create(name="V", slug="v")
    Release.objects.create(title="The Winning", slug="the-winning")
    story = Article.objects.create(
        headline="IU on love, <b>loss</b> & working with V",
        slug="iu-interview",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    for n, (name, message, status) in enumerate(
        [
            ("유애나", "정말 감동이에요 💜", FanReaction.Status.APPROVED),
            ("Bora", "Waiting for the tour!", FanReaction.Status.PENDING),
            ("spammer", "buy followers", FanReaction.Status.SPAM),
        ]
    ):
        FanReaction.objects.create(
            article=story,
            display_name=name,
            message=message,
            status=status,
            fingerprint=f"{n:064x}",
            message_digest=f"{n:064x}",
        )
    post = SocialPost.objects.create(
        platform="x",
        post_id="1750000000000000000",
        url="https://x.com/iu_loen/status/1750000000000000000",
        author_name="아이유",
        text="Thank you, Uaena 💜",
    )
    post.articles.add(story)
    SocialPost.objects.create(
        platform="youtube",
        post_id="JleoAppaxi0",
        url="https://www.youtube.com/watch?v=JleoAppaxi0",
    )
    media = Path(settings.MEDIA_ROOT) / "images" / "2024"
    media.mkdir(parents=True, exist_ok=True)
    (media / "아이유-cover.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    return {
        Artist._meta.db_table: {"iu", "v"},
        Release._meta.db_table: {"the-winning"},
        Article._meta.db_table: {"iu-interview"},
        FanReaction._meta.db_table: {
            "정말 감동이에요 💜",
            "Waiting for the tour!",
            "buy followers",
        },
        SocialPost._meta.db_table: {"1750000000000000000", "JleoAppaxi0"},
    }


def assert_reactions_and_posts_intact(db) -> None:
    """Reactions keep their story, state and author; posts keep their stories."""
    reactions = db.execute(
        f"SELECT r.display_name, r.status, a.slug FROM {FanReaction._meta.db_table} r "
        f"JOIN {Article._meta.db_table} a ON a.id = r.article_id"
    ).fetchall()
    assert sorted(reactions) == sorted(
        [
            ("유애나", "approved", "iu-interview"),
            ("Bora", "pending", "iu-interview"),
            ("spammer", "spam", "iu-interview"),
        ]
    )
    through = SocialPost.articles.through._meta.db_table
    embedded = db.execute(
        f"SELECT p.post_id, p.author_name, p.text FROM {through} t "
        f"JOIN {SocialPost._meta.db_table} p ON p.id = t.socialpost_id"
    ).fetchall()
    assert [tuple(row) for row in embedded] == [
        ("1750000000000000000", "아이유", "Thank you, Uaena 💜")
    ]


def test_postgresql_backup_restores_into_an_empty_database(newsroom_rows, tmp_path):
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")
    folder = create_backup(root=tmp_path / "backups", db=db)
    assert (folder / "database.dump").stat().st_size > 0

    target = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    params = {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db.get("USER") or "postgres",
        "password": db.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{target}"')
    try:
        restored_media = tmp_path / "restored-media"
        restore_backup(folder, db={**db, "NAME": target}, media_root=restored_media)
        with psycopg.connect(dbname=target, **params) as restored:
            for table, names in newsroom_rows.items():
                assert restored_names(restored, table) == names, TABLES[table][0]
            (headline,) = restored.execute(
                f"SELECT headline FROM {Article._meta.db_table}"
            ).fetchone()
            assert headline == "IU on love, <b>loss</b> & working with V"
            assert_reactions_and_posts_intact(restored)
        assert (restored_media / "images/2024/아이유-cover.jpg").read_bytes() == (
            b"\xff\xd8 not really a jpeg"
        )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_sqlite_backup_restores_into_an_empty_file(newsroom_rows, tmp_path):
    source = tmp_path / "live.sqlite3"
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as copy:
            connection.connection.backup(copy)
    else:
        pytest.skip("the SQLite path needs the suite on SQLite")
    sqlite_db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}
    folder = create_backup(root=tmp_path / "backups", db=sqlite_db)

    empty = tmp_path / "restored.sqlite3"
    restore_backup(
        folder,
        db={**sqlite_db, "NAME": str(empty)},
        media_root=tmp_path / "restored-media",
    )
    with sqlite3.connect(empty) as restored:
        for table, names in newsroom_rows.items():
            assert restored_names(restored, table) == names, TABLES[table][0]
        assert_reactions_and_posts_intact(restored)
    assert (tmp_path / "restored-media/images/2024/아이유-cover.jpg").exists()


def test_backup_command_writes_a_complete_timestamped_folder(newsroom_rows, tmp_path):
    out = io.StringIO()
    call_command("backup", dir=tmp_path, stdout=out)
    folder = latest_backup(tmp_path)
    assert str(folder) in out.getvalue()
    assert {p.name for p in folder.iterdir()} >= {"manifest.json", "media.tar.gz"}
    assert not list(tmp_path.glob("*.partial"))


def test_a_failed_backup_leaves_no_half_written_folder(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise BackupError("disk full")

    monkeypatch.setattr(backup, "_sqlite_copy", broken)
    monkeypatch.setattr(backup, "_run", broken)
    with pytest.raises(BackupError):
        create_backup(root=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path, monkeypatch):
    with pytest.raises(BackupError, match="not a backup"):
        restore_backup(tmp_path)
    monkeypatch.setattr(backup, "default_backup_root", lambda: tmp_path / "none")
    with pytest.raises(CommandError, match="no backup found"):
        call_command("restore", interactive=False, stdout=io.StringIO())


def test_restore_never_writes_outside_media_root(tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"engine": "sqlite"}')
    db_file = tmp_path / "db.sqlite3"
    sqlite3.connect(db_file).close()
    (folder / "database.sqlite3").write_bytes(db_file.read_bytes())
    with tarfile.open(folder / "media.tar.gz", "w:gz") as archive:
        payload = b"pwned"
        member = tarfile.TarInfo("../escaped.txt")
        member.size = len(payload)
        archive.addfile(member, io.BytesIO(payload))
    with pytest.raises(tarfile.TarError):
        restore_backup(
            folder,
            db={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x.db")},
            media_root=tmp_path / "media",
        )
    assert not (tmp_path / "escaped.txt").exists()
