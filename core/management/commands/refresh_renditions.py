"""Schedule renditions for every stored image (after a deploy that changes sizes)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from core.images import rendition_fields
from core.tasks import refresh_image_renditions


class Command(BaseCommand):
    help = (
        "Enqueue refresh_image_renditions for every stored picture of every "
        "RenditionImageField (idempotent: unchanged files are not rewritten)."
    )

    def handle(self, *args, **options) -> None:
        total = 0
        for model, field in rendition_fields():
            pks = model._default_manager.exclude(**{field.attname: ""}).values_list(
                "pk", flat=True
            )
            for pk in pks.iterator():
                refresh_image_renditions.enqueue(
                    model._meta.app_label, model._meta.model_name, pk, field.name
                )
                total += 1
        self.stdout.write(f"Scheduled renditions for {total} image(s).")
