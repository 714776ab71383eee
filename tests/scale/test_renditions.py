"""Renditions: resized JPEG (PNG with transparency) and WebP copies, without EXIF,
made idempotently."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from PIL import Image

from core import renditions


def image_bytes(
    width: int, height: int, *, mode="RGB", fmt="JPEG", exif_orientation=None
) -> bytes:
    image = Image.new(mode, (width, height), (200, 30, 90) if mode == "RGB" else None)
    if mode == "RGBA":
        image.putpixel((0, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    options = {}
    if exif_orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation  # Orientation
        exif[0x010F] = "Test Camera Maker"  # Make
        options["exif"] = exif.tobytes()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


@pytest.fixture
def storage(tmp_path) -> FileSystemStorage:
    return FileSystemStorage(location=tmp_path, base_url="/media/")


def stored_files(storage: FileSystemStorage, folder: str) -> list[str]:
    try:
        return sorted(storage.listdir(folder)[1])
    except FileNotFoundError:
        return []


def test_large_source_gets_every_width_in_jpeg_and_webp_up_to_the_largest(storage):
    source = storage.save(
        "photos/아이유-stage.png", ContentFile(image_bytes(2000, 1000))
    )

    made = renditions.make_renditions(storage, source)

    assert {(r.width, r.format) for r in made} == {
        (width, fmt)
        for width in (320, 480, 800, 1200, 1600)
        for fmt in ("JPEG", "WEBP")
    }
    for rendition in made:
        with storage.open(rendition.name) as handle, Image.open(handle) as image:
            assert image.format == rendition.format
            assert image.size == (rendition.width, rendition.width // 2)
    assert stored_files(storage, renditions.rendition_dir(source)) == sorted(
        f"w{w}.{ext}" for w in (320, 480, 800, 1200, 1600) for ext in ("jpg", "webp")
    )


def test_small_source_is_never_upscaled(storage):
    source = storage.save("photos/tiny.jpg", ContentFile(image_bytes(200, 100)))

    made = renditions.make_renditions(storage, source)

    assert {(r.width, r.height) for r in made} == {(200, 100)}
    assert len(made) == 2


def test_exif_is_stripped_after_applying_its_rotation(storage):
    # Orientation 6: the camera was turned; the picture must come out portrait.
    source = storage.save(
        "photos/rotated.jpg",
        ContentFile(image_bytes(1000, 500, exif_orientation=6)),
    )

    made = renditions.make_renditions(storage, source)

    for rendition in made:
        with storage.open(rendition.name) as handle, Image.open(handle) as image:
            assert image.height > image.width
            assert not image.getexif()
            assert "exif" not in image.info


def test_transparent_png_keeps_alpha_in_a_png_fallback_and_in_webp(storage):
    source = storage.save(
        "photos/logo.png", ContentFile(image_bytes(640, 640, mode="RGBA", fmt="PNG"))
    )

    made = {(r.width, r.format): r for r in renditions.make_renditions(storage, source)}

    assert {fmt for _, fmt in made} == {"PNG", "WEBP"}
    with storage.open(made[(640, "PNG")].name) as handle, Image.open(handle) as png:
        assert png.mode == "RGBA" and png.getpixel((0, 0))[3] == 0
    with storage.open(made[(640, "WEBP")].name) as handle, Image.open(handle) as webp:
        assert webp.mode == "RGBA"


def test_an_opaque_image_gets_a_jpeg_fallback_and_no_png(storage):
    source = storage.save(
        "photos/opaque.png", ContentFile(image_bytes(500, 250, fmt="PNG"))
    )

    made = renditions.make_renditions(storage, source)

    assert {r.format for r in made} == {"JPEG", "WEBP"}


def test_running_twice_writes_the_same_files_and_no_duplicates(storage):
    source = storage.save("photos/twice.jpg", ContentFile(image_bytes(1400, 700)))
    folder = renditions.rendition_dir(source)

    first = renditions.make_renditions(storage, source)
    contents = {r.name: storage.open(r.name).read() for r in first}
    modified = {r.name: storage.get_modified_time(r.name) for r in first}
    second = renditions.make_renditions(storage, source)

    assert first == second
    assert len(stored_files(storage, folder)) == 10
    assert {r.name: storage.open(r.name).read() for r in second} == contents
    # Unchanged renditions are not rewritten at all.
    assert {r.name: storage.get_modified_time(r.name) for r in second} == modified


def test_a_smaller_replacement_removes_renditions_it_no_longer_needs(storage):
    source = storage.save("photos/swap.jpg", ContentFile(image_bytes(1400, 700)))
    renditions.make_renditions(storage, source)
    storage.delete(source)
    storage.save(source, ContentFile(image_bytes(700, 350)))

    made = renditions.make_renditions(storage, source)

    assert {r.width for r in made} == {320, 480, 700}
    assert stored_files(storage, renditions.rendition_dir(source)) == [
        "w320.jpg",
        "w320.webp",
        "w480.jpg",
        "w480.webp",
        "w700.jpg",
        "w700.webp",
    ]


def test_a_file_that_is_not_an_image_is_a_rendition_error(storage):
    source = storage.save("photos/fake.jpg", ContentFile(b"<html>not an image</html>"))

    with pytest.raises(renditions.RenditionError):
        renditions.make_renditions(storage, source)
    assert stored_files(storage, renditions.rendition_dir(source)) == []


def test_delete_renditions_removes_them_all(storage):
    source = storage.save("photos/gone.jpg", ContentFile(image_bytes(700, 350)))
    renditions.make_renditions(storage, source)

    removed = renditions.delete_renditions(storage, source)

    assert len(removed) == 6
    assert stored_files(storage, renditions.rendition_dir(source)) == []


def test_rendition_names_derive_from_the_source_name_only():
    assert (
        renditions.rendition_name("photos/a.b/iu.png", 640, "WEBP")
        == "renditions/photos/a.b/iu/w640.webp"
    )
    assert renditions.target_widths(1000) == [320, 480, 800, 1000]
    assert renditions.target_widths(4000) == [320, 480, 800, 1200, 1600]
    assert renditions.target_widths(90) == [90]
