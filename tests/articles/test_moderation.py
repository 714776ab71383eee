"""Automatic flags and the moderation services with their audit record."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from articles.models import BannedWord, FanReaction, ReactionDecision, ReactionFlag
from articles.moderation import (
    approve_reaction,
    clean_text,
    comparable,
    feature_reaction,
    impersonation_reason,
    mark_reaction_spam,
    pending_counts,
    reject_reaction,
    submit_reaction,
)
from artists.models import Artist
from tests.articles.reaction_factories import (
    FanReactionFactory,
    StoryFactory,
    editor,
    moderator,
    staff_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return StoryFactory()


def submit(story, *, name="Dana", message="Great story", fingerprint="f" * 64, **kw):
    return submit_reaction(
        article=story,
        display_name=name,
        message=message,
        fingerprint=fingerprint,
        **kw,
    )


def codes(reaction: FanReaction) -> set[str]:
    return set(reaction.flags.values_list("code", flat=True))


# ---- automatic flags


def test_plain_reaction_waits_without_flags(story):
    reaction = submit(story)
    assert reaction.status == FanReaction.Status.PENDING
    assert codes(reaction) == set()


def test_too_many_links_are_flagged_with_the_count(story, settings):
    settings.REACTIONS_MAX_LINKS = 1
    assert codes(submit(story, message="see https://a.test")) == set()
    reaction = submit(
        story, message="https://a.test www.b.test http://c.test", fingerprint="a" * 64
    )
    assert reaction.status == FanReaction.Status.PENDING
    flag = reaction.flags.get()
    assert flag.code == ReactionFlag.Code.LINKS
    assert flag.reason == "3 links (more than 1 allowed)"


def test_banned_word_holds_the_reaction_with_the_word(story):
    BannedWord.objects.create(word="Scam")
    reaction = submit(story, message="This is a SCAM, friends")
    assert reaction.status == FanReaction.Status.PENDING
    assert "“Scam”" in reaction.flags.get(code="banned_word").reason


def test_banned_word_matches_whole_words_only(story):
    BannedWord.objects.create(word="ass")
    assert codes(submit(story, message="What a classy passage")) == set()


def test_banned_word_in_hangul_matches_inside_words(story):
    BannedWord.objects.create(word="바보")
    reaction = submit(story, message="진짜 바보야")
    assert codes(reaction) == {ReactionFlag.Code.BANNED_WORD}


def test_banned_word_hidden_with_zero_width_or_fullwidth_letters_still_matches(story):
    BannedWord.objects.create(word="scam")
    assert "banned_word" in codes(submit(story, message="s\u200bcam here"))
    assert "banned_word" in codes(
        submit(story, message="ｓｃａｍ again", fingerprint="b" * 64)
    )


def test_spam_banned_word_sends_straight_to_spam_with_an_automatic_decision(story):
    BannedWord.objects.create(word="casino", is_spam=True)
    reaction = submit(story, message="Best casino bonus")
    assert reaction.status == FanReaction.Status.SPAM
    decision = reaction.decisions.get()
    assert decision.decided_by is None and decision.action == "spam"
    assert "casino" in decision.note


def test_exact_repeat_of_a_recent_message_is_flagged(story):
    submit(story, message="Love wins all!", fingerprint="1" * 64)
    again = submit(story, message="  love   WINS all! ", fingerprint="2" * 64)
    assert codes(again) == {ReactionFlag.Code.REPEAT}


def test_old_messages_do_not_count_as_repeats(story, settings):
    settings.REACTIONS_REPEAT_WINDOW = 0
    submit(story, message="Same words", fingerprint="1" * 64)
    assert "repeat" not in codes(
        submit(story, message="Same words", fingerprint="2" * 64)
    )


def test_burst_from_one_fingerprint_is_flagged(story, settings):
    settings.REACTIONS_BURST_COUNT = 3
    first = submit(story, message="one")
    second = submit(story, message="two")
    third = submit(story, message="three")
    assert codes(first) == codes(second) == set()
    assert codes(third) == {ReactionFlag.Code.BURST}
    assert "3 reactions from one submitter" in third.flags.get().reason


@pytest.mark.parametrize(
    "name", ["IU", "iu", " I U ".replace(" ", ""), "Ｉｕ", "IU 💜", "V", "NewJeans"]
)
def test_display_name_of_an_artist_is_flagged(name):
    for artist_name, slug in [("IU", "iu"), ("V", "v"), ("NewJeans", "newjeans")]:
        Artist.objects.create(name=artist_name, slug=slug)
    assert impersonation_reason(name).startswith("Name matches the artist")


@pytest.mark.parametrize(
    "name",
    ["IU official", "iu_official", "Official Fanclub", "ADMIN", "newsroom staff",
     "Moderator Kim", "아이유 공식", "관리자"],
)  # fmt: skip
def test_display_name_claiming_authority_is_flagged(name):
    assert impersonation_reason(name).startswith("Name claims authority")


def test_display_name_of_a_staff_member_is_flagged():
    staff_user("jlee", first_name="Jiwoo", last_name="Lee")
    assert impersonation_reason("JLEE") == "Name matches a staff member"
    assert impersonation_reason("jiwoo lee") == "Name matches a staff member"


@pytest.mark.parametrize("name", ["Uaena forever", "Taehyung's fan", "Dana", "모드"])
def test_ordinary_names_are_not_flagged(name):
    Artist.objects.create(name="IU", slug="iu")
    staff_user("jlee")
    get_user_model().objects.create_user("reader-not-staff")
    assert impersonation_reason(name) is None


def test_impersonation_flag_holds_with_its_reason(story):
    Artist.objects.create(name="IU", slug="iu")
    reaction = submit(story, name="IU")
    assert reaction.flags.get().reason == "Name matches the artist “IU”"
    assert reaction.status == FanReaction.Status.PENDING


def test_several_flags_are_all_kept(story, settings):
    settings.REACTIONS_MAX_LINKS = 0
    BannedWord.objects.create(word="fake")
    reaction = submit(story, name="Official", message="fake news https://x.test")
    assert codes(reaction) == {"links", "banned_word", "impersonation"}


# ---- submission rules


def test_service_refuses_empty_and_overlong_text(story):
    with pytest.raises(ValidationError):
        submit(story, message=" \n ")
    with pytest.raises(ValidationError):
        submit(story, message="x" * 501)
    with pytest.raises(ValidationError):
        submit(story, name="")
    assert FanReaction.objects.count() == 0


def test_service_refuses_unpublished_stories():
    with pytest.raises(PermissionDenied):
        submit(StoryFactory(status="draft"))


def test_clean_text_removes_control_characters_and_tidies_space():
    assert clean_text("a\x00b\u202ec  d\n\n\n\ne ", multiline=True) == "abc d\n\ne"
    assert clean_text(" Kim\tTae\nhyung ", multiline=False) == "Kim Tae hyung"
    assert clean_text("👩\u200d🎤", multiline=False) == "👩\u200d🎤"  # ZWJ emoji kept
    assert comparable("ＩＵ\u200b") == "iu"


# ---- decisions and their audit record


def test_approve_records_who_and_when():
    mod = moderator()
    reaction = FanReactionFactory()
    approve_reaction(reaction=reaction, by=mod)
    reaction.refresh_from_db()
    assert reaction.status == FanReaction.Status.APPROVED
    assert reaction.decided_by == mod and reaction.decided_at is not None
    decision = reaction.decisions.get()
    assert (decision.action, decision.decided_by) == ("approve", mod)


def test_reject_requires_a_reason_and_records_it():
    mod = moderator()
    reaction = FanReactionFactory()
    with pytest.raises(ValidationError):
        reject_reaction(reaction=reaction, by=mod, reason="")
    assert not reaction.decisions.exists()
    reject_reaction(reaction=reaction, by=mod, reason="abusive", note="insults")
    reaction.refresh_from_db()
    assert reaction.status == FanReaction.Status.REJECTED
    assert reaction.decision_reason == "abusive"
    decision = reaction.decisions.get()
    assert (decision.reason, decision.note) == ("abusive", "insults")


def test_mark_spam_records_spam_as_reason():
    reaction = mark_reaction_spam(reaction=FanReactionFactory(), by=moderator())
    reaction.refresh_from_db()
    assert (reaction.status, reaction.decision_reason) == ("spam", "spam")


def test_feature_approves_and_pins_and_rejection_unpins():
    mod = moderator()
    reaction = FanReactionFactory()
    feature_reaction(reaction=reaction, by=mod)
    reaction.refresh_from_db()
    assert reaction.status == "approved" and reaction.is_featured
    reject_reaction(reaction=reaction, by=mod, reason="off_topic")
    reaction.refresh_from_db()
    assert reaction.status == "rejected" and not reaction.is_featured
    actions = list(reaction.decisions.order_by("pk").values_list("action", flat=True))
    assert actions == ["feature", "reject"]


def test_unfeature_keeps_the_status():
    mod = moderator()
    reaction = FanReactionFactory(status="approved", is_featured=True)
    feature_reaction(reaction=reaction, by=mod, is_featured=False)
    reaction.refresh_from_db()
    assert reaction.status == "approved" and not reaction.is_featured


@pytest.mark.parametrize("who", ["editor", "anonymous", "inactive"])
def test_only_moderators_decide(who):
    reaction = FanReactionFactory()
    user = {
        "editor": lambda: editor(),
        "anonymous": AnonymousUser,
        "inactive": _inactive_moderator,
    }[who]()
    with pytest.raises(PermissionDenied):
        approve_reaction(reaction=reaction, by=user)
    reaction.refresh_from_db()
    assert reaction.status == "pending" and not ReactionDecision.objects.exists()


def _inactive_moderator():
    user = moderator("inactive-mod")
    user.is_active = False
    user.save()
    return user


def test_pending_counts_count_flagged_reactions_once():
    FanReactionFactory.create_batch(2)
    flagged = FanReactionFactory()
    flagged.flags.create(code="links", reason="3 links")
    flagged.flags.create(code="burst", reason="burst")
    FanReactionFactory(status="approved")
    assert pending_counts() == {"pending": 3, "flagged": 1}


@pytest.mark.parametrize(
    "fields",
    [{"message": ""}, {"message": "x" * 501}, {"display_name": ""}, {"status": "gone"}],
)
def test_database_refuses_rows_outside_the_limits(fields):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        FanReactionFactory(**fields)


def test_editors_read_reactions_but_cannot_touch_the_moderation_record():
    from newsroom.groups import EDITORS, permission_matches

    assert permission_matches(EDITORS, "articles", "view_fanreaction")
    assert permission_matches(EDITORS, "articles", "view_reactiondecision")
    for codename in (
        "change_reactiondecision",
        "delete_reactionflag",
        "add_fanreaction",
    ):
        assert not permission_matches(EDITORS, "articles", codename)
