"""Delete the files refused forms held for a next try, once their tokens expired."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.held_uploads import purge_held_uploads


class Command(BaseCommand):
    help = "Delete held uploads (core.held_uploads) older than a day; run daily."

    def handle(self, *args, **options) -> None:
        deleted = purge_held_uploads()
        self.stdout.write(f"Deleted {deleted} held upload(s).")
