from django.contrib import admin

from articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "published_at", "is_featured"]
    list_filter = ["status", "is_featured"]
    search_fields = ["headline", "dek"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
