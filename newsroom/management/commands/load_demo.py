"""Load the demo content of shared/domain.md; safe to run again (idempotent)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo as articles_demo
from artists import demo as artists_demo
from discography import demo as discography_demo


class Command(BaseCommand):
    help = "Create or update the demo artists, releases and stories; running it twice duplicates nothing."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # Order matters: stories point at releases, releases at artists.
        for label, module in [
            ("artists", artists_demo),
            ("discography", discography_demo),
            ("articles", articles_demo),
        ]:
            summary = module.load()
            self.stdout.write(f"  {label}: {summary}")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
