import pytest
from django.contrib.sites.requests import RequestSite
from django.test import RequestFactory

from artists.sitemaps import ArtistSitemap
from discography.sitemaps import ReleaseSitemap
from tests.artists.factories import ArtistFactory
from tests.discography.factories import ReleaseFactory

pytestmark = pytest.mark.django_db


def test_sitemaps_list_artist_and_release_pages():
    artist, release = ArtistFactory(name="IU"), ReleaseFactory(title="The Winning")
    site = RequestSite(RequestFactory().get("/sitemap.xml"))
    artist_urls = ArtistSitemap().get_urls(site=site, protocol="https")
    release_urls = ReleaseSitemap().get_urls(site=site, protocol="https")
    assert (
        artist_urls[0]["location"] == f"https://testserver{artist.get_absolute_url()}"
    )
    assert artist_urls[0]["lastmod"] == artist.updated_at
    assert release_urls[0]["location"].endswith(release.get_absolute_url())
