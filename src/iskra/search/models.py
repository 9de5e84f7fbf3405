"""The search index: one entry per searchable thing (article, event, library chapter:
whatever the content apps' ``SearchProvider`` registrations describe).

An entry holds what results show (title, plain text for snippets, filters); its analysed
terms live in a database-specific full-text table beside it (``iskra.search.backends``):
an SQLite FTS5 table or a PostgreSQL ``tsvector`` with a GIN index.
"""

from django.db import models


class SearchEntry(models.Model):
    kind = models.CharField(max_length=16)  # a SearchProvider's kind (iskra.core.contracts)
    object_id = models.PositiveBigIntegerField()  # the page; for chapters the chapter row
    page_id = models.PositiveBigIntegerField()  # the page shown (for chapters: the work)
    language = models.CharField(max_length=8)
    section_id = models.PositiveBigIntegerField(null=True)  # section, event index or author
    section_title = models.CharField(max_length=255, blank=True)
    date = models.DateField(null=True)
    title = models.CharField(max_length=500)
    context = models.CharField(max_length=500, blank=True)  # e.g. the work of a chapter
    path = models.CharField(max_length=255, blank=True)  # appended to the page's URL
    lead = models.TextField(blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]
        indexes = [
            models.Index(fields=["page_id"], name="search_entry_page"),
            models.Index(fields=["language", "kind", "date"], name="search_entry_filter"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.title}"


class SearchTerm(models.Model):
    """How many entries of a language hold a term: the rarity that makes a shared term
    count for related articles."""

    language = models.CharField(max_length=8)
    term = models.CharField(max_length=100)
    documents = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="search_term_once")
        ]

    def __str__(self):
        return f"{self.language}:{self.term} ({self.documents})"
