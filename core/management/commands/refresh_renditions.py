"""Schedule renditions for every stored image (after a deploy that changes sizes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.images import IMAGE_FIELDS
from core.tasks import refresh_image_renditions


class Command(BaseCommand):
    help = (
        "Enqueue refresh_image_renditions for every story hero, artist photo, "
        "release cover and post still (idempotent: unchanged files are not rewritten)."
    )

    def handle(self, *args, **options) -> None:
        from django.apps import apps

        total = 0
        for label, field in IMAGE_FIELDS:
            model = apps.get_model(label)
            pks = model._default_manager.exclude(**{field: ""}).values_list(
                "pk", flat=True
            )
            for pk in pks.iterator():
                refresh_image_renditions.enqueue(
                    model._meta.app_label, model._meta.model_name, pk, field
                )
                total += 1
        self.stdout.write(f"Scheduled renditions for {total} image(s).")
