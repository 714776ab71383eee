from django.contrib import admin

from discography.models import Release, Track


class TrackInline(admin.TabularInline):
    model = Track
    extra = 0


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "released_on"]
    list_filter = ["kind"]
    search_fields = ["title", "tracks__title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TrackInline]
