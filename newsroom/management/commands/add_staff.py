"""``manage.py add_staff alice --group Writers``: a staff member in one line.

Creates the account (or updates an existing one) with staff status and the chosen
group, and prints a one-time password unless ``STAFF_PASSWORD`` is set. The group's
rights come from ``newsroom.groups``; no one becomes a superuser this way.
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from newsroom.groups import EDITORS, MODERATORS, WRITERS, sync_groups


class Command(BaseCommand):
    help = "Add a staff member (staff status and one group) in one line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--group", required=True, choices=[WRITERS, EDITORS, MODERATORS]
        )
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Full name, e.g. 'Kim Minji'.")

    @transaction.atomic
    def handle(self, *args, username: str, group: str, email: str, name: str, **_):
        username = username.strip()
        if not username:
            raise CommandError("Give a username.")
        User = get_user_model()
        password = os.environ.get("STAFF_PASSWORD", "").strip()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username)
        temporary = secrets.token_urlsafe(12) if created and not password else ""
        if created or password:
            user.set_password(password or temporary)
        user.is_staff = user.is_active = True
        if email:
            user.email = email
        if name:
            first, _, last = name.strip().partition(" ")
            user.first_name, user.last_name = first, last
        user.save()
        if not Group.objects.filter(name=group).exists():
            sync_groups()
        user.groups.add(Group.objects.get(name=group))
        verb = "Added" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{verb} '{username}' in {group}."))
        if temporary:
            self.stdout.write(f"Temporary password (shown once): {temporary}")
        elif created:
            self.stdout.write("Password: the value of STAFF_PASSWORD.")
