import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from artists.models import Agency, Artist, ArtistAlias, ArtistLink, Membership
from tests.artists.factories import (
    AgencyFactory,
    ArtistAliasFactory,
    ArtistFactory,
    MembershipFactory,
)
from tests.artists.images import image_upload

pytestmark = pytest.mark.django_db


def test_matching_name_finds_an_artist_by_any_name():
    v = ArtistFactory(name="V", native_name="뷔")
    ArtistAliasFactory(artist=v, name="Kim Taehyung", kind=ArtistAlias.Kind.BIRTH_NAME)
    ArtistAliasFactory(artist=v, name="김태형", kind=ArtistAlias.Kind.BIRTH_NAME)
    ArtistAliasFactory(artist=v, name="Taheyung", kind=ArtistAlias.Kind.MISSPELLING)
    ArtistFactory(name="Someone else")
    for text in ["v", "뷔", "kim tae-hyung", "김태형", "TAHEYUNG", "  V  "]:
        assert list(Artist.objects.matching_name(text)) == [v], text


def test_matching_name_returns_each_artist_once_and_nothing_for_blank():
    iu = ArtistFactory(name="IU")
    ArtistAliasFactory(artist=iu, name="I.U.")
    assert list(Artist.objects.matching_name("iu")) == [iu]
    assert not Artist.objects.matching_name("").exists()
    assert not Artist.objects.matching_name("--").exists()


def test_matching_name_finds_every_artist_sharing_a_name():
    first, second = ArtistFactory(name="V"), ArtistFactory(name="V")
    assert set(Artist.objects.matching_name("V")) == {first, second}


def test_all_names_lists_stage_native_and_alias_names_once():
    iu = ArtistFactory(name="IU", native_name="아이유")
    ArtistAliasFactory(artist=iu, name="Lee Ji-eun", kind=ArtistAlias.Kind.BIRTH_NAME)
    ArtistAliasFactory(
        artist=iu, name="the LILAC singer", kind=ArtistAlias.Kind.EPITHET
    )
    ArtistAliasFactory(artist=iu, name="iu", kind=ArtistAlias.Kind.NICKNAME)
    assert iu.all_names() == ["IU", "아이유", "Lee Ji-eun", "the LILAC singer"]
    assert iu.birth_names == ["Lee Ji-eun"]


def test_save_fills_sort_name_and_cleans_the_bio():
    artist = ArtistFactory(
        name="  IU ", bio='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    assert artist.name == "IU" and artist.sort_name == "IU"
    assert artist.bio == "<p>Hi</p>"


def test_str_includes_the_disambiguation():
    assert str(ArtistFactory(name="V", disambiguation="member of BTS")) == (
        "V (member of BTS)"
    )


def test_a_photo_needs_alt_text():
    artist = Artist(name="IU", slug="iu", photo=image_upload())
    with pytest.raises(ValidationError) as caught:
        artist.full_clean()
    assert "photo_alt" in caught.value.message_dict


def test_debut_cannot_come_before_birth():
    artist = Artist(
        name="IU",
        slug="iu",
        began_on=datetime.date(2000, 1, 1),
        debuted_on=datetime.date(1999, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        artist.full_clean()
    assert "debuted_on" in caught.value.message_dict


def test_duplicate_alias_of_one_artist_is_refused_with_a_clear_message():
    alias = ArtistAliasFactory(name="Taehyung")
    duplicate = ArtistAlias(artist=alias.artist, name="Taehyung", kind="nickname")
    with pytest.raises(ValidationError, match="already has this alias"):
        duplicate.full_clean()


def test_links_must_be_web_addresses():
    link = ArtistLink(artist=ArtistFactory(), url="javascript:alert(1)")
    with pytest.raises(ValidationError) as caught:
        link.full_clean()
    assert "url" in caught.value.message_dict


def test_membership_cannot_end_before_it_begins():
    membership = MembershipFactory.build(
        member=ArtistFactory(),
        group=ArtistFactory(group=True),
        began_on=datetime.date(2020, 1, 1),
        ended_on=datetime.date(2019, 1, 1),
    )
    with pytest.raises(ValidationError) as caught:
        membership.full_clean()
    assert "cannot end before it begins" in str(caught.value)


def test_database_refuses_a_membership_ending_before_it_begins():
    membership = MembershipFactory()
    membership.began_on = datetime.date(2020, 1, 1)
    membership.ended_on = datetime.date(2019, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_only_a_person_can_be_a_member_and_only_of_a_group():
    membership = Membership(
        member=ArtistFactory(group=True), group=ArtistFactory(), role="vocalist"
    )
    with pytest.raises(ValidationError) as caught:
        membership.full_clean()
    assert caught.value.message_dict["member"] == [
        "Only a person can be a member of a group."
    ]
    assert caught.value.message_dict["group"] == [
        "Members can only join an artist that is a group."
    ]


def test_current_and_former_members():
    current = MembershipFactory()
    former = MembershipFactory(
        began_on=datetime.date(2010, 1, 1), ended_on=datetime.date(2012, 1, 1)
    )
    assert current.is_current and not former.is_current


def test_agency_cannot_be_its_own_ancestor():
    hybe = AgencyFactory(name="HYBE")
    label = AgencyFactory(name="BIGHIT MUSIC", parent=hybe)
    hybe.parent = label
    with pytest.raises(ValidationError) as caught:
        hybe.full_clean()
    assert "parent" in caught.value.message_dict


def test_agency_slug_is_made_from_its_name():
    assert Agency.objects.create(name="EDAM Entertainment").slug == "edam-entertainment"


def test_named_like_matches_part_of_any_name():
    v = ArtistFactory(name="V", native_name="뷔")
    ArtistAliasFactory(artist=v, name="Kim Taehyung")
    iu = ArtistFactory(name="IU", native_name="아이유")
    assert list(Artist.objects.named_like("taehy")) == [v]
    assert list(Artist.objects.named_like("아이")) == [iu]
    assert not Artist.objects.named_like(" - ").exists()
