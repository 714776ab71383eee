"""Admin for embedded social posts (filled by the embeds work)."""
