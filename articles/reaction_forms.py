"""Forms for fan reactions: the reader's form and the moderators' decision forms."""

from __future__ import annotations

from django import forms
from django.contrib.admin.helpers import ActionForm

from articles.models import FanReaction
from articles.models.reactions import DISPLAY_NAME_MAX_LENGTH, MESSAGE_MAX_LENGTH
from articles.moderation import clean_text

HONEYPOT_FIELD = "leave_empty"


class ReactionForm(forms.Form):
    """What a reader sends; lengths are checked after trimming, as they are stored."""

    display_name = forms.CharField(
        label="Your name",
        max_length=DISPLAY_NAME_MAX_LENGTH * 2,  # the real limit is checked below
        required=False,
        widget=forms.TextInput(
            attrs={
                "maxlength": DISPLAY_NAME_MAX_LENGTH,
                "autocomplete": "nickname",
                "spellcheck": "false",
            }
        ),
    )
    message = forms.CharField(
        label="Your reaction",
        required=False,
        strip=False,
        max_length=MESSAGE_MAX_LENGTH * 4,  # a hard cap on raw input; see clean_message
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
    )
    emoji = forms.ChoiceField(
        label="Add an emoji (optional)",
        required=False,
        choices=[("", "None"), *FanReaction.Emoji.choices],
        widget=forms.RadioSelect,
    )
    # The honeypot: hidden from people (CSS and aria-hidden), filled in by robots.
    leave_empty = forms.CharField(
        label="Leave this field empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        # Ids unique on a story page that may hold other forms (search, newsletter).
        kwargs.setdefault("auto_id", "reaction-%s")
        super().__init__(*args, **kwargs)

    def clean_display_name(self) -> str:
        name = clean_text(self.cleaned_data.get("display_name", ""), multiline=False)
        if not name:
            raise forms.ValidationError("Enter the name to show with your reaction.")
        if len(name) > DISPLAY_NAME_MAX_LENGTH:
            raise forms.ValidationError(
                f"Keep your name to {DISPLAY_NAME_MAX_LENGTH} characters "
                f"(it has {len(name)})."
            )
        return name

    def clean_message(self) -> str:
        message = clean_text(self.cleaned_data.get("message", ""), multiline=True)
        if not message:
            raise forms.ValidationError("Write a reaction before sending it.")
        if len(message) > MESSAGE_MAX_LENGTH:
            raise forms.ValidationError(
                f"Keep your reaction to {MESSAGE_MAX_LENGTH} characters "
                f"(it has {len(message)})."
            )
        return message

    @property
    def is_honeypot_filled(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD, "").strip())


class ReactionActionForm(ActionForm):
    """The changelist's action bar, with the reason a rejection needs."""

    reason = forms.ChoiceField(
        label="Reason (for reject):",
        required=False,
        choices=[("", "---------"), *FanReaction.RejectionReason.choices],
    )


class RejectReactionsForm(forms.Form):
    """The confirmation step of the reject action: why these reactions stay off."""

    reason = forms.ChoiceField(
        label="Reason", choices=FanReaction.RejectionReason.choices
    )
    note = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"size": 60}),
    )


class ReactionDecisionForm(forms.ModelForm):
    """The change page decides; it never edits what the reader wrote."""

    DECISIONS = [
        ("", "— keep as it is —"),
        ("approve", "Approve"),
        ("reject", "Reject"),
        ("spam", "Mark as spam"),
        ("feature", "Approve and feature"),
        ("unfeature", "Unfeature"),
    ]

    decision = forms.ChoiceField(
        label="Your decision", choices=DECISIONS, required=False
    )
    reason = forms.ChoiceField(
        label="Reason (for reject)",
        required=False,
        choices=[("", "---------"), *FanReaction.RejectionReason.choices],
    )
    note = forms.CharField(label="Note for the record", required=False, max_length=500)

    class Meta:
        model = FanReaction
        fields: list[str] = []

    def clean(self) -> dict:
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", "Choose why the reaction is rejected.")
        return data
