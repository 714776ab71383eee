"""Article models, split by concept; import them from here."""

from articles.models.article import Article, ArticleQuerySet

__all__ = ["Article", "ArticleQuerySet"]
