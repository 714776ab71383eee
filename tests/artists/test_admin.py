import pytest
from django.contrib.auth.models import Group, User

from artists.models import Artist, Membership
from tests.artists.factories import (
    AgencyFactory,
    ArtistAliasFactory,
    ArtistFactory,
    MembershipFactory,
)
from tests.artists.images import image_upload

pytestmark = pytest.mark.django_db


def inline(prefix: str, rows: list[dict] | None = None, initial: int = 0) -> dict:
    """Management-form fields (and rows) of an admin inline formset."""
    rows = rows or []
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


def artist_form(**fields) -> dict:
    data = {"name": "", "slug": "", "kind": "person", "sort_name": ""}
    for prefix in ["aliases", "links", "member_memberships", "memberships"]:
        data.update(inline(prefix))
    data.update(fields)
    return data


def test_artist_changelist_finds_artists_by_alias_or_native_name(admin_client):
    v = ArtistFactory(name="V", native_name="뷔")
    ArtistAliasFactory(artist=v, name="Taheyung")
    ArtistAliasFactory(artist=v, name="Kim Taehyung")
    ArtistFactory(name="IU")
    for query in ["Taheyung", "뷔", "taehyung"]:
        response = admin_client.get("/admin/artists/artist/", {"q": query})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [v], query


def test_artist_changelist_filters_by_kind_and_agency(admin_client):
    ador = AgencyFactory(name="ADOR")
    group = ArtistFactory(name="NewJeans", group=True, agencies=[ador])
    ArtistFactory(name="IU")
    response = admin_client.get(
        "/admin/artists/artist/", {"kind": "group", "agencies__id__exact": ador.pk}
    )
    assert list(response.context["cl"].result_list) == [group]


def test_adding_an_artist_with_a_hangul_name_and_no_slug(admin_client):
    response = admin_client.post(
        "/admin/artists/artist/add/",
        artist_form(
            name="아이유",
            **inline("aliases", [{"name": "Lee Ji-eun", "kind": "birth_name"}]),
        ),
    )
    assert response.status_code == 302, response.context["errors"]
    artist = Artist.objects.get()
    assert artist.slug == "aiyu"
    assert artist.all_names() == ["아이유", "Lee Ji-eun"]


def test_adding_an_artist_with_a_fake_image_saves_nothing(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = admin_client.post(
        "/admin/artists/artist/add/",
        artist_form(
            name="IU",
            photo=SimpleUploadedFile("iu.jpg", b"GIF89a not really"),
            photo_alt="IU",
            **inline("aliases", [{"name": "Lee Ji-eun", "kind": "birth_name"}]),
        ),
    )
    assert response.status_code == 200
    assert "photo" in response.context["adminform"].form.errors
    assert not Artist.objects.exists()


def test_adding_an_artist_with_a_photo_stores_it_without_exif(admin_client):
    response = admin_client.post(
        "/admin/artists/artist/add/",
        artist_form(name="IU", photo=image_upload(exif=True), photo_alt="IU smiling"),
    )
    assert response.status_code == 302
    artist = Artist.objects.get()
    from PIL import Image

    with artist.photo.open("rb"), Image.open(artist.photo) as stored:
        assert not stored.getexif()
    changelist = admin_client.get("/admin/artists/artist/").content.decode()
    assert artist.photo.url in changelist


def test_a_group_cannot_be_added_as_a_member_and_nothing_is_saved(admin_client):
    group = ArtistFactory(name="BTS", group=True)
    other_group = ArtistFactory(name="Another group", group=True)
    data = artist_form(name="BTS", slug=group.slug, kind="group", sort_name="BTS")
    data.update(
        inline(
            "member_memberships",
            [{"member": other_group.pk, "role": "", "began_on": "", "ended_on": ""}],
        )
    )
    response = admin_client.post(f"/admin/artists/artist/{group.pk}/change/", data)
    assert response.status_code == 200
    assert "Only a person can be a member of a group." in response.content.decode()
    assert not Membership.objects.exists()


def test_membership_ending_before_it_begins_is_refused_in_the_admin(admin_client):
    group = ArtistFactory(name="BTS", group=True)
    person = ArtistFactory(name="V")
    data = artist_form(name="BTS", slug=group.slug, kind="group", sort_name="BTS")
    data.update(
        inline(
            "member_memberships",
            [
                {
                    "member": person.pk,
                    "role": "vocalist",
                    "began_on": "2020-01-01",
                    "ended_on": "2019-01-01",
                }
            ],
        )
    )
    response = admin_client.post(f"/admin/artists/artist/{group.pk}/change/", data)
    assert response.status_code == 200
    assert "A membership cannot end before it begins." in response.content.decode()
    assert not Membership.objects.exists()


def test_group_page_shows_members_inline_and_person_page_shows_groups(admin_client):
    membership = MembershipFactory()
    group_page = admin_client.get(
        f"/admin/artists/artist/{membership.group.pk}/change/"
    ).content.decode()
    person_page = admin_client.get(
        f"/admin/artists/artist/{membership.member.pk}/change/"
    ).content.decode()
    assert "member_memberships-TOTAL_FORMS" in group_page
    assert "memberships-TOTAL_FORMS" not in group_page.replace("member_memberships", "")
    assert 'name="memberships-TOTAL_FORMS"' in person_page
    assert "member_memberships-TOTAL_FORMS" not in person_page
    assert "View on site" in group_page


def test_artist_autocomplete_answers_editors(client):
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    ArtistFactory(name="IU")
    response = client.get(
        "/admin/autocomplete/",
        {
            "term": "I",
            "app_label": "discography",
            "model_name": "releasecredit",
            "field_name": "artist",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["IU"]


def test_agency_changelist_and_search(admin_client):
    hybe = AgencyFactory(name="HYBE", native_name="하이브")
    AgencyFactory(name="ADOR", parent=hybe)
    response = admin_client.get("/admin/artists/agency/", {"q": "하이브"})
    assert list(response.context["cl"].result_list) == [hybe]


@pytest.mark.parametrize(
    "url", ["/admin/artists/artist/", "/admin/discography/release/"]
)
def test_changelist_query_count_does_not_grow_with_rows(
    admin_client, django_assert_max_num_queries, url
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.discography.factories import ReleaseFactory

    def add_rows(count):
        for _ in range(count):
            artist = ArtistFactory(agencies=[AgencyFactory()])
            ReleaseFactory(artists=[artist, ArtistFactory()], label=AgencyFactory())

    add_rows(2)
    admin_client.get(url)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(url)
    add_rows(15)
    with django_assert_max_num_queries(len(few)):
        admin_client.get(url)
