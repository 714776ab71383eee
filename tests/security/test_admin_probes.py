"""Issue 16, finding 9: staff-only 500s from the address bar and from posted ids.

``?author=abc`` and ``?headline__regex=(a`` on the story list, a date hierarchy
year of 9999, and ``abc`` or ``999999999999999999999`` posted as an artist, a
release, a related story or a label all answered 500. Every registered admin (ours
and other apps') is probed here with bad query strings and bad posted ids: a bad
filter ends on Django's "?e=1" page with a message (or in an empty list), a bad id
is an error on its form field, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from core.adminguard import BAD_FILTER_MESSAGE
from newsroom.groups import EDITORS, MODERATORS, WRITERS
from tests.articles.factories import ArticleFactory
from tests.security.conftest import make_user

pytestmark = pytest.mark.django_db

HUGE = "999999999999999999999"
BAD_VALUES = ["abc", HUGE, "-1", "0001-01-01", "9999", "(a", "1,2", "x" * 300]
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def root(things):
    user = make_user("root", None)
    user.is_superuser = True
    user.save()
    return user


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def filter_parameters(model, request) -> list[str]:
    """The query-string names the list's own filters and date hierarchy read."""
    model_admin = admin.site._registry[model]
    names: list[str] = []
    for entry in model_admin.get_list_filter(request):
        if isinstance(entry, type) and issubclass(entry, SimpleListFilter):
            names.append(entry.parameter_name)
            continue
        path, spec_class = entry if isinstance(entry, tuple) else (entry, None)
        field = admin.utils.get_fields_from_path(model, path)[-1]
        spec_class = spec_class or FieldListFilter.create
        spec = spec_class(field, request, {}, model, model_admin, field_path=path)
        names += spec.expected_parameters()
    if model_admin.date_hierarchy:
        names += [
            f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")
        ]
    return names


def hostile_queries(model, request) -> list[dict[str, str]]:
    queries = [
        {name: value}
        for name in filter_parameters(model, request)
        for value in BAD_VALUES
    ]
    for field in model._meta.concrete_fields:
        name = field.name
        queries += [
            {f"{name}__regex": "(a"},
            {f"{name}__iregex": "[a"},
            {name: "abc"},
            {f"{name}__gte": "0001-01-01"},
            {f"{name}__year": "9999"},
        ]
    queries += [
        {"pk__in": f"1,{HUGE}"},
        {"pk": HUGE},
        {"id__in": "abc"},
        {"p": "abc"},
        {"p": HUGE},
        {"o": "abc"},
        {"o": "99.-99"},
        {"q": "(a"},
        {"q": "%_\\" * 50},
        {"no_such_field": "1"},
    ]
    return queries


def assert_handled(response, query) -> None:
    """A list (200), Django's "?e=1" for a filter it could not apply, or a 400 for a
    lookup it refuses outright: never a 500 (the test client raises those)."""
    status = response.status_code
    assert status in (200, 302, 400), (query, status)
    if status == 302:
        location = urlsplit(response["Location"])
        assert location.query == "e=1" or location.path == "/admin/login/", (
            query,
            response["Location"],
        )


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_every_changelist_takes_hostile_filters(client, rf, root, model):
    client.force_login(root)
    request = rf.get("/")
    request.user = root
    url = changelist_url(model)
    assert client.get(url).status_code == 200
    for query in hostile_queries(model, request):
        assert_handled(client.get(url, query), query)


@pytest.mark.parametrize(
    "role, model, query",
    [
        (WRITERS, Article, {"author": "abc"}),
        (WRITERS, Article, {"author": HUGE}),
        (WRITERS, Article, {"headline__regex": "(a"}),
        (WRITERS, Article, {"published_at__year": "9999"}),
        (WRITERS, Article, {"published_at__year": "1"}),
        (WRITERS, Article, {"published_at__gte": "0001-01-01"}),
        (WRITERS, Article, {"state": "nonsense"}),
        (EDITORS, Article, {"author": "abc"}),
        (EDITORS, Article, {"headline__regex": "(a"}),
        (EDITORS, Article, {"tags__id__exact": HUGE}),
        (EDITORS, "discography.Release", {"year": "99999999999"}),
        (EDITORS, "discography.Release", {"released_on__year": "9999"}),
        (EDITORS, "articles.SocialPost", {"posted_at__year": "0"}),
        (MODERATORS, "articles.FanReaction", {"flag": "bogus"}),
        (MODERATORS, "articles.FanReaction", {"created_at__gte": "0001-01-01"}),
        (MODERATORS, "articles.FanReaction", {"article__id__exact": "abc"}),
    ],
)
def test_a_bad_filter_lands_on_the_unfiltered_list_with_a_message(
    client, people, role, model, query
):
    from django.apps import apps

    model = apps.get_model(model) if isinstance(model, str) else model
    ArticleFactory(published=True)
    client.force_login(people[role])
    response = client.get(changelist_url(model), query)
    if response.status_code == 200:
        # a value that cannot match (PostgreSQL compares a year-1 date): empty list
        assert list(response.context["cl"].result_list) == [], query
        return
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert BAD_FILTER_MESSAGE in page.content.decode()


def test_the_story_list_refuses_the_reported_probes(client, people):
    """The two addresses from the report, as an editor: "?e=1", not a 500."""
    client.force_login(people[EDITORS])
    for query in ({"author": "abc"}, {"headline__regex": "(a"}):
        response = client.get(changelist_url(Article), query)
        assert response.status_code == 302
        assert response["Location"] == changelist_url(Article) + "?e=1"


def test_filters_the_list_offers_keep_working(client, people, things):
    client.force_login(people[EDITORS])
    bo_author = things["live"].bylines.get().author
    response = client.get(changelist_url(Article), {"author": str(bo_author.pk)})
    assert [a.headline for a in response.context["cl"].result_list] == ["Live story"]
    response = client.get(changelist_url(Article), {"state": "draft"})
    assert [a.headline for a in response.context["cl"].result_list] == ["Bo's draft"]
    year = things["live"].published_at.year
    response = client.get(changelist_url(Article), {"published_at__year": str(year)})
    assert response.status_code == 200
    # plain comparisons on a field stay possible from the address bar
    response = client.get(changelist_url(Article), {"status": "published"})
    assert [a.headline for a in response.context["cl"].result_list] == ["Live story"]
    response = client.get(changelist_url(Article), {"id__in": f"{things['live'].pk}"})
    assert response.status_code == 200 and len(response.context["cl"].result_list) == 1


KEYS = st.sampled_from(
    [
        "author",
        "state",
        "section__id__exact",
        "tags__id__exact",
        "is_featured__exact",
        "published_at__year",
        "published_at__month",
        "published_at__day",
        "published_at__gte",
        "headline",
        "headline__regex",
        "headline__contains",
        "id__in",
        "pk",
        "version__gt",
        "created_by",
        "created_by__username",
        "p",
        "o",
        "q",
        "e",
    ]
)
VALUES = st.one_of(
    st.sampled_from(BAD_VALUES),
    st.integers().map(str),
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\x00"
        ),
        max_size=30,
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=st.dictionaries(KEYS, VALUES, min_size=1, max_size=3))
def test_fuzzed_story_list_queries_as_a_writer(client, people, things, query):
    client.force_login(people[WRITERS])
    response = client.get(changelist_url(Article), query)
    if "e" in query and response.status_code == 200:
        return  # Django's "Database error" page for a second bad try: not a 500
    assert_handled(response, query)


# ---------------------------------------------------------------- posted ids

BAD_IDS = ["abc", HUGE, "-1", "1.5", "99999999999"]


def choice_fields(form) -> list[str]:
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]


def id_fields(model_admin, request) -> list[tuple[str | None, str]]:
    """(inline prefix or None, field) for every id field of the add page."""
    form = model_admin.get_form(request, None)()
    found = [(None, name) for name in choice_fields(form)]
    for formset, _inline in model_admin.get_formsets_with_inlines(request, None):
        prefix = formset.get_default_prefix()
        found += [
            (prefix, name)
            for name in choice_fields(formset.form())
            if name != formset.fk.name  # set from the page's object, not posted
        ]
    return found


def management(response) -> dict[str, str]:
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


def posted_errors(response, prefix: str | None) -> dict:
    if prefix is None:
        return response.context["adminform"].form.errors
    formset = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )
    return formset.forms[0].errors


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_bad_ids_posted_to_every_add_form_are_form_errors(client, rf, root, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = root
    if not model_admin.has_add_permission(request):
        pytest.skip(f"{model._meta.label} has no add page")
    client.force_login(root)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    page = client.get(url)
    assert page.status_code == 200
    count = model._default_manager.count()
    for prefix, field in id_fields(model_admin, request):
        for bad in BAD_IDS:
            data = management(page)
            if prefix is None:
                data[field] = bad
            else:
                data[f"{prefix}-TOTAL_FORMS"] = "1"
                data[f"{prefix}-0-{field}"] = bad
            response = client.post(url, data)
            assert response.status_code == 200, (prefix, field, bad)
            assert field in posted_errors(response, prefix), (prefix, field, bad)
            assert model._default_manager.count() == count


@pytest.mark.parametrize("role", [WRITERS, EDITORS])
@pytest.mark.parametrize(
    "field", ["artists", "releases", "related_articles", "tracks", "section"]
)
def test_bad_ids_on_the_story_form_are_errors_for_each_role(
    client, people, role, field
):
    from tests.articles.test_admin import form_data

    story = ArticleFactory(created_by=people[WRITERS])
    client.force_login(people[role])
    url = reverse("admin:articles_article_change", args=[story.pk])
    for bad in BAD_IDS:
        response = client.post(url, form_data(story, **{field: bad}))
        assert response.status_code == 200, (field, bad)
        assert field in response.context["adminform"].form.errors
    story.refresh_from_db()
    assert story.version == 1


def test_a_release_label_of_abc_is_an_error(client, people):
    from tests.artists.factories import ArtistFactory
    from tests.discography.test_admin import release_form, track

    client.force_login(people[EDITORS])
    iu = ArtistFactory(name="IU")
    for bad in ["abc", HUGE]:
        response = client.post(
            reverse("admin:discography_release_add"),
            release_form(iu, [track(1, "Shopper")], label=bad),
        )
        assert response.status_code == 200
        assert "label" in response.context["adminform"].form.errors


@pytest.mark.parametrize(
    "params",
    [
        {"term": "a", "page": "abc"},
        {"term": "a", "page": HUGE},
        {"term": "(a" * 200},
        {"field_name": "no_such_field"},
        {"model_name": "nothing"},
        {"app_label": "x" * 200},
    ],
)
def test_the_autocomplete_endpoint_takes_hostile_parameters(client, people, params):
    client.force_login(people[EDITORS])
    query = {
        "app_label": "articles",
        "model_name": "article",
        "field_name": "related_articles",
        **params,
    }
    response = client.get(reverse("admin:autocomplete"), query)
    assert response.status_code in (200, 403, 404)
