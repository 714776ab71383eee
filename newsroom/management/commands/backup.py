"""Back up the database and the media folder (``make backup``)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsroom.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Write the database and MEDIA_ROOT to var/backups/<timestamp>/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=None, help="Folder for backups (var/backups)."
        )

    def handle(self, *args, dir: Path | None, **options) -> None:
        try:
            target = create_backup(root=dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written to {target}"))
