"""A small K-pop world for search tests: IU and V with their names, one album."""

from __future__ import annotations

import pytest
from django.db import connection

from artists.models import ArtistAlias
from search import names
from tests.artists.factories import ArtistAliasFactory, ArtistFactory
from tests.discography.factories import ReleaseFactory, TrackFactory

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (full text, pg_trgm)"
)


@pytest.fixture(autouse=True)
def fresh_name_index():
    """Each test reads the names it made: rows rolled back leave no trace."""
    names.forget()
    yield
    names.forget()


@pytest.fixture
def iu(db):
    artist = ArtistFactory(
        name="IU",
        slug="iu",
        native_name="아이유",
        disambiguation="South Korean singer-songwriter",
    )
    for name, kind in [
        ("Lee Ji-eun", ArtistAlias.Kind.BIRTH_NAME),
        ("이지은", ArtistAlias.Kind.BIRTH_NAME),
        ("Nation's little sister", ArtistAlias.Kind.EPITHET),
    ]:
        ArtistAliasFactory(artist=artist, name=name, kind=kind)
    return artist


@pytest.fixture
def v(db):
    artist = ArtistFactory(
        name="V", slug="v", native_name="뷔", disambiguation="member of BTS"
    )
    for name, kind in [
        ("Kim Taehyung", ArtistAlias.Kind.BIRTH_NAME),
        ("김태형", ArtistAlias.Kind.BIRTH_NAME),
        ("Taehyung", ArtistAlias.Kind.NICKNAME),
    ]:
        ArtistAliasFactory(artist=artist, name=name, kind=kind)
    return artist


@pytest.fixture
def the_winning(iu):
    release = ReleaseFactory(title="The Winning", slug="the-winning", artists=[iu])
    for position, title in enumerate(
        ["Shopper", "Holssi", "Love wins all", "Shh..", "Stan U"], start=1
    ):
        TrackFactory(release=release, position=position, title=title)
    return release
