"""Pictures for the demo content, drawn here with Pillow (no network, no one's photo).

Each is abstract art in the site's spirit: a portrait-like silhouette for a person, a
line of them for a group, a poster for a story, a sleeve for a release. The same key
always draws the same picture, so a demo loaded twice looks the same; each is stored
once in the photo library (found again by its usage terms), with alt text, a credit
and its focal point where the eye goes (the face, the sun), so cards crop around it.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import random
from collections.abc import Callable, Iterable
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from photos.models import Photo

CREDIT = "Newsroom illustration"
HOLDER = "Newsroom"
# Marks a demo picture in the library (and finds it again: load_demo is idempotent).
TERMS_PREFIX = "Demo artwork made by load_demo; free to use on this site. Key: "
# Sizes keep load_demo quick (each picture gets renditions and crops) and still
# fill a story column or a profile photo at 1280 px.
STORY_SIZE = (800, 450)
PORTRAIT_SIZE = (480, 600)
COVER_SIZE = (560, 560)
FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)

RGB = tuple[int, int, int]


def _rng(key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(key.encode()).hexdigest()[:16], 16))


def _tone(hue: float, lightness: float, saturation: float) -> RGB:
    red, green, blue = colorsys.hls_to_rgb(hue % 1.0, lightness, saturation)
    return (round(red * 255), round(green * 255), round(blue * 255))


def _palette(rng: random.Random) -> dict[str, RGB]:
    """A dark ground, a glowing accent and a light, from one hue and a neighbour."""
    hue = rng.random()
    accent = hue + rng.choice((0.08, -0.08, 0.5, 0.12))
    return {
        "deep": _tone(hue, 0.13, 0.55),
        "ground": _tone(hue + 0.03, 0.32, 0.6),
        "glow": _tone(accent, 0.62, 0.85),
        "light": _tone(accent + 0.02, 0.86, 0.75),
        "shadow": _tone(hue, 0.08, 0.4),
    }


def _gradient(size: tuple[int, int], top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(
        Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask
    )


def _glow(
    canvas: Image.Image, centre: tuple[float, float], radius: float, colour: RGB
) -> None:
    """A soft disc of light (drawn small and blurred: cheap at any size)."""
    scale = 4
    small = Image.new("L", (canvas.width // scale, canvas.height // scale), 0)
    x, y, r = centre[0] / scale, centre[1] / scale, radius / scale
    ImageDraw.Draw(small).ellipse([x - r, y - r, x + r, y + r], fill=200)
    mask = small.filter(ImageFilter.GaussianBlur(r / 2.2)).resize(canvas.size)
    canvas.paste(Image.new("RGB", canvas.size, colour), mask=mask)


def _rings(
    canvas: Image.Image,
    centre: tuple[float, float],
    radii: Iterable[float],
    colour: RGB,
) -> None:
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for index, radius in enumerate(radii):
        x, y = centre
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius],
            outline=(*colour, 90 - 18 * index),
            width=max(3, round(radius / 28)),
        )
    canvas.paste(layer, mask=layer)


def _figure(
    draw: ImageDraw.ImageDraw, x: float, base: float, head: float, colour: RGB
) -> tuple[float, float]:
    """A head-and-shoulders silhouette standing on ``base``; returns the face's
    centre (the focal point)."""
    face_y = base - head * 3.1
    draw.rounded_rectangle(
        [x - head * 2.3, base - head * 1.55, x + head * 2.3, base + head * 2],
        radius=head * 1.3,
        fill=colour,
    )
    draw.rectangle(
        [x - head * 0.5, face_y + head * 0.5, x + head * 0.5, base - head * 1.2],
        fill=colour,
    )
    draw.ellipse(
        [x - head * 0.8, face_y - head, x + head * 0.8, face_y + head], fill=colour
    )
    return x, face_y


def portrait(key: str, *, people: int = 1) -> tuple[Image.Image, float, float]:
    """A person (or a group of ``people``) as lit silhouettes; with the focal point."""
    rng = _rng(key)
    colours = _palette(rng)
    width, height = PORTRAIT_SIZE if people == 1 else STORY_SIZE
    canvas = _gradient((width, height), colours["ground"], colours["deep"])
    if people == 1:
        spots = [(width * rng.uniform(0.44, 0.56), height * 1.02, width * 0.19)]
    else:
        step = width / (people + 1)
        spots = [
            (
                step * (n + 1) + rng.uniform(-8, 8),
                height * (0.99 + 0.04 * (n % 2)),
                height * rng.uniform(0.1, 0.125),
            )
            for n in range(people)
        ]
    middle = spots[len(spots) // 2]
    face_y = middle[1] - middle[2] * 3.1
    _glow(canvas, (middle[0], face_y), width * 0.42, colours["glow"])
    _rings(
        canvas,
        (middle[0], face_y),
        (width * 0.3, width * 0.42, width * 0.56),
        colours["light"],
    )
    rim = Image.new("L", canvas.size, 0)
    body = Image.new("L", canvas.size, 0)
    for x, base, head in spots:
        _figure(ImageDraw.Draw(rim), x, base, head * 1.04, 255)
        _figure(ImageDraw.Draw(body), x + head * 0.05, base + head * 0.05, head, 255)
    canvas.paste(
        Image.new("RGB", canvas.size, colours["light"]),
        mask=rim.filter(ImageFilter.GaussianBlur(3)),
    )
    canvas.paste(Image.new("RGB", canvas.size, colours["shadow"]), mask=body)
    return canvas, middle[0] / width, face_y / height


def _lit_disc(canvas, centre, *, glow, rings, radius, colours, fill) -> None:
    """A disc at ``centre`` in a glow and rings of light: a poster's sun, a sleeve's
    record."""
    _glow(canvas, centre, glow, colours["glow"])
    _rings(canvas, centre, rings, colours["light"])
    x, y = centre
    ImageDraw.Draw(canvas).ellipse(
        [x - radius, y - radius, x + radius, y + radius], fill=fill
    )


def poster(key: str) -> tuple[Image.Image, float, float]:
    """A story's poster: a low sun in rings over bands of colour; focal on the sun."""
    rng = _rng(key)
    colours = _palette(rng)
    width, height = STORY_SIZE
    canvas = _gradient((width, height), colours["deep"], colours["ground"])
    sun = (width * rng.uniform(0.25, 0.75), height * rng.uniform(0.35, 0.55))
    _lit_disc(
        canvas,
        sun,
        glow=height * 0.55,
        rings=(height * 0.22, height * 0.34, height * 0.48, height * 0.64),
        radius=height * 0.16,
        colours=colours,
        fill=colours["light"],
    )
    layer = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    bands = ImageDraw.Draw(layer)
    for n in range(4):
        top = height * (0.62 + 0.1 * n) + rng.uniform(-12, 12)
        tilt = rng.uniform(-40, 40)
        bands.polygon(
            [(0, top + tilt), (width, top - tilt), (width, height), (0, height)],
            fill=(*colours["shadow"], 110 + 35 * n),
        )
    canvas.paste(layer, mask=layer)
    return canvas, sun[0] / width, sun[1] / height


def sleeve(key: str, title: str) -> tuple[Image.Image, float, float]:
    """A release's cover: a disc of light in rings, and its title set in type."""
    rng = _rng(key)
    colours = _palette(rng)
    width, height = COVER_SIZE
    canvas = _gradient((width, height), colours["ground"], colours["deep"])
    centre = (width * 0.5, height * 0.44)
    _lit_disc(
        canvas,
        centre,
        glow=width * 0.45,
        rings=(width * 0.16, width * 0.26, width * 0.36, width * 0.46),
        radius=34,
        colours=colours,
        fill=colours["shadow"],
    )
    draw = ImageDraw.Draw(canvas)
    font = _font(round(width * 0.085))
    if font is not None and title:
        text = title.upper()[:22]
        box = draw.textbbox((0, 0), text, font=font)
        draw.text(
            ((width - (box[2] - box[0])) / 2, height * 0.82),
            text,
            font=font,
            fill=colours["light"],
        )
    return canvas, centre[0] / width, centre[1] / height


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=86)
    return out.getvalue()


def demo_photos() -> dict[str, Photo]:
    """The demo pictures already in the library, by key (one query)."""
    return {
        photo.usage_terms.removeprefix(TERMS_PREFIX): photo
        for photo in Photo.objects.filter(usage_terms__startswith=TERMS_PREFIX)
    }


def demo_photo(
    key: str,
    draw: Callable[[], tuple[Image.Image, float, float]],
    *,
    alt: str,
    caption: str = "",
    known: dict[str, Photo] | None = None,
) -> Photo:
    """The library photo for ``key``: the stored one, else what ``draw`` makes,
    stored now (rights complete: our own artwork, credited)."""
    found = (known if known is not None else demo_photos()).get(key)
    if found is not None:
        return found
    image, focal_x, focal_y = draw()
    photo = Photo(
        file=ContentFile(_jpeg(image), name=f"demo-{key.replace(':', '-')}.jpg"),
        alt_text=alt,
        caption=caption,
        credit=CREDIT,
        copyright_holder=HOLDER,
        usage_kind=Photo.UsageKind.OWN,
        usage_terms=TERMS_PREFIX + key,
        focal_x=round(focal_x, 2),
        focal_y=round(focal_y, 2),
    )
    photo.save()
    if known is not None:
        known[key] = photo
    return photo
