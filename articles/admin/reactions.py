"""Admin for fan reactions and their moderation (filled by the reactions work)."""
