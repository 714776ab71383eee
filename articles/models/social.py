"""Embedded social posts (filled by the embeds work)."""

__all__: list[str] = []
