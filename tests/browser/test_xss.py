"""Stored text never runs as script: XSS payloads through every stored-text field.

Each payload goes into every field readers, editors and the network fill: a reader's
reaction (sent through the real form, then approved by a moderator), an artist's
bio, alias and disambiguation, a story's headline, dek, body, hero caption and
credit, source name and correction note, and embedded social posts' text, author
and handle (a post card and a video card). The public pages and the staff pages
that show them are opened in Chromium; no dialog may open, no Content-Security-Policy
violation may be reported (one means markup got in and was only stopped by the
policy), and no element the site did not write may appear (event-handler
attributes, ``javascript:`` links, foreign scripts, frames, ``<base>``, refresh
``<meta>``).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from articles import moderation
from articles.models import (
    Article,
    Correction,
    FanReaction,
    SocialPost,
    Source,
)
from artists.models import Artist, ArtistAlias
from tests.articles.reaction_factories import moderator

pytestmark = pytest.mark.django_db(transaction=True)

PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=\"alert('xss-img')\">",
    "<svg onload=alert('xss-svg')></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "javascript:alert('xss-js-url')",
    '<a href="javascript:alert(1)">click</a>',
    '"><img src=x onerror=alert(1)>',
    "' onmouseover='alert(1)' autofocus onfocus='alert(1)",
    "</textarea><script>alert('xss-textarea')</script>",
    "</title><script>alert(1)</script>",
    "</script><script>alert('xss-jsonld')</script>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<details open ontoggle="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "＜script＞alert('fullwidth')＜/script＞",
    "\u202e<img src=x onerror=alert(1)>\u2028\u2029",
    "<!--<img src=--><img src=x onerror=alert(1)//-->",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    "{{ 7|add:7 }}{% csrf_token %}${alert(1)}",
]

CHECK_PAGE = """() => {
  const found = [];
  const bad = /^\\s*(javascript|vbscript|data:text\\/html)/i;
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) found.push('handler: ' + el.outerHTML.slice(0, 160));
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc']
            .includes(name) && bad.test(attr.value)) {
        found.push('url: ' + el.outerHTML.slice(0, 160));
      }
    }
  }
  for (const s of document.querySelectorAll('script')) {
    if (s.type === 'application/ld+json') {
      try { JSON.parse(s.textContent); } catch (e) { found.push('broken JSON-LD'); }
      continue;
    }
    if (s.type === 'importmap' && s.nonce) continue;  // the admin editor's, by nonce
    if (!s.src && s.nonce) continue;  // the admin's own inline code, by nonce
    let ours = false;
    try {
      const url = new URL(s.src);
      ours = url.origin === location.origin && (url.pathname.startsWith('/static/')
        || url.pathname === '/admin/jsi18n/');
    } catch (e) {}
    if (!ours) found.push('script: ' + s.outerHTML.slice(0, 160));
  }
  for (const el of document.querySelectorAll(
      'iframe, frame, object, embed, base, meta[http-equiv], template[shadowroot]')) {
    found.push('element: ' + el.outerHTML.slice(0, 160));
  }
  if (window.__xss) found.push('window.__xss set');
  return found;
}"""

WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def fit(payload: str, model, field: str) -> str:
    limit = model._meta.get_field(field).max_length
    return payload[:limit] if limit else payload


@pytest.fixture
def watched(page):
    """The page, with dialogs and CSP violations recorded instead of shown."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH_CSP)
    page.dialogs = dialogs
    return page


def assert_clean(page, what: str) -> None:
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)  # let onload/onerror handlers (if any) fire
    injected = page.evaluate(CHECK_PAGE)
    violations = page.evaluate("window.__csp || []")
    assert not page.dialogs, f"{what}: a dialog opened: {page.dialogs}"
    assert not injected, f"{what}: injected markup: {injected}"
    assert not violations, f"{what}: CSP stopped injected code: {violations}"


def seed(payload: str, live_server, page) -> dict[str, str]:
    """Every stored-text field holding the payload; returns the pages to open."""
    artist = Artist.objects.create(
        name="IU",
        slug="iu",
        sort_name="IU",
        disambiguation=fit(payload, Artist, "disambiguation"),
        bio=payload,
    )
    ArtistAlias.objects.create(
        artist=artist, name=fit(payload, ArtistAlias, "name"), kind="epithet"
    )
    ArtistAlias.objects.create(artist=artist, name="Lee Ji-eun", kind="romanisation")
    post = SocialPost.objects.create(
        platform="x",
        post_id="1750000000000000000",
        url="https://x.com/iu_loen/status/1750000000000000000",
        author_name=fit(payload, SocialPost, "author_name"),
        author_handle=fit(payload, SocialPost, "author_handle"),
        text=payload,
    )
    video = SocialPost.objects.create(
        platform="youtube",
        post_id="JleoAppaxi0",
        url="https://www.youtube.com/watch?v=JleoAppaxi0",
        author_name=fit(payload, SocialPost, "author_name"),
        text=payload,
    )
    story = Article.objects.create(
        headline=fit(payload, Article, "headline"),
        slug="hostile-story",
        dek=fit(payload, Article, "dek"),
        body=f"<p>Intro.</p><p>{post.url}</p><p>{video.url}</p>",
        hero_caption=fit(payload, Article, "hero_caption"),
        hero_credit=fit(payload, Article, "hero_credit"),
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    # Raw HTML straight into the row, as an old import might have left it: the page
    # must sanitize on the way out too, not only on save.
    Article.objects.filter(pk=story.pk).update(body=f"<p>{payload}</p>{story.body}")
    story.tags.add("k-pop")
    story.artists.add(artist)
    post.articles.add(story)
    video.articles.add(story)
    Source.objects.create(article=story, name=fit(payload, Source, "name"))
    Correction.objects.create(article=story, note=payload, noted_at=timezone.now())

    # A reader sends the payload through the real form; a moderator approves it.
    page.goto(live_server.url + story.get_absolute_url())
    page.get_by_label("Your name", exact=True).fill(payload[:50])
    page.get_by_label("Your reaction", exact=True).fill(payload)
    page.get_by_role("button", name="Send reaction").click()
    page.get_by_role("status").filter(has_text="moderation").wait_for()
    reaction = FanReaction.objects.get()
    moderation.moderate_reaction(
        reaction=reaction, action="feature", by=moderator("mod-xss")
    )
    return {
        "story": story.get_absolute_url(),
        "home": "/",
        "tag": reverse("articles:tag", args=["k-pop"]),
        "artist": artist.get_absolute_url(),
        "artists": reverse("artists:index"),
        "admin reactions": reverse("admin:articles_fanreaction_changelist"),
        "admin reaction": reverse(
            "admin:articles_fanreaction_change", args=[reaction.pk]
        ),
        "admin story": reverse("admin:articles_article_change", args=[story.pk]),
        "admin stories": reverse("admin:articles_article_changelist"),
        "admin posts": reverse("admin:articles_socialpost_changelist"),
        "admin post": reverse("admin:articles_socialpost_change", args=[post.pk]),
        "admin artist": reverse("admin:artists_artist_change", args=[artist.pk]),
        "admin artists": reverse("admin:artists_artist_changelist"),
    }


def log_in_as_superuser(page, live_server) -> None:
    get_user_model().objects.create_superuser(
        "root-xss", "root@example.com", "a-long-test-passw0rd"
    )
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill("root-xss")
    page.get_by_label("Password").fill("a-long-test-passw0rd")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_stored_payload_never_runs(live_server, watched, payload, screenshot_dir):
    pages = seed(payload, live_server, watched)
    for name, path in pages.items():
        if name.startswith("admin"):
            continue
        watched.goto(live_server.url + path)
        assert_clean(watched, name)
    watched.goto(live_server.url + pages["story"])
    assert watched.locator("h1.story__headline").count() == 1  # it really rendered
    assert watched.locator(".reaction, [class*=reaction]").count()  # and the reaction

    log_in_as_superuser(watched, live_server)
    for name, path in pages.items():
        if not name.startswith("admin"):
            continue
        watched.goto(live_server.url + path)
        assert_clean(watched, name)


def test_reflected_text_on_the_reaction_confirmation_page(live_server, watched):
    """Without a token the reader's text comes back in a form: it stays text."""
    story = Article.objects.create(
        headline="A story",
        slug="a-story",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    watched.goto(live_server.url + story.get_absolute_url())
    action = live_server.url + story.get_absolute_url() + "reactions/"
    for payload in PAYLOADS:
        with watched.expect_navigation():
            watched.evaluate(
                """([action, payload]) => {
              const form = document.createElement('form');
              form.method = 'post';
              form.action = action;
              for (const name of ['display_name', 'message']) {
                const input = document.createElement('textarea');
                input.name = name;
                input.value = payload;
                form.appendChild(input);
              }
              document.body.appendChild(form);
              setTimeout(() => HTMLFormElement.prototype.submit.call(form), 0);
            }""",
                [action, payload],
            )
        watched.wait_for_url("**/reactions/")
        assert_clean(watched, f"confirmation page for {payload!r}")
        kept = watched.get_by_label("Your reaction", exact=True).input_value()
        assert kept.strip() == payload.strip()  # shown back as text, intact
    assert not FanReaction.objects.exists()
