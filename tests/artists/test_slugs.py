import pytest
from hypothesis import given
from hypothesis import strategies as st

from artists.models import Artist
from artists.slugs import name_key, romanize_hangul, slug_for, unique_names, unique_slug


def test_hangul_is_romanised_syllable_by_syllable():
    assert romanize_hangul("이지은") == "ijieun"
    assert romanize_hangul("김태형") == "gimtaehyeong"


def test_slug_for_a_hangul_only_name_is_latin():
    assert slug_for("방탄 소년단") == "bangtan-sonyeondan"


def test_slug_for_other_scripts_keeps_unicode_letters():
    assert slug_for("ヨアソビ") == "ヨアソビ"


def test_slug_for_a_name_without_letters_falls_back():
    assert slug_for("♪♪", fallback="artist") == "artist"


def test_slug_is_cut_to_the_maximum_length():
    assert len(slug_for("a" * 300, max_length=50)) == 50


@given(st.text(max_size=80))
def test_slug_for_any_text_is_never_empty(text):
    slug = slug_for(text, max_length=200)
    assert slug and len(slug) <= 200
    assert " " not in slug


@pytest.mark.django_db
def test_unique_slug_adds_a_number_for_a_taken_slug():
    Artist.objects.create(name="IU")
    assert unique_slug(Artist(name="IU"), "IU") == "iu-2"


@pytest.mark.django_db
def test_saving_without_a_slug_makes_one_from_a_hangul_name():
    artist = Artist.objects.create(name="아이유")
    assert artist.slug == "aiyu"
    assert Artist.objects.create(name="아이유").slug == "aiyu-2"


def test_name_key_ignores_case_spacing_punctuation_and_accents():
    assert name_key("Kim Tae-hyung") == name_key("kim taehyung") == "kimtaehyung"
    assert name_key("Beyoncé") == "beyonce"
    assert name_key("이 지은") == "이지은"
    assert name_key("") == name_key(None) == ""


def test_unique_names_drops_blanks_and_repeats():
    assert unique_names(["IU", "", None, "iu", "아이유"]) == ["IU", "아이유"]
