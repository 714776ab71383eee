"""Korean names as fans type them: given names, jamo, and romanisation variants.

Pure functions of strings. A Hangul name is compared letter by letter (its syllables
decomposed into jamo, so one wrong vowel is one edit, not a whole syllable); a name
whose first syllable is a common family name also answers to the given name alone
("태형" for 김태형); and every Hangul name is romanised (Revised Romanization) so
"Taehyeong" finds 김태형 without an alias typed by hand. :func:`roman_key` folds the
ways romanisations differ (eo/u, g/k, doubled letters, spaces) into one key.
"""

from __future__ import annotations

import re
import unicodedata

from artists.slugs import name_key, romanize_hangul

# The commonest one-syllable family names (over 90% of Koreans), and how they are
# usually written in Latin letters.
FAMILY_NAMES = frozenset(
    "김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 "
    "백 허 남 심 노 하 곽 성 차 주 우 구 민 진 나 지 엄 채 원 천 방 공 현 함 변 염 "
    "여 추 도 소 석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국".split()
)
LATIN_FAMILY_NAMES = frozenset(
    "kim lee yi rhee park pak bak choi choe jung jeong chung kang cho jo yoon yun "
    "jang chang lim im han oh seo suh shin sin kwon gwon hwang ahn an song yoo yu "
    "ryu hong jeon jun ko go moon mun yang son bae baek paek heo huh nam noh no ha "
    "kwak sung seong cha joo ju woo koo ku min jin na ji um eom chae won chun cheon "
    "bang gong kong hyun hyeon".split()
)

_HANGUL_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
# Spellings of one sound, folded to one: longest first.
_ROMAN_FOLDS = [
    ("eo", "u"),
    ("eu", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("wi", "wi"),
    ("sh", "s"),
    ("ch", "j"),
    ("g", "k"),
    ("d", "t"),
    ("b", "p"),
    ("r", "l"),
]
_DOUBLED = re.compile(r"(.)\1+")


def has_hangul(text: str) -> bool:
    return bool(_HANGUL_SYLLABLE.search(text))


def jamo(text: str) -> str:
    """Hangul syllables decomposed into their letters (NFD), other text unchanged."""
    return unicodedata.normalize("NFD", text)


def given_names(name: str) -> list[str]:
    """The name without its family name, if it begins with a common one:
    "김태형" -> "태형", "Kim Tae-hyung" -> "Tae-hyung", "Lee Ji-eun" -> "Ji-eun"."""
    compact = re.sub(r"\s+", "", name)
    out = []
    if (
        has_hangul(compact)
        and 3 <= len(compact) <= 4
        and compact[0] in FAMILY_NAMES
        and all(_HANGUL_SYLLABLE.match(c) for c in compact)
    ):
        out.append(compact[1:])
    words = name.split()
    if len(words) >= 2 and words[0].casefold() in LATIN_FAMILY_NAMES:
        out.append(" ".join(words[1:]))
    return out


def romanisations(name: str) -> list[str]:
    """Latin spellings of a Hangul name (Revised Romanization), with the family name
    and without it; nothing for a name without Hangul."""
    if not has_hangul(name):
        return []
    out = [romanize_hangul(name)]
    out.extend(romanize_hangul(given) for given in given_names(name))
    return out


def roman_key(text: str) -> str:
    """A name key with romanisation differences folded: "Taehyeong", "Tae-hyung"
    and "taehyung" agree, as do "Holssi" and "holsi"."""
    key = name_key(text)
    if not key.isascii():
        return key
    for spelling, folded in _ROMAN_FOLDS:
        key = key.replace(spelling, folded)
    return _DOUBLED.sub(r"\1", key)
