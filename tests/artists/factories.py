"""Factories for artists; traits build a group with members or a person in groups."""

import factory

from artists.models import Agency, Artist, ArtistAlias, ArtistLink, Membership


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Agency {n}")


class ArtistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Artist
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Artist {n}")
    kind = Artist.Kind.PERSON

    class Params:
        group = factory.Trait(kind=Artist.Kind.GROUP)

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)

    @factory.post_generation
    def aliases(self, create, extracted, **kwargs):
        """``aliases=3`` adds three nicknames."""
        if create and extracted:
            for number in range(extracted):
                ArtistAliasFactory(artist=self, name=f"{self.name} alias {number}")

    @factory.post_generation
    def members(self, create, extracted, **kwargs):
        """``members=5`` on a group adds five current members."""
        if create and extracted:
            for _ in range(extracted):
                MembershipFactory(group=self)


class ArtistAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArtistAlias
        skip_postgeneration_save = True

    artist = factory.SubFactory(ArtistFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")
    kind = ArtistAlias.Kind.NICKNAME


class ArtistLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArtistLink
        skip_postgeneration_save = True

    artist = factory.SubFactory(ArtistFactory)
    url = factory.Sequence(lambda n: f"https://example.com/artist-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    member = factory.SubFactory(ArtistFactory)
    group = factory.SubFactory(ArtistFactory, group=True)
    role = "vocalist"
