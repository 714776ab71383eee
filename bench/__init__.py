"""make bench: seed PostgreSQL with N stories, measure pages, write bench/report.*."""
