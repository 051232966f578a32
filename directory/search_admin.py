"""The coordinator's side of the search: the vocabulary ("Suchbegriffe") and the
searches that found nothing or almost nothing ("Suchen ohne Treffer")."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from . import search_stats
from .forms import NoSilentCutMixin
from .models import SearchConcept, SearchMiss, SearchWord


class SearchWordInline(NoSilentCutMixin, admin.TabularInline):
    model = SearchWord
    extra = 3
    fields = ["language", "text"]


@admin.register(SearchConcept)
class SearchConceptAdmin(NoSilentCutMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "language", "word_count", "languages_covered"]
    list_filter = ["kind"]
    search_fields = ["name", "words__text"]
    fields = ["name", "kind", "language"]
    inlines = [SearchWordInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("language").annotate(
            n_words=Count("words"), n_languages=Count("words__language", distinct=True)
        )

    @admin.display(description=_("Wörter"), ordering="n_words")
    def word_count(self, obj):
        return obj.n_words

    @admin.display(description=_("Sprachen"), ordering="n_languages")
    def languages_covered(self, obj):
        return f"{obj.n_languages} / {len(settings.LANGUAGES)}"

    def get_search_results(self, request, queryset, search_term):
        queryset, _duplicates = super().get_search_results(request, queryset, search_term)
        return queryset, True


@admin.register(SearchMiss)
class SearchMissAdmin(admin.ModelAdmin):
    """Not a list of rows: the most frequent searches of the last 90 days that found (almost) nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("wort/", self.admin_site.admin_view(self.add_word_view), name="directory_searchmiss_add_word"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        codes = dict(settings.LANGUAGES)
        language = request.GET.get("sprache", "")
        language = language if language in codes else ""
        rows = search_stats.most_frequent(language=language or None)
        for row in rows:
            row["language_name"] = codes.get(row["language"], row["language"])
        context = {
            **self.admin_site.each_context(request),
            "title": _t("Suchen ohne Treffer"),
            "opts": self.model._meta,
            "rows": rows,
            "languages": settings.LANGUAGES,
            "language": language,
            "concepts": SearchConcept.objects.exclude(kind=SearchConcept.Kind.LANGUAGE).order_by("name"),
            "can_add_words": request.user.has_perm("directory.add_searchword"),
            "retention_days": search_stats.RETENTION_DAYS,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/directory/searchmiss/summary.html", context)

    def add_word_view(self, request):
        """Add a searched word to a concept of the vocabulary (the action of each row)."""
        if request.method != "POST" or not request.user.has_perm("directory.add_searchword"):
            raise PermissionDenied
        back = reverse("admin:directory_searchmiss_changelist")
        text = " ".join(request.POST.get("text", "").split())[: SearchWord._meta.get_field("text").max_length]
        language = request.POST.get("language", "")
        concept = SearchConcept.objects.filter(pk=request.POST.get("concept") or 0).first() if (
            request.POST.get("concept", "").isdigit()) else None
        if not text or language not in dict(settings.LANGUAGES) or concept is None:
            messages.error(request, _t("Bitte einen Suchbegriff auswählen."))
            return HttpResponseRedirect(back)
        _word, created = SearchWord.objects.get_or_create(concept=concept, language=language, text=text)
        if created:
            messages.success(request, _t("„%(text)s“ gehört jetzt zum Suchbegriff „%(concept)s“.") % {
                "text": text, "concept": concept.name})
        else:
            messages.info(request, _t("„%(text)s“ gehört schon zum Suchbegriff „%(concept)s“.") % {
                "text": text, "concept": concept.name})
        return HttpResponseRedirect(back)
