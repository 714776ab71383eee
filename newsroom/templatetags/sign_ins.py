"""The staff desk's panel of failed sign-ins, for those who may manage staff."""

from __future__ import annotations

from django import template
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from newsroom import login_throttle

register = template.Library()


def _change_url(user_id: int) -> str:
    meta = get_user_model()._meta
    try:
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[user_id]
        )
    except NoReverseMatch:  # the user model is not in the admin
        return ""


@register.inclusion_tag("admin/_desk_sign_ins.html", takes_context=True)
def failed_sign_ins(context: template.Context) -> dict:
    """Accounts with failed sign-ins in the last day; nothing for other staff."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not login_throttle.may_manage_staff(user):
        return {"is_visible": False}
    report = login_throttle.failed_sign_ins()
    return {
        "is_visible": True,
        "report": report,
        "rows": [
            {"account": account, "change_url": _change_url(account.user_id)}
            for account in report.accounts
        ],
        "is_any_throttled": any(a.throttled_until for a in report.accounts),
        "csrf_token": context.get("csrf_token"),
    }
