"""Restore a backup made by ``manage.py backup`` (``make restore``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, latest_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and put back the media from a backup folder "
        "(the newest under var/backups/ when none is given)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="A backup folder.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path: Path | None, interactive: bool, **options) -> None:
        try:
            source = path or latest_backup()
            if interactive:
                answer = input(
                    f"This replaces the current database with {source}. "
                    "Type 'yes' to continue: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Restore cancelled.")
            restore_backup(source)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {source}"))
