"""Story heroes: checked on upload, stored without metadata, renditions from the task."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.forms import ArticleAdminForm
from articles.models import Article
from core import tasks
from core.renditions import DERIVED_FROM
from tests.articles.factories import ArticleFactory, image_file

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "hero.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_renditions_at_several_widths_with_webp_and_no_exif():
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    story = ArticleFactory(
        hero_image=ContentFile(image_file(1000, 600, exif=exif.tobytes()), "h.jpg"),
        hero_alt="A red rectangle",
    )
    # The row also carries the photo library's focal-point crops for cards
    # (photos.fields.carried_renditions): they name the file they were cut from.
    entries = [e for e in story.hero_renditions if DERIVED_FROM not in e]
    crops = [e for e in story.hero_renditions if DERIVED_FROM in e]
    assert all(crop[DERIVED_FROM] == story.hero_image.name for crop in crops)
    assert sorted({(e["width"], e["format"]) for e in entries}) == [
        (w, f) for w in (320, 480, 800, 1000) for f in ("JPEG", "WEBP")
    ]
    for entry in entries:
        assert entry["source"] == story.hero_image.name
        with default_storage.open(entry["name"]) as f, Image.open(f) as image:
            assert image.width == entry["width"]
            assert not image.getexif()
    with story.hero_image.open("rb"), Image.open(story.hero_image) as original:
        assert not original.getexif()  # the stored original is clean as well
    assert (
        "480w" in story.hero_image.srcset_webp
        and ".webp 480w" in story.hero_image.srcset_webp
    )
    assert ".jpg 1000w" in story.hero_image.srcset_fallback
    assert story.hero_image.src.endswith("/w800.jpg")
    assert story.hero_image.smallest_url.endswith("/w320.webp")
    # The row holds the same list (written by the task) as the instance.
    assert Article.objects.get(pk=story.pk).hero_renditions == entries + crops


def test_a_transparent_hero_keeps_transparency_in_a_png_fallback():
    story = ArticleFactory(
        hero_image=ContentFile(_png_with_alpha(640, 360), name="logo.png"),
        hero_alt="A logo",
    )
    formats = {e["format"] for e in story.hero_renditions}
    assert formats == {"PNG", "WEBP"}
    assert ".png 640w" in story.hero_image.srcset_fallback


def _png_with_alpha(width: int, height: int) -> bytes:
    image = Image.new("RGBA", (width, height), (200, 30, 60, 255))
    image.putpixel((0, 0), (0, 0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_renditions_are_not_rebuilt_on_every_save(monkeypatch):
    story = ArticleFactory(with_hero=True)
    monkeypatch.setattr(
        tasks.renditions,
        "make_renditions",
        lambda *a, **k: pytest.fail("renditions rebuilt"),
    )
    story.headline = "Edited"
    story.save()
    story.save(update_fields=["headline"])


def test_a_new_hero_gets_new_renditions_and_drops_the_old_list():
    story = ArticleFactory(with_hero=True)
    old = story.hero_image.name
    story.hero_image = ContentFile(image_file(500, 300), name="second.jpg")
    story.save()
    assert story.hero_image.name != old
    own = [e for e in story.hero_renditions if DERIVED_FROM not in e]
    assert {e["source"] for e in own} == {story.hero_image.name}
    assert max(e["width"] for e in own) == 500
    # Crops of the old picture went with it.
    derived = {e[DERIVED_FROM] for e in story.hero_renditions if DERIVED_FROM in e}
    assert derived <= {story.hero_image.name}


def test_a_failed_rendition_never_fails_the_save(monkeypatch):
    def broken(storage, name):
        raise tasks.renditions.RenditionError("cannot read")

    monkeypatch.setattr(tasks.renditions, "make_renditions", broken)
    story = ArticleFactory(with_hero=True)
    assert Article.objects.filter(pk=story.pk).exists()
    assert story.hero_renditions == []
    # Without renditions the page still has the (clean) original to show.
    assert story.hero_image.src == story.hero_image.url


def test_removing_the_image_clears_renditions():
    story = ArticleFactory(with_hero=True)
    story.hero_image = None
    story.save()
    assert story.hero_renditions == []
    assert Article.objects.get(pk=story.pk).hero_renditions == []
    assert story.hero_image.src == "" and story.hero_image.srcset_webp == ""


def test_admin_form_requires_alt_text_with_an_image():
    form = ArticleAdminForm(
        data={"headline": "With image", "body": "<p>x</p>"},
        files={"hero_image": upload(image_file(800, 450))},
    )
    assert not form.is_valid()
    assert "hero_alt" in form.errors


def test_admin_form_refuses_a_non_image():
    form = ArticleAdminForm(
        data={"headline": "With image", "hero_alt": "alt"},
        files={"hero_image": upload(b"not an image at all")},
    )
    assert not form.is_valid()
    assert "hero_image" in form.errors


def test_content_file_validator_runs_on_model_clean():
    story = ArticleFactory.build(
        hero_image=ContentFile(b"nope", name="x.jpg"), hero_alt="alt"
    )
    with pytest.raises(ValidationError):
        story.full_clean(exclude=["section", "created_by"])


def test_a_too_narrow_hero_is_refused_on_model_clean():
    story = ArticleFactory.build(
        hero_image=ContentFile(image_file(100, 100), name="x.jpg"), hero_alt="alt"
    )
    with pytest.raises(ValidationError, match="at least 320"):
        story.full_clean(exclude=["section", "created_by"])


def test_refresh_renditions_command_remakes_every_missing_list():
    from io import StringIO

    from django.core.management import call_command

    from artists.models import Artist
    from tests.artists.factories import ArtistFactory
    from tests.artists.images import image_upload

    story = ArticleFactory(with_hero=True)
    artist = ArtistFactory(photo=image_upload(size=(500, 400)), photo_alt="IU")
    made = (story.hero_renditions, artist.photo_renditions)
    Article.objects.update(hero_renditions=[])
    Artist.objects.update(photo_renditions=[])
    ArticleFactory()  # no image: nothing to do

    out = StringIO()
    call_command("refresh_renditions", stdout=out)

    # Two rows, and the two library photos they became (photos.fields): same files.
    assert "Scheduled renditions for 4 image(s)." in out.getvalue()

    # Each row's own resized copies come back; the library's focal-point crops
    # (derived entries) return when the photo is next saved or cropped.
    def own(entries):
        return [e for e in entries if DERIVED_FROM not in e]

    assert Article.objects.get(pk=story.pk).hero_renditions == own(made[0])
    assert Artist.objects.get(pk=artist.pk).photo_renditions == own(made[1])


def test_the_migration_forgets_hero_lists_in_the_old_shape():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0500_image_renditions")
    story = ArticleFactory(with_hero=True)
    current = ArticleFactory(with_hero=True)
    old_shape = [{"width": 480, "height": 288, "fallback": "a.jpg", "webp": "a.webp"}]
    Article.objects.filter(pk=story.pk).update(hero_renditions=old_shape)

    migration.forget_old_hero_renditions(apps, None)

    assert Article.objects.get(pk=story.pk).hero_renditions == []
    assert Article.objects.get(pk=current.pk).hero_renditions == current.hero_renditions
    # The next save of the story makes renditions in the new shape.
    story.refresh_from_db()
    story.save()
    assert story.hero_renditions and "name" in story.hero_renditions[0]


@pytest.mark.parametrize(
    ("width", "height"),
    [(50_000, 50_000), (8_000, 6_000)],  # over Pillow's own limit; over only ours
)
def test_the_admin_form_calls_a_decompression_bomb_by_its_name(width, height):
    from django.forms import modelform_factory

    from artists.models import Artist
    from tests.core.test_images import png_header_only

    bomb = SimpleUploadedFile(
        "bomb.png", png_header_only(width, height), content_type="image/png"
    )
    form = ArticleAdminForm(
        data={"headline": "With image", "hero_alt": "alt"},
        files={"hero_image": bomb},
    )
    assert not form.is_valid()
    message = form.errors["hero_image"][0]
    assert "pixels" in message and "corrupted" not in message

    bomb.seek(0)
    artist_form = modelform_factory(Artist, fields=["name", "photo", "photo_alt"])(
        data={"name": "IU", "photo_alt": "alt"}, files={"photo": bomb}
    )
    assert not artist_form.is_valid()
    assert artist_form.errors["photo"] == form.errors["hero_image"]
