"""Editors manage search synonyms: a fandom's or a group's nickname for an artist."""

from __future__ import annotations

from django.contrib import admin

from search.models import Synonym


@admin.register(Synonym)
class SynonymAdmin(admin.ModelAdmin):
    list_display = ["name", "artist", "kind"]
    list_select_related = ["artist"]
    list_filter = ["kind"]
    search_fields = ["name", "artist__name"]
    autocomplete_fields = ["artist"]
    fields = ["name", "artist", "kind"]
