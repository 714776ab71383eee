"""Slugs and name keys for names in any script (one helper for every app).

A slug must be usable for a name with no Latin letters: Hangul is romanised (Revised
Romanization, syllable by syllable), other scripts keep their letters as a Unicode
slug, and a name with no letters at all falls back to a stable word. Tags keep their
own script instead (``unicode_slug``) and name their symbols ("💜" is
"purple-heart").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from django.db import models
from django.utils.text import slugify

# Revised Romanization of the jamo of a Hangul syllable (no sound-change rules: a slug
# must be predictable from the spelling, not perfect phonetics).
_INITIALS = "g kk n d tt r m b pp s ss _ j jj ch k t p h".split()
_VOWELS = "a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i".split()
_FINALS = [""] + "k k k n n n t l k m l l l p l m p p t t ng t t k t p t".split()
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def romanize_hangul(text: str) -> str:
    """Latin letters for the Hangul syllables in ``text``; other characters unchanged."""
    out: list[str] = []
    for char in text:
        code = ord(char)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            index = code - _HANGUL_FIRST
            initial, rest = divmod(index, 21 * 28)
            vowel, final = divmod(rest, 28)
            syllable = _INITIALS[initial].replace("_", "") + _VOWELS[vowel]
            out.append(syllable + _FINALS[final])
        else:
            out.append(char)
    return "".join(out)


def slug_for(text: str, *, max_length: int = 200, fallback: str = "item") -> str:
    """The slug of a name: Latin where possible, Unicode letters otherwise, never empty."""
    text = unicodedata.normalize("NFKC", text or "")
    slug = slugify(romanize_hangul(text))
    if not slug:
        slug = slugify(text, allow_unicode=True)
    return (slug or fallback)[:max_length].strip("-") or fallback


# Skin tones and the like change how a symbol looks, not what it names.
_MODIFIERS = range(0x1F3FB, 0x1F400)
_REGIONAL_A, _REGIONAL_Z = 0x1F1E6, 0x1F1FF


def symbol_slug(text: str) -> str:
    """A Latin slug from the Unicode names of the symbols in ``text``, for names
    that are symbols only: "💜" -> "purple-heart", "?!" ->
    "question-mark-exclamation-mark", "🇰🇷" -> "flag-kr". Joiners, variation
    selectors and skin tones are left out, and a symbol repeated is named once.
    Empty when nothing in ``text`` has a name."""
    words: list[str] = []
    flag = ""
    for char in unicodedata.normalize("NFC", text or ""):
        code = ord(char)
        if _REGIONAL_A <= code <= _REGIONAL_Z:
            flag += chr(ord("a") + code - _REGIONAL_A)
            if len(flag) == 2:
                words.append(f"flag {flag}")
                flag = ""
            continue
        if unicodedata.category(char)[0] in "CMZ" or code in _MODIFIERS:
            continue
        name = unicodedata.name(char, "")
        if name and (not words or words[-1] != name):
            words.append(name)
    return slugify(" ".join(words))


def unicode_slug(text: str, *, max_length: int = 200, fallback: str = "item") -> str:
    """The slug of a name kept in its own script (Hangul stays Hangul), the names of
    its symbols when it has no letters or digits, else ``fallback``; never empty."""
    text = unicodedata.normalize("NFKC", text or "")
    slug = slugify(text, allow_unicode=True) or symbol_slug(text) or fallback
    if len(slug) > max_length:  # cut between words where there are words
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-_") or fallback


def unique_slug(
    instance: models.Model,
    text: str,
    *,
    field: str = "slug",
    fallback: str = "item",
    keep_script: bool = False,
) -> str:
    """A slug for ``instance`` that no other row of its model uses (-2, -3... added);
    romanised (``slug_for``), or in the name's own script with ``keep_script``."""
    max_length = instance._meta.get_field(field).max_length or 50
    make = unicode_slug if keep_script else slug_for
    base = make(text, max_length=max_length, fallback=fallback)
    others = type(instance)._default_manager.exclude(pk=instance.pk)
    candidate, number = base, 1
    while others.filter(**{field: candidate}).exists():
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate


_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(text: str | None) -> str:
    """A name reduced for matching: case, accents, spaces and punctuation ignored.

    "Kim Tae-hyung", "kim taehyung" and "KIM TAEHYUNG" share one key, so readers'
    spellings and impersonation checks compare like with like.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Drop combining accents but keep Hangul jamo, which NFKD also splits apart.
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", kept))


def unique_names(names: Iterable[str | None]) -> list[str]:
    """Names in order with blanks and repeats (by key) removed."""
    seen: set[str] = set()
    result: list[str] = []
    for name in names:
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            result.append(name.strip())  # type: ignore[union-attr]
    return result
