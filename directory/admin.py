from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from .models import Category, Contact, Language, Location, Offer, Organization, TargetGroup, Town

admin.site.site_header = _("Wegweiser – Verwaltung")
admin.site.site_title = _("Wegweiser")
admin.site.index_title = _("Angebote pflegen")

# Web addresses typed without a scheme ("www.beispiel.de") are taken as https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Category)
class CategoryAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position", "offer_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(offer_total=Count("offers"))

    @admin.display(description=_("Angebote"), ordering="offer_total")
    def offer_count(self, obj):
        return obj.offer_total


@admin.register(Language)
class LanguageAdmin(TranslationAdmin):
    list_display = ["name", "endonym", "code", "direction", "position"]
    list_editable = ["position"]
    search_fields = ["name", "endonym", "code"]


@admin.register(TargetGroup)
class TargetGroupAdmin(TranslationAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "aliases", "position"]
    list_editable = ["position"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["name", "phone", "email", "website"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "street", "town", "organization", "wheelchair_access"]
    list_filter = ["town", "wheelchair_access"]
    list_select_related = ["town", "organization"]
    search_fields = ["name", "street", "town__name", "organization__name"]
    autocomplete_fields = ["organization", "town"]


class ContactInline(admin.StackedInline):
    model = Contact
    extra = 0
    fields = [("name", "position"), ("phone", "email"), "hours"]


@admin.register(Offer)
class OfferAdmin(TranslationAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["title", "organization", "category_list", "status", "last_reviewed", "updated"]
    list_display_links = ["title"]
    list_filter = ["status", "categories", "languages", "locations__town", "target_groups", "last_reviewed"]
    list_select_related = ["organization"]
    search_fields = ["title", "summary", "organization__name", "slug"]
    autocomplete_fields = ["organization", "categories", "languages", "target_groups", "locations"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ContactInline]
    date_hierarchy = None
    list_per_page = 50
    actions = ["publish", "unpublish", "mark_reviewed_today"]
    readonly_fields = ["created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organization", "summary", "description", "how_to_get_help"]}),
        (_("Für wen, in welcher Sprache, wo"), {"fields": ["categories", "target_groups", "languages", "locations"]}),
        (
            _("Wie das Angebot funktioniert"),
            {
                "fields": [
                    ("format_in_person", "format_phone", "format_video", "format_home_visit", "format_group"),
                    ("is_free", "cost_note"),
                    ("appointment_needed", "anonymous_possible"),
                    "website",
                ]
            },
        ),
        (_("Veröffentlichung"), {"fields": ["status", ("valid_from", "valid_until"), "last_reviewed", ("created", "updated")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    @admin.display(description=_("Kategorien"))
    def category_list(self, obj):
        return ", ".join(category.name for category in obj.categories.all())

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_search_text()

    @admin.action(description=_("Ausgewählte Angebote veröffentlichen"))
    def publish(self, request, queryset):
        count = queryset.update(status=Offer.Status.PUBLISHED, updated=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d Angebot veröffentlicht.", "%(count)d Angebote veröffentlicht.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Veröffentlichung zurücknehmen (Entwurf)"))
    def unpublish(self, request, queryset):
        count = queryset.update(status=Offer.Status.DRAFT, updated=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d Angebot ist jetzt ein Entwurf.", "%(count)d Angebote sind jetzt Entwürfe.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Als heute geprüft markieren"))
    def mark_reviewed_today(self, request, queryset):
        count = queryset.update(last_reviewed=timezone.localdate())
        self.message_user(
            request,
            ngettext("%(count)d Angebot als geprüft markiert.", "%(count)d Angebote als geprüft markiert.", count)
            % {"count": count},
            messages.SUCCESS,
        )


from .models import LegalPage  # noqa: E402


@admin.register(LegalPage)
class LegalPageAdmin(admin.ModelAdmin):
    """The three legal pages: edited, never deleted (the law requires them)."""

    list_display = ["title", "kind", "open_placeholders", "updated"]
    fields = ["kind", "title", "body", "open_placeholders", "updated"]
    readonly_fields = ["open_placeholders", "updated"]
    formfield_overrides = {models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 30})}}

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "kind"] if obj else self.readonly_fields

    def has_add_permission(self, request):
        # Only a kind that is missing can be added again.
        return super().has_add_permission(request) and LegalPage.objects.count() < len(LegalPage.Kind)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("noch zu ergänzen"))
    def open_placeholders(self, obj):
        placeholders = obj.placeholders() if obj and obj.body else []
        if not placeholders:
            return _("nichts – vollständig")
        return ", ".join(placeholders)
