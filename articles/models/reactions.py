"""Readers' fan reactions (filled by the reactions work)."""

__all__: list[str] = []
