"""Demo artists and agencies from shared/domain.md, written in our own words.

Everything is keyed by slug (artists, agencies) or by natural keys (aliases, links,
memberships), so running ``load_demo`` again changes nothing.
"""

from __future__ import annotations

import datetime

from artists.models import Agency, Artist, ArtistAlias, ArtistLink, Membership
from photos import demo_art

Alias = ArtistAlias.Kind

AGENCIES = [
    # (slug, name, native name, parent slug)
    ("hybe", "HYBE", "하이브", None),
    ("bighit-music", "BIGHIT MUSIC", "빅히트 뮤직", "hybe"),
    ("ador", "ADOR", "어도어", "hybe"),
    ("edam-entertainment", "EDAM Entertainment", "이담엔터테인먼트", None),
]

ARTISTS = [
    {
        "slug": "iu",
        "name": "IU",
        "native_name": "아이유",
        "kind": Artist.Kind.PERSON,
        "disambiguation": "South Korean singer-songwriter and actress",
        "began_on": datetime.date(1993, 5, 16),
        "debuted_on": datetime.date(2008, 9, 18),
        "country": "South Korea",
        "bio": (
            "<p>IU is the stage name of Lee Ji-eun, a singer, songwriter and actress "
            "from Seoul who first released music as a teenager in 2008. She writes "
            "many of her own lyrics; her records include <em>Palette</em>, "
            "<em>LILAC</em> (2021) and the mini album <em>The Winning</em> (2024).</p>"
        ),
        "agencies": ["edam-entertainment"],
        "aliases": [
            ("Lee Ji-eun", Alias.BIRTH_NAME),
            ("이지은", Alias.BIRTH_NAME),
            ("Lee Jieun", Alias.ROMANISATION),
            ("Yi Ji-eun", Alias.ROMANISATION),
            ("the Holssi singer", Alias.EPITHET),
            ("the LILAC singer", Alias.EPITHET),
            ("Nation's little sister", Alias.EPITHET),
        ],
        "fandom_name": "UAENA",
        "links": [
            (ArtistLink.Kind.YOUTUBE, "https://www.youtube.com/@dlwlrma"),
            (ArtistLink.Kind.INSTAGRAM, "https://www.instagram.com/dlwlrma/"),
            (ArtistLink.Kind.X, "https://x.com/_IUofficial"),
        ],
    },
    {
        "slug": "v",
        "name": "V",
        "native_name": "뷔",
        "kind": Artist.Kind.PERSON,
        "disambiguation": "member of BTS",
        "began_on": datetime.date(1995, 12, 30),
        "debuted_on": datetime.date(2013, 6, 13),
        "country": "South Korea",
        "bio": (
            "<p>V, born Kim Taehyung, sings with BTS and has also released solo "
            "music. Outside the group he has appeared in television dramas and in "
            "other artists' music videos, among them IU's <em>Love wins all</em>.</p>"
        ),
        "agencies": ["bighit-music"],
        "aliases": [
            ("Kim Taehyung", Alias.BIRTH_NAME),
            ("김태형", Alias.BIRTH_NAME),
            ("Taehyung", Alias.NICKNAME),
            ("Kim Tae-hyung", Alias.ROMANISATION),
            ("Taheyung", Alias.MISSPELLING),
            ("Kim Taeheyung", Alias.MISSPELLING),
        ],
        "links": [],
    },
    {
        "slug": "bts",
        "name": "BTS",
        "native_name": "방탄소년단",
        "kind": Artist.Kind.GROUP,
        "disambiguation": "South Korean boy group",
        "debuted_on": datetime.date(2013, 6, 13),
        "country": "South Korea",
        "bio": (
            "<p>BTS is a seven-member boy group from Seoul that debuted in June 2013 "
            "and went on to become one of the most widely followed acts worldwide.</p>"
        ),
        "agencies": ["bighit-music"],
        "aliases": [
            ("Bangtan Sonyeondan", Alias.ROMANISATION),
            ("Bangtan Boys", Alias.NICKNAME),
            ("Beyond The Scene", Alias.NICKNAME),
        ],
        "fandom_name": "ARMY",
        "links": [
            (ArtistLink.Kind.WEBSITE, "https://ibighit.com/bts/"),
            (ArtistLink.Kind.X, "https://x.com/bts_bighit"),
            (
                ArtistLink.Kind.INSTAGRAM,
                "https://www.instagram.com/bts.bighitofficial/",
            ),
            (ArtistLink.Kind.WEVERSE, "https://weverse.io/bts"),
            (ArtistLink.Kind.TIKTOK, "https://www.tiktok.com/@bts_official_bighit"),
            (ArtistLink.Kind.YOUTUBE, "https://www.youtube.com/@BTS"),
        ],
    },
    {
        "slug": "newjeans",
        "name": "NewJeans",
        "native_name": "뉴진스",
        "kind": Artist.Kind.GROUP,
        "disambiguation": "South Korean girl group",
        "debuted_on": datetime.date(2022, 7, 22),
        "country": "South Korea",
        "bio": (
            "<p>NewJeans is a five-member girl group that made its debut in July 2022 "
            "under ADOR, one of the labels of HYBE.</p>"
        ),
        "agencies": ["ador"],
        "aliases": [("New Jeans", Alias.MISSPELLING)],
        "fandom_name": "Bunnies",
        "links": [],
    },
    {
        "slug": "hyein",
        "name": "Hyein",
        "native_name": "혜인",
        "kind": Artist.Kind.PERSON,
        "disambiguation": "member of NewJeans",
        "began_on": datetime.date(2008, 4, 21),
        "debuted_on": datetime.date(2022, 7, 22),
        "country": "South Korea",
        "bio": (
            "<p>Hyein is the youngest member of NewJeans. She features on "
            "<em>Shh..</em> from IU's mini album <em>The Winning</em>.</p>"
        ),
        "agencies": ["ador"],
        "aliases": [
            ("Lee Hye-in", Alias.BIRTH_NAME),
            ("이혜인", Alias.BIRTH_NAME),
            ("HYEIN", Alias.NICKNAME),
        ],
        "links": [],
    },
    {
        "slug": "dpr-ian",
        "name": "DPR IAN",
        "native_name": "",
        "kind": Artist.Kind.PERSON,
        "disambiguation": "singer, songwriter and director",
        "country": "",
        "bio": (
            "<p>DPR IAN is a singer and songwriter who also directs music videos, "
            "working with the creative collective DPR.</p>"
        ),
        "agencies": [],
        "aliases": [
            ("Christian Yu", Alias.BIRTH_NAME),
            ("Ian", Alias.NICKNAME),
        ],
        "links": [],
    },
]

# BTS's seven members from public facts: (slug, stage name, Hangul stage name,
# birth name, Hangul birth name, born, positions). All debuted with the group.
BTS_MEMBERS = [
    ("rm", "RM", "알엠", "Kim Namjoon", "김남준", (1994, 9, 12), "leader, rapper"),
    ("jin", "Jin", "진", "Kim Seokjin", "김석진", (1992, 12, 4), "vocalist"),
    ("suga", "Suga", "슈가", "Min Yoongi", "민윤기", (1993, 3, 9), "rapper"),
    (
        "j-hope",
        "J-Hope",
        "제이홉",
        "Jung Hoseok",
        "정호석",
        (1994, 2, 18),
        "rapper, dancer",
    ),
    (
        "jimin",
        "Jimin",
        "지민",
        "Park Jimin",
        "박지민",
        (1995, 10, 13),
        "vocalist, dancer",
    ),
    (
        "jung-kook",
        "Jung Kook",
        "정국",
        "Jeon Jungkook",
        "전정국",
        (1997, 9, 1),
        "vocalist",
    ),
]
BTS_DEBUT = datetime.date(2013, 6, 13)
ARTISTS += [
    {
        "slug": slug,
        "name": name,
        "native_name": native,
        "kind": Artist.Kind.PERSON,
        "disambiguation": "member of BTS",
        "began_on": datetime.date(*born),
        "debuted_on": BTS_DEBUT,
        "country": "South Korea",
        "bio": f"<p>{name}, born {birth_name}, is one of the seven members of BTS.</p>",
        "agencies": ["bighit-music"],
        "aliases": [(birth_name, Alias.BIRTH_NAME), (hangul_birth, Alias.BIRTH_NAME)],
        "links": [],
    }
    for slug, name, native, birth_name, hangul_birth, born, _role in BTS_MEMBERS
]

MEMBERSHIPS = [
    # (member slug, group slug, role, began_on)
    *((slug, "bts", role, BTS_DEBUT) for slug, *_rest, role in BTS_MEMBERS),
    ("v", "bts", "vocalist", BTS_DEBUT),
    ("hyein", "newjeans", "vocalist", datetime.date(2022, 7, 22)),
]


def load() -> str:
    """Create or update the demo agencies and artists, so a second run changes nothing."""
    agencies: dict[str, Agency] = {}
    for slug, name, native_name, parent in AGENCIES:
        agencies[slug], _ = Agency.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "native_name": native_name,
                "parent": agencies.get(parent) if parent else None,
            },
        )
    created = 0
    artists: dict[str, Artist] = {}
    for data in ARTISTS:
        fields = {
            key: value
            for key, value in data.items()
            if key not in {"slug", "agencies", "aliases", "links"}
        }
        artist, was_created = Artist.objects.update_or_create(
            slug=data["slug"], defaults=fields
        )
        created += was_created
        artists[artist.slug] = artist
        artist.agencies.set([agencies[slug] for slug in data["agencies"]])
        for name, kind in data["aliases"]:
            ArtistAlias.objects.update_or_create(
                artist=artist, name=name, defaults={"kind": kind}
            )
        for position, (kind, url) in enumerate(data["links"]):
            ArtistLink.objects.update_or_create(
                artist=artist, url=url, defaults={"kind": kind, "position": position}
            )
    _picture_artists(artists)
    for member, group, role, began_on in MEMBERSHIPS:
        Membership.objects.update_or_create(
            member=artists[member],
            group=artists[group],
            began_on=began_on,
            defaults={"role": role},
        )
    return f"{len(ARTISTS)} artists ({created} new), {len(AGENCIES)} agencies"


# People drawn in a group's picture (its members as silhouettes), else one.
GROUP_SIZES = {"bts": 7, "newjeans": 5}


def _picture_artists(artists: dict[str, Artist]) -> None:
    """A drawn portrait for each artist without a photo (never replaces one)."""
    missing = [artist for artist in artists.values() if not artist.library_photo_id]
    if not missing:
        return
    known = demo_art.demo_photos()
    for artist in missing:
        key = f"artist:{artist.slug}"
        people = GROUP_SIZES.get(artist.slug, 1)
        shown = "a line of silhouettes" if people > 1 else "a silhouette"
        artist.library_photo = demo_art.demo_photo(
            key,
            lambda key=key, people=people: demo_art.portrait(key, people=people),
            alt=f"Illustration for {artist.name}: {shown} lit from behind, in rings "
            "of light",
            caption=f"An illustration standing in for a photo of {artist.name}.",
            known=known,
        )
        artist.save()
