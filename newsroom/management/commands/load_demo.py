"""Load the demo content of shared/domain.md; safe to run again (idempotent)."""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import demo as articles_demo
from articles import live_demo
from artists import demo as artists_demo
from discography import demo as discography_demo
from newsroom.groups import EDITORS, MODERATORS
from search import demo as search_demo


class Command(BaseCommand):
    help = "Create or update the demo artists, releases and stories; running it twice duplicates nothing."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # Order matters: stories point at releases, releases at artists.
        self.stdout.write(f"  artists: {artists_demo.load()}")
        self.stdout.write(f"  discography: {discography_demo.load()}")
        summary = articles_demo.load(
            editors=Group.objects.get(name=EDITORS),
            moderators=Group.objects.get(name=MODERATORS),
        )
        self.stdout.write(f"  articles: {summary}")
        self.stdout.write(f"  search: {search_demo.load()}")
        self.stdout.write(f"  live coverage: {live_demo.load()}")
        self.stdout.write(self.style.SUCCESS("Demo content is in place."))
