"""Make sure a local superuser exists and say how to log in (used by ``make run``)."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the local superuser 'admin' if missing and print how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--url", default="http://127.0.0.1:8000/admin/")

    def handle(self, *args, username: str, url: str, **options) -> None:
        User = get_user_model()
        password = os.environ.get("ADMIN_PASSWORD", "").strip()
        user = User.objects.filter(username=username).first()
        if user is None:
            generated = not password
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(username, "", password)
            self.stdout.write(
                self.style.SUCCESS(f"Created the superuser '{username}'.")
            )
            shown = password if generated else "the value of ADMIN_PASSWORD"
            if generated:
                self.stdout.write("This password is shown only once; keep it.")
        elif password:
            user.set_password(password)
            user.is_active = user.is_staff = user.is_superuser = True
            user.save()
            shown = "the value of ADMIN_PASSWORD"
        else:
            shown = (
                "the password printed when it was created "
                "(set ADMIN_PASSWORD to choose a new one)"
            )
        self.stdout.write(f"Log in at {url} as '{username}' with {shown}.")
