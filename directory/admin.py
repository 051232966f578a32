import dataclasses
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import change_requests, history, taxonomy
from .admin_import import SpreadsheetAdminMixin
from .admin_schedules import ClosureInline, OpeningSlotInline
from .admin_translation import TranslationStatusMixin, other_languages
from .admin_translation_files import TranslationWorkMixin
from .forms import NoSilentCutMixin
from .invitations import PartnerInvitationForm, invite_partner
from .models import (
    Category,
    ChangeRequest,
    Contact,
    Language,
    Location,
    NotificationSetting,
    Offer,
    Organization,
    PartnerProfile,
    Report,
    ReviewRequest,
    TargetGroup,
    Town,
)
from .offer_form import NormalizedTextModelForm, OfferAdminForm
from .resources import LocationResource, OfferResource
from .review import send_review_requests
from .roles import is_coordinator, partner_organization_id

admin.site.site_header = _("Wegweiser – Verwaltung")
admin.site.site_title = _("Wegweiser")
admin.site.index_title = _("Angebote pflegen")

def label_without_question_mark(label):
    """A read-only field's label gets the admin's ":" also after "?" ("Was stimmt nicht?:")."""
    return lazy(lambda: str(label).rstrip("?"), str)()


class QuietSaveMixin:
    """A form sent back unchanged saves nothing: no history entry, no new change date, no log line.

    Text fields compare in the stored normal form (directory/text.py), so a textarea that
    the browser sends with Windows line endings is not a change.
    """

    form = NormalizedTextModelForm

    def save_model(self, request, obj, form, change):
        if change and not self.form_has_changes(request, obj, form):
            return
        super().save_model(request, obj, form, change)

    def form_has_changes(self, request, obj, form):
        if getattr(request, "_history_revert", False):
            # A version page's form starts from the old version: compare with today's row instead.
            current = self.model._default_manager.filter(pk=obj.pk).first()
            return current is None or type(form)(request.POST, request.FILES, instance=current).has_changed()
        return form.has_changed()

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request._history_revert = True
        return super().history_form_view(request, object_id, version_id, extra_context)

    def log_change(self, request, obj, message):
        if not message:
            return None
        return super().log_change(request, obj, message)


# Web addresses typed without a scheme ("www.beispiel.de") are taken as https.
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class VocabularyAdminMixin(NoSilentCutMixin):
    """Categories, languages, target groups, towns: one in use is archived or merged, never deleted."""

    vocabulary_actions = ["archive", "unarchive", "merge"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # Django's bulk delete would drop them from every offer
        return actions

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "archived"]

    def delete_view(self, request, object_id, extra_context=None):
        item = self.get_object(request, unquote(object_id))
        if item is not None and taxonomy.uses(item):
            context = {
                **self.admin_site.each_context(request),
                "title": _t("Kann nicht gelöscht werden"),
                "opts": self.model._meta,
                "object": item,
                "message": taxonomy.in_use_message(item),
                "can_change": self.has_change_permission(request, item),
            }
            return TemplateResponse(request, "admin/directory/vocabulary_in_use.html", context)
        return super().delete_view(request, object_id, extra_context)

    @admin.action(description=_("Archivieren (aus Filtern und Listen nehmen)"), permissions=["change"])
    def archive(self, request, queryset):
        count = taxonomy.set_archived(queryset, True)
        self.message_user(request, _t("%(count)d archiviert.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Wieder zeigen (Archivierung aufheben)"), permissions=["change"])
    def unarchive(self, request, queryset):
        count = taxonomy.set_archived(queryset, False)
        self.message_user(request, _t("%(count)d wieder sichtbar.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mit einem anderen Eintrag zusammenführen …"), permissions=["change"])
    def merge(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _t("Bitte genau einen Eintrag zum Zusammenführen auswählen."), messages.WARNING)
            return None
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_merge", args=[queryset.get().pk])
        return HttpResponseRedirect(url)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_merge"
        merge = path("<path:object_id>/zusammenfuehren/", self.admin_site.admin_view(self.merge_view), name=name)
        return [merge, *super().get_urls()]

    def merge_view(self, request, object_id):
        source = self.get_object(request, unquote(object_id))
        if source is None:
            raise Http404
        if not (self.has_change_permission(request, source) and self.has_delete_permission(request, source)):
            raise PermissionDenied
        others = self.model._default_manager.exclude(pk=source.pk).order_by("archived", *self.model._meta.ordering)
        target_id = request.POST.get("target", "") if request.method == "POST" else ""
        target = others.filter(pk=int(target_id)).first() if target_id.isdigit() else None
        if target is not None and "confirmed" in request.POST:
            moved = taxonomy.merge(source, target)
            self.message_user(
                request,
                _t("„%(source)s“ ist in „%(target)s“ aufgegangen; %(count)d Angebot(e) gehören jetzt dazu.")
                % {"source": source, "target": target, "count": moved},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[target.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _t("„%(item)s“ zusammenführen") % {"item": source},
            "opts": self.model._meta,
            "object": source,
            "others": others,
            "target": target,
            "uses": taxonomy.uses(source),
            "keeps_address": isinstance(source, Category),
        }
        return TemplateResponse(request, "admin/directory/vocabulary_merge.html", context)


@admin.register(Category)
class CategoryAdmin(QuietSaveMixin, VocabularyAdminMixin, TranslationStatusMixin, TranslationAdmin):
    list_display = ["name", "slug", "position", "offer_count", "archived"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    actions = VocabularyAdminMixin.vocabulary_actions
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(offer_total=Count("offers"))

    @admin.display(description=_("Angebote"), ordering="offer_total")
    def offer_count(self, obj):
        return obj.offer_total


@admin.register(Language)
class LanguageAdmin(QuietSaveMixin, VocabularyAdminMixin, TranslationStatusMixin, TranslationAdmin):
    actions = VocabularyAdminMixin.vocabulary_actions
    list_display = ["name", "endonym", "code", "direction", "position", "archived"]
    list_editable = ["position"]
    search_fields = ["name", "endonym", "code"]


@admin.register(TargetGroup)
class TargetGroupAdmin(QuietSaveMixin, VocabularyAdminMixin, TranslationStatusMixin, TranslationAdmin):
    actions = VocabularyAdminMixin.vocabulary_actions
    list_display = ["name", "slug", "position", "archived"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Town)
class TownAdmin(QuietSaveMixin, VocabularyAdminMixin, TranslationStatusMixin, TranslationAdmin):
    actions = VocabularyAdminMixin.vocabulary_actions
    list_display = ["name", "aliases", "position", "archived"]
    list_editable = ["position"]
    search_fields = ["name", "aliases"]
    prepopulated_fields = {"slug": ("name",)}


def numeric_id(value):
    """An object or version id from an admin URL; anything but a whole number is a 404, never a 500."""
    value = unquote(str(value))
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404("not an id")
    return int(value)


class GermanHistoryTitlesMixin:
    """simple-history's page titles in German also where it has no translation ("View history: …" for partners)."""

    def history_view_title(self, request, obj):
        return _t("Änderungsgeschichte: %(object)s") % {"object": obj}

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _t("Fassung ansehen: %(title)s") % {"title": obj}
        return _t("Fassung wiederherstellen: %(title)s") % {"title": obj}


class GuardedHistoryMixin(GermanHistoryTitlesMixin):
    """simple-history's version page saves a whole form on POST ("revert"): it obeys the change view's rules.

    The object is looked up through `get_queryset` (the partner's scope) and a POST needs
    `has_change_permission` for the object as it is now – the same rule as its change page,
    so a place used by a published offer cannot be changed through an old version either.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk, history_id = numeric_id(object_id), numeric_id(version_id)
        obj = self.get_queryset(request).filter(pk=pk).first()
        versions = self.model.history.filter(**{self.model._meta.pk.attname: pk}, history_id=history_id)
        if obj is None or not versions.exists():
            raise Http404("no such version")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        if request.method not in ("GET", "HEAD") and not self.has_change_permission(request, obj):
            raise PermissionDenied
        return super().history_form_view(request, str(pk), str(history_id), extra_context)

    def revert_disabled(self, request, obj=None):
        current = self.model._default_manager.filter(pk=obj.pk).first() if obj is not None else None
        return not self.has_change_permission(request, current) or super().revert_disabled(request, obj)


class PartnerScopeMixin:
    """Partner editors see and reach only their own organization's objects, whatever the URL.

    `get_queryset` narrows every list, change, delete, history and export view and every
    autocomplete; the object-level permission checks close the views that load objects
    another way (e.g. simple-history's version pages).
    """

    organization_lookup = "organization"

    def scope(self, request, queryset):
        if is_coordinator(request.user):
            return queryset
        organization_id = partner_organization_id(request.user)
        if organization_id is None:
            return queryset.none()
        return queryset.filter(**{self.organization_lookup: organization_id})

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def in_scope(self, request, obj):
        return obj is None or self.scope(request, self.model._default_manager.filter(pk=obj.pk)).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization" and not is_coordinator(request.user):
            kwargs["queryset"] = Organization.objects.filter(pk=partner_organization_id(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "locations" and not is_coordinator(request.user):
            kwargs["queryset"] = Location.objects.filter(organization=partner_organization_id(request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Organization)
class OrganizationAdmin(QuietSaveMixin, NoSilentCutMixin, PartnerScopeMixin, admin.ModelAdmin):
    organization_lookup = "pk"
    formfield_overrides = URL_FIELDS
    list_display = ["name", "phone", "email", "website"]
    search_fields = ["name", "email"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Location)
class LocationAdmin(
    GuardedHistoryMixin,
    QuietSaveMixin,
    NoSilentCutMixin,
    TranslationStatusMixin,
    PartnerScopeMixin,
    SpreadsheetAdminMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [LocationResource]
    object_history_list_template = "admin/directory/object_history_list.html"
    object_history_template = "admin/directory/object_history.html"
    list_display = ["name", "street", "town", "organization", "wheelchair_access"]
    list_filter = ["town", "wheelchair_access"]
    list_select_related = ["town", "organization"]
    search_fields = ["name", "street", "town__name", "organization__name"]
    autocomplete_fields = ["organization", "town"]

    def has_change_permission(self, request, obj=None):
        # A partner's change to a place of a published offer would go live unchecked.
        if obj is not None and not is_coordinator(request.user) and obj.offers.filter(status=Offer.Status.PUBLISHED).exists():
            return False
        return super().has_change_permission(request, obj)


class ContactInline(NoSilentCutMixin, admin.StackedInline):
    model = Contact
    form = NormalizedTextModelForm
    extra = 0
    fieldsets = [
        # The plain names edit the German source (the admin speaks German).
        (None, {"fields": [("name", "role", "position"), ("phone", "email"), "hours"]}),
        # Collapsed (<details>): the translations of what a parent reads about the contact.
        (_("Übersetzungen"), {
            "fields": [(f"name_{code}", f"role_{code}", f"hours_{code}") for code, _endonym in other_languages()],
            "classes": ["collapse"],
        }),
    ]


class ReviewStateFilter(admin.SimpleListFilter):
    title = _("Prüfung")
    parameter_name = "pruefung"

    def lookups(self, request, model_admin):
        return [
            ("faellig", _("Prüfung fällig (nie oder vor über 12 Monaten)")),
            ("laeuft-ab", _("Gültigkeit endet in den nächsten 30 Tagen")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "faellig":
            return queryset.needs_review()
        if self.value() == "laeuft-ab":
            return queryset.expiring()
        return queryset


class OfferHistoryContextHelper(HistoricalRecordContextHelper):
    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        return dataclasses.replace(formatted, field=history.field_label(change.field))


@admin.register(Offer)
class OfferAdmin(
    GermanHistoryTitlesMixin,
    QuietSaveMixin,
    NoSilentCutMixin,
    TranslationWorkMixin,
    TranslationStatusMixin,
    PartnerScopeMixin,
    SpreadsheetAdminMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
    TranslationAdmin,
):
    resource_classes = [OfferResource]
    form = OfferAdminForm

    object_history_list_template = "admin/directory/object_history_list.html"
    object_history_template = "admin/directory/object_history.html"
    # import-export puts its buttons around this one (the "Übersetzungen" link).
    change_list_template = "admin/directory/offer/change_list.html"

    class Media:
        css = {"all": ["admin/directory.css"]}

    formfield_overrides = URL_FIELDS
    list_display = ["title", "organization", "category_list", "status", "reviewed_on", "review_button", "updated"]
    list_display_links = ["title"]
    list_filter = [ReviewStateFilter, "status", "categories", "languages", "locations__town", "target_groups", "last_reviewed"]
    list_select_related = ["organization"]
    search_fields = ["title", "summary", "organization__name", "slug"]
    autocomplete_fields = ["organization", "categories", "languages", "target_groups", "locations"]
    prepopulated_fields = {"slug": ("title",)}
    inlines = [ContactInline, OpeningSlotInline, ClosureInline]
    date_hierarchy = None
    list_per_page = 50
    # "Sichern" also above the form: the first submit button of the form is the one Enter presses,
    # so it must be a plain save, never one of the save-and-mark buttons further down.
    save_on_top = True
    actions = [
        "publish", "unpublish", "mark_reviewed_today", "send_review_request", "archive_selected",
        "mark_translations_current_action",
    ]
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
                    "hours_note",
                    "open_on_public_holidays",
                ]
            },
        ),
        (_("Veröffentlichung"), {"fields": ["status", ("valid_from", "valid_until"), "last_reviewed", ("created", "updated")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("categories")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if is_coordinator(request.user) and "last_reviewed" in form.base_fields:
            # save_model counts her save as a check; the form says so before she clicks.
            form.base_fields["last_reviewed"].help_text = _(
                "Wenn Sie „Sichern“ klicken, wird dieses Datum auf heute gesetzt: Jede Bearbeitung durch die "
                "Koordination gilt als Prüfung. Soll ein anderes Datum gelten, tragen Sie es hier ein."
            )
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_coordinator(request.user):
            # Partners cannot publish: status and review date are the coordination's.
            fields += ["status", "last_reviewed"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # replaced by archive_selected: nothing is lost by a click
        if not is_coordinator(request.user):
            for name in [
                "publish", "unpublish", "mark_reviewed_today", "send_review_request", "archive_selected",
                "mark_translations_current_action",
            ]:
                actions.pop(name, None)
        return actions

    @admin.display(description=_("zuletzt geprüft"), ordering="last_reviewed", empty_value="–")
    def reviewed_on(self, obj):
        # 21.09.2026, not "21. September 2026": the column stays narrow enough for a tablet.
        return date_format(obj.last_reviewed, "SHORT_DATE_FORMAT") if obj.last_reviewed else None

    @admin.display(description=_("Kategorien"))
    def category_list(self, obj):
        return ", ".join(category.name for category in obj.categories.all())

    @admin.display(description=_("Prüfen"))
    def review_button(self, obj):
        # The changelist is one big form; formaction sends it (with its CSRF token) to the row's URL.
        url = reverse("admin:directory_offer_mark_reviewed", args=[obj.pk])
        return format_html('<button type="submit" class="button" formaction="{}">{}</button>', url, _t("Heute geprüft"))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_review"] = is_coordinator(request.user)
        if obj is not None and change and self.has_delete_permission(request, obj):
            # Django's red "Löschen" link archives an offer that is not archived yet: it says so (submit_line.html).
            context["show_delete"] = False
            context["offer_delete_url"] = reverse("admin:directory_offer_delete", args=[obj.pk])
            context["offer_delete_label"] = _t("Löschen") if obj.status == Offer.Status.ARCHIVED else _t("Archivieren")
        if obj is not None:
            context["open_change_requests"] = obj.change_requests.filter(status=ChangeRequest.Status.OPEN)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_list_display(self, request):
        fields = list(super().get_list_display(request))
        if not is_coordinator(request.user):
            fields.remove("review_button")
        return fields

    # --- Saving: partners' edits of published offers wait for the coordination -------------

    def _is_proposal(self, request, obj):
        return (
            obj.pk is not None
            and not is_coordinator(request.user)
            and Offer.objects.filter(pk=obj.pk, status=Offer.Status.PUBLISHED).exists()
        )

    def save_model(self, request, obj, form, change):
        if self._is_proposal(request, obj):
            request._offer_proposal = True
            return
        if not is_coordinator(request.user):
            obj.organization_id = partner_organization_id(request.user)
            if not change:
                obj.status = Offer.Status.DRAFT
        marking = change and is_coordinator(request.user) and "_mark_reviewed" in request.POST
        request._offer_changed_fields = list(form.changed_data)
        if change and not form.has_changed() and not (marking and obj.last_reviewed != timezone.localdate()):
            # Saved in save_related only if a contact changed; otherwise nothing happens at all.
            request._offer_form_unchanged = True
            return
        if is_coordinator(request.user) and (marking or "last_reviewed" not in form.changed_data):
            # Creating or editing the whole entry is a check by the coordination; an unchanged save is none.
            # "Sichern und heute geprüft" says so even when nothing else changed.
            obj.last_reviewed = timezone.localdate()
            if not form.has_changed():
                obj._change_reason = _t("geprüft")
        # One history entry per save, taken after the categories and contacts are saved too.
        obj.skip_history_when_saving = True
        if marking and not form.has_changed():
            # Only the review date changes: past QuietSaveMixin, which would skip an unchanged form.
            super(QuietSaveMixin, self).save_model(request, obj, form, change)
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        offer = form.instance
        if getattr(request, "_offer_proposal", False):
            stored = Offer.objects.get(pk=offer.pk)
            created = change_requests.create_partner_request(stored, form, formsets, request.user)
            request._offer_proposal_created = created is not None
            return
        request._offer_formsets_changed = any(formset.has_changed() for formset in formsets)
        if getattr(request, "_offer_form_unchanged", False):
            if not request._offer_formsets_changed:
                request._offer_nothing_saved = True
                return
            if is_coordinator(request.user):
                # Her edit of a contact, a time slot or a closure is a check of the offer, as an edit of its fields is.
                offer.last_reviewed = timezone.localdate()
            offer.skip_history_when_saving = True
            offer.save()
        super().save_related(request, form, formsets, change)
        del offer.skip_history_when_saving
        history.record_version(offer, request.user, history_type="~" if change else "+")

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "_offer_proposal", False):
            return _t("Änderungswunsch an die Koordination geschickt.")
        if getattr(request, "_offer_nothing_saved", False):
            return []
        return super().construct_change_message(request, form, formsets, add)

    def _next_url(self, request):
        """A same-site admin address to return to after saving (e.g. the report being handled)."""
        next_url = request.GET.get("next", "")
        if "_continue" in request.POST or "_addanother" in request.POST or "_saveasnew" in request.POST:
            return None
        safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return next_url if safe and next_url.startswith(reverse("admin:index")) else None

    def response_change(self, request, obj):
        if is_coordinator(request.user) and not getattr(request, "_offer_proposal", False):
            one_click = self._after_save_one_click(request, obj)
            if one_click is not None:
                return one_click
        next_url = self._next_url(request)
        if next_url and not getattr(request, "_offer_proposal", False):
            super().response_change(request, obj)  # its success message
            return HttpResponseRedirect(next_url)
        if getattr(request, "_offer_proposal", False):
            if request._offer_proposal_created:
                self.message_user(
                    request,
                    _t(
                        "Ihre Änderungen sind als Änderungswunsch bei der Koordination. "
                        "Bis sie übernommen sind, bleibt das veröffentlichte Angebot unverändert."
                    ),
                    messages.SUCCESS,
                )
            else:
                self.message_user(request, _t("Sie haben nichts geändert."), messages.INFO)
            return HttpResponseRedirect(reverse("admin:directory_offer_changelist"))
        return super().response_change(request, obj)

    def _after_save_one_click(self, request, obj):
        """The form's save-and-… buttons: what she typed is saved first (or the form comes back with its errors)."""
        if not any(name in request.POST for name in ("_mark_reviewed", "_send_review_request", "_translations_current")):
            return None
        if getattr(request, "_offer_changed_fields", None) or getattr(request, "_offer_formsets_changed", False):
            self.message_user(request, _t("Ihre Änderungen sind gespeichert."), messages.SUCCESS)
        if "_mark_reviewed" in request.POST:
            self.message_user(request, _t("„%(title)s“ ist als heute geprüft vermerkt.") % {"title": obj.title}, messages.SUCCESS)
        if "_send_review_request" in request.POST:
            self.send_review_request(request, Offer.objects.filter(pk=obj.pk))
        if "_translations_current" in request.POST:
            self.mark_translations_current_from_form(
                request, obj, request.POST["_translations_current"], getattr(request, "_offer_changed_fields", [])
            )
        return HttpResponseRedirect(request.get_full_path())

    # --- Deleting archives: nothing is lost by a click -------------------------------------

    def delete_model(self, request, obj):
        if obj.status != Offer.Status.ARCHIVED:
            request._archived_from = obj.status  # the message says what the offer was before
            self._archive(request, obj)
            return
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        if Offer.objects.filter(pk=obj_id).exists():
            if getattr(request, "_archived_from", None) == Offer.Status.PUBLISHED:
                message = _t(
                    "„%(title)s“ ist jetzt archiviert und nicht mehr öffentlich. "
                    "Über den Status „veröffentlicht“ kommt es zurück."
                )
            else:  # a draft was never public, and "veröffentlicht" would publish it unchecked
                message = _t("„%(title)s“ ist jetzt archiviert. Über den Status „Entwurf“ kommt es zurück.")
            self.message_user(
                request,
                message % {"title": obj_display},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:directory_offer_changelist"))
        return super().response_delete(request, obj_display, obj_id)

    def has_delete_permission(self, request, obj=None):
        # Partners can neither delete nor archive; the coordination archives, and deletes only archived offers.
        return is_coordinator(request.user) and super().has_delete_permission(request, obj)

    def render_delete_form(self, request, context):
        context["will_archive"] = context["object"].status != Offer.Status.ARCHIVED
        if context["will_archive"]:
            context["title"] = _("Archivieren")
        return super().render_delete_form(request, context)

    def _archive(self, request, obj):
        obj.status = Offer.Status.ARCHIVED
        obj._history_user = request.user
        obj._change_reason = _t("archiviert statt gelöscht")
        obj.save()

    # --- Actions ---------------------------------------------------------------------------

    def _save_each(self, request, queryset, reason, **changes):
        count = 0
        with transaction.atomic():
            for offer in queryset:
                if all(getattr(offer, field) == value for field, value in changes.items()):
                    continue  # already so: no history entry, no new change date
                for field, value in changes.items():
                    setattr(offer, field, value)
                offer._history_user = request.user
                offer._change_reason = reason
                offer.save()  # one by one, so each change is in the history
                count += 1
        return count

    @admin.action(description=_("Ausgewählte Angebote veröffentlichen"))
    def publish(self, request, queryset):
        count = self._save_each(request, queryset, _t("veröffentlicht"), status=Offer.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%(count)d Angebot veröffentlicht.", "%(count)d Angebote veröffentlicht.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Veröffentlichung zurücknehmen (Entwurf)"))
    def unpublish(self, request, queryset):
        count = self._save_each(request, queryset, _t("zum Entwurf gemacht"), status=Offer.Status.DRAFT)
        self.message_user(
            request,
            ngettext("%(count)d Angebot ist jetzt ein Entwurf.", "%(count)d Angebote sind jetzt Entwürfe.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Als heute geprüft markieren"))
    def mark_reviewed_today(self, request, queryset):
        count = self._save_each(request, queryset, _t("geprüft"), last_reviewed=timezone.localdate())
        self.message_user(
            request,
            ngettext("%(count)d Angebot als geprüft markiert.", "%(count)d Angebote als geprüft markiert.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ausgewählte Angebote archivieren"))
    def archive_selected(self, request, queryset):
        count = 0
        for offer in queryset.exclude(status=Offer.Status.ARCHIVED):
            self._archive(request, offer)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d Angebot archiviert.", "%(count)d Angebote archiviert.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Prüfanfrage an den Anbieter senden"))
    def send_review_request(self, request, queryset):
        sent, skipped = send_review_requests(queryset, sent_by=request.user)
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d Prüfanfrage gesendet.", "%(count)d Prüfanfragen gesendet.", len(sent)) % {"count": len(sent)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _t("Ohne E-Mail-Adresse einer Ansprechperson, daher übersprungen: %(titles)s")
                % {"titles": ", ".join(offer.title for offer in skipped)},
                messages.WARNING,
            )

    # --- One-click views on a single offer: reviewed today (from the list), restore ----------

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/geprueft/",
                self.admin_site.admin_view(self.mark_reviewed_view),
                name="directory_offer_mark_reviewed",
            ),
        ]
        return urls + super().get_urls()

    def _coordinator_offer(self, request, object_id):
        pk = numeric_id(object_id)
        if request.method != "POST" or not is_coordinator(request.user):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def mark_reviewed_view(self, request, object_id):
        offer = self._coordinator_offer(request, object_id)
        self._save_each(request, Offer.objects.filter(pk=offer.pk), _t("geprüft"), last_reviewed=timezone.localdate())
        self.message_user(request, _t("„%(title)s“ ist als heute geprüft vermerkt.") % {"title": offer.title}, messages.SUCCESS)
        # Back to where she clicked, filters kept ("Prüfung fällig"): the list's form has no "next", its page is the referrer.
        next_url = request.POST.get("next") or request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        if not safe or urlsplit(next_url).path.startswith(reverse("admin:directory_offer_mark_reviewed", args=[offer.pk])):
            next_url = reverse("admin:directory_offer_changelist")
        return HttpResponseRedirect(next_url)

    def revert_disabled(self, request, obj=None):
        return not is_coordinator(request.user)

    def get_historical_record_context_helper(self, request, historical_record):
        return OfferHistoryContextHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # Field by field, lists and contacts included; only what changed, each language on its own.
        history.version_changes(historical_records)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Compare a version with today's offer and, on confirmation, bring it back (fields, lists, contacts)."""
        offer = get_object_or_404(self.get_queryset(request), pk=numeric_id(object_id))
        if not self.has_view_permission(request, offer):
            raise PermissionDenied
        can_restore = is_coordinator(request.user)  # partners may look, not bring versions back
        record = get_object_or_404(Offer.history.filter(id=offer.pk), history_id=numeric_id(version_id))
        current = history.snapshot_of_offer(offer)
        version = history.snapshot_of_record(record)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            when = date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")
            try:
                history.apply_snapshot(
                    offer, version, user=request.user, reason=_t("Fassung vom %(when)s wiederhergestellt") % {"when": when}
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _t("Die Fassung vom %(when)s ist wiederhergestellt.") % {"when": when}, messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:directory_offer_change", args=[offer.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": (_t("Fassung wiederherstellen: %(title)s") if can_restore else _t("Fassung ansehen: %(title)s"))
            % {"title": offer.title},
            "opts": self.model._meta,
            "object": offer,
            "record": record,
            "differences": history.differences(current, version),
            "can_restore": can_restore,
        }
        return TemplateResponse(request, "admin/directory/offer/restore_version.html", context)


class OpenStatusFilter(admin.SimpleListFilter):
    """Status with an "offen" choice covering everything not yet finished."""

    title = _("Status")
    parameter_name = "bearbeitung"
    open_statuses = ()

    def lookups(self, request, model_admin):
        choices = model_admin.model.Status.choices
        if len(self.open_statuses) == 1:
            # "offen" is then that one status: listed once, not as group and status with the same name.
            choices = [(code, label) for code, label in choices if code not in self.open_statuses]
        return [("offen", _("offen")), *choices]

    def queryset(self, request, queryset):
        if self.value() == "offen":
            return queryset.filter(status__in=self.open_statuses)
        if self.value():
            return queryset.filter(status=self.value())
        return queryset


class ReportStatusFilter(OpenStatusFilter):
    open_statuses = (Report.Status.NEW, Report.Status.IN_PROGRESS)


class ChangeRequestStatusFilter(OpenStatusFilter):
    open_statuses = (ChangeRequest.Status.OPEN,)


@admin.register(Report)
class ReportAdmin(QuietSaveMixin, NoSilentCutMixin, admin.ModelAdmin):
    list_display = ["created", "offer", "message_start", "status"]
    list_display_links = ["created"]
    list_editable = ["status"]
    list_filter = [ReportStatusFilter]
    list_select_related = ["offer"]
    search_fields = ["message", "offer__title"]
    readonly_fields = ["offer_link", "message_text", "contact", "created", "updated", "offer_now"]
    fields = ["offer_link", "message_text", "contact", "created", "status", "note", "updated", "offer_now"]
    actions = ["mark_in_progress", "mark_done"]

    @admin.display(description=_("Das Angebot jetzt"))
    def offer_now(self, obj):
        # What the report is about, beside it: no second tab needed to compare.
        return render_to_string("admin/directory/report/_offer_now.html", {"offer": obj.offer, "report": obj})

    def response_change(self, request, obj):
        request._saved_report = obj
        return super().response_change(request, obj)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        report = getattr(request, "_saved_report", None)
        if report is not None and level == messages.SUCCESS:
            # Django's „Meldung „Meldung zu „…“““ nests three pairs of quotes.
            message = _t("Die Meldung zu „%(offer)s“ ist gespeichert.") % {"offer": report.offer}
        super().message_user(request, message, level, *args, **kwargs)

    @admin.display(description=label_without_question_mark(Report._meta.get_field("message").verbose_name))
    def message_text(self, obj):
        return obj.message

    def has_add_permission(self, request):
        return False  # reports come from the public form

    @admin.display(description=_("Meldung"))
    def message_start(self, obj):
        return obj.message if len(obj.message) <= 80 else obj.message[:79] + "…"

    @admin.display(description=_("Angebot"))
    def offer_link(self, obj):
        # Saving the offer comes back to this report (OfferAdmin.response_change follows "next").
        back = reverse("admin:directory_report_change", args=[obj.pk])
        url = f"{reverse('admin:directory_offer_change', args=[obj.offer_id])}?{urlencode({'next': back})}"
        return format_html(
            '<a href="{}">{}</a> (<a href="{}">{}</a>) · <a class="button" href="{}">{}</a>',
            url, obj.offer, obj.offer.get_absolute_url(), _t("öffentlich"), url, _t("Angebot bearbeiten"),
        )  # fmt: skip

    def _set_status(self, request, queryset, status):
        count = queryset.update(status=status, updated=timezone.now())
        self.message_user(
            request, ngettext("%(count)d Meldung geändert.", "%(count)d Meldungen geändert.", count) % {"count": count}
        )

    @admin.action(description=_("Auf „in Bearbeitung“ setzen"))
    def mark_in_progress(self, request, queryset):
        self._set_status(request, queryset, Report.Status.IN_PROGRESS)

    @admin.action(description=_("Auf „erledigt“ setzen"))
    def mark_done(self, request, queryset):
        self._set_status(request, queryset, Report.Status.DONE)


@admin.register(ChangeRequest)
class ChangeRequestAdmin(QuietSaveMixin, admin.ModelAdmin):
    class Media:
        css = {"all": ["admin/directory.css"]}

    list_display = ["created", "offer", "source", "submitter", "status"]
    list_display_links = ["created"]
    list_filter = [ChangeRequestStatusFilter, "source"]
    list_select_related = ["offer", "submitted_by"]
    search_fields = ["message", "offer__title", "submitted_email"]
    readonly_fields = ["offer_link", "source", "submitter", "message_text", "created", "resolved", "resolved_by"]
    fields = ["offer_link", "source", "submitter", "created", "message_text", "status", "resolved", "resolved_by"]

    @admin.display(description=label_without_question_mark(ChangeRequest._meta.get_field("message").verbose_name))
    def message_text(self, obj):
        return obj.message

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # "übernommen" is what applying the proposal sets; chosen by hand it would drop the change unseen.
            kwargs["choices"] = [c for c in ChangeRequest.Status.choices if c[0] != ChangeRequest.Status.APPROVED]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == ChangeRequest.Status.APPROVED:
            fields.append("status")
        return fields

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("eingereicht von"))
    def submitter(self, obj):
        return obj.submitted_by or obj.submitted_email or "–"

    @admin.display(description=_("Angebot"))
    def offer_link(self, obj):
        url = reverse("admin:directory_offer_change", args=[obj.offer_id])
        return format_html('<a href="{}">{}</a>', url, obj.offer)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The per-field merge sits below the request's own fields (template: changerequest/change_form.html).
        if obj is not None and obj.proposal:
            rows = change_requests.field_changes(obj)
            context["merge"] = {
                "rows": rows,
                "decide": obj.status == ChangeRequest.Status.OPEN and is_coordinator(request.user),
                "conflicts": sum(row.state == change_requests.CONFLICT for row in rows),
                "TAKE": change_requests.TAKE,
                "KEEP": change_requests.KEEP,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data and obj.status != ChangeRequest.Status.OPEN:
            obj.resolved, obj.resolved_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/uebernehmen/",
                self.admin_site.admin_view(self.approve_view),
                name="directory_changerequest_approve",
            ),
        ] + super().get_urls()

    def approve_view(self, request, object_id):
        """Apply the chosen fields of a partner's proposal: choose on the request's page, confirm here, then write."""
        change_request = get_object_or_404(ChangeRequest.objects.select_related("offer"), pk=numeric_id(object_id))
        if request.method != "POST" or not is_coordinator(request.user) or not change_request.proposal:
            raise PermissionDenied
        page = reverse("admin:directory_changerequest_change", args=[change_request.pk])
        if change_request.status != ChangeRequest.Status.OPEN:
            self.message_user(request, _t("Dieser Änderungswunsch ist schon bearbeitet."), messages.WARNING)
            return HttpResponseRedirect(page)
        rows = change_requests.field_changes(change_request)
        state = change_requests.fingerprint(change_request.offer, [row.key for row in rows])
        if "confirmed" in request.POST and request.POST.get("state") != state:
            self.message_user(
                request,
                _t("Das Angebot wurde inzwischen geändert. Bitte prüfen Sie die Felder noch einmal."),
                messages.WARNING,
            )
            return HttpResponseRedirect(page)
        try:
            chosen = change_requests.chosen_changes(rows, request.POST)
        except change_requests.Undecided as undecided:
            self.message_user(
                request,
                _t("Bitte entscheiden Sie zuerst, was bei diesen Feldern gelten soll: %(fields)s")
                % {"fields": ", ".join(undecided.labels)},
                messages.ERROR,
            )
            return HttpResponseRedirect(page)
        if "confirmed" not in request.POST:
            context = {
                **self.admin_site.each_context(request),
                "title": _t("Änderungen übernehmen?"),
                "opts": self.model._meta,
                "object": change_request,
                "offer": change_request.offer,
                "chosen": chosen,
                "kept": [row for row in rows if row not in chosen and row.state != change_requests.SAME],
                "choices": [(row.input_name, request.POST.get(row.input_name, "")) for row in rows],
                "state": state,
            }
            return TemplateResponse(request, "admin/directory/changerequest/confirm_apply.html", context)
        try:
            change_requests.apply_change_request(change_request, chosen, request.user, who=str(self.submitter(change_request)))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(page)
        self.message_user(
            request,
            ngettext(
                "%(count)d Feld übernommen; der Änderungswunsch ist erledigt.",
                "%(count)d Felder übernommen; der Änderungswunsch ist erledigt.",
                len(chosen),
            )
            % {"count": len(chosen)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(page)


@admin.register(NotificationSetting)
class NotificationSettingAdmin(admin.ModelAdmin):
    """Each person of the coordination sets only their own choice; the list goes straight to it."""

    fields = ["frequency"]

    def has_module_permission(self, request):
        return is_coordinator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_coordinator(request.user) and (obj is None or obj.user_id == request.user.pk)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).filter(user=request.user)

    def changelist_view(self, request, extra_context=None):
        if not is_coordinator(request.user):
            raise PermissionDenied
        own, _created = NotificationSetting.objects.get_or_create(user=request.user)
        return HttpResponseRedirect(reverse("admin:directory_notificationsetting_change", args=[own.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["title"] = _t("Meine Benachrichtigungen")
        if not request.user.email:
            self.message_user(
                request,
                _t("Ihr Login hat keine E-Mail-Adresse, daher kommt keine Benachrichtigung an. Bitte lassen Sie sie eintragen."),
                messages.WARNING,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        self.message_user(request, _t("Gespeichert: %(choice)s.") % {"choice": obj.get_frequency_display()}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:index"))


@admin.register(ReviewRequest)
class ReviewRequestAdmin(admin.ModelAdmin):
    list_display = ["sent", "offer", "email", "used", "outcome"]
    list_filter = ["outcome"]
    list_select_related = ["offer"]
    search_fields = ["email", "offer__title"]
    readonly_fields = ["offer", "email", "sent", "sent_by", "used", "outcome"]

    def has_add_permission(self, request):
        return False  # sent from the offer list or the offer page

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PartnerProfile)
class PartnerProfileAdmin(QuietSaveMixin, NoSilentCutMixin, admin.ModelAdmin):
    list_display = ["user", "full_name", "email", "organization", "has_password"]
    list_select_related = ["user", "organization"]
    autocomplete_fields = ["user", "organization"]
    search_fields = ["user__username", "user__email", "user__first_name", "user__last_name", "organization__name"]

    @admin.display(description=_("Name"))
    def full_name(self, obj):
        return obj.user.get_full_name() or "–"

    @admin.display(description=_("E-Mail-Adresse"))
    def email(self, obj):
        return obj.user.email or "–"

    @admin.display(description=_("Passwort gewählt"), boolean=True)
    def has_password(self, obj):
        return obj.user.has_usable_password()

    def get_urls(self):
        return [
            path("einladen/", self.admin_site.admin_view(self.invite_view), name="directory_partnerprofile_invite"),
        ] + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        # A partner's login is made by inviting them: name, e-mail and organization in one form.
        return HttpResponseRedirect(reverse("admin:directory_partnerprofile_invite"))

    def invite_view(self, request):
        if not is_coordinator(request.user) or not self.has_add_permission(request):
            raise PermissionDenied
        form = PartnerInvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            invite_partner(**form.cleaned_data, invited_by=request.user)
            self.message_user(
                request,
                _t("%(name)s hat einen Zugang für „%(organization)s“ und eine E-Mail an %(email)s mit dem Link zum Passwort.")
                % {"name": form.cleaned_data["name"], "organization": form.cleaned_data["organization"],
                   "email": form.cleaned_data["email"]},
                messages.SUCCESS,
            )  # fmt: skip
            return HttpResponseRedirect(reverse("admin:directory_partnerprofile_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _t("Partner einladen"),
            "opts": self.model._meta,
            "form": form,
            "adminform": admin.helpers.AdminForm(form, [(None, {"fields": ["name", "email", "organization"]})], {}),
        }
        return TemplateResponse(request, "admin/directory/partnerprofile/invite.html", context)


class PartnerProfileInline(NoSilentCutMixin, admin.StackedInline):
    model = PartnerProfile
    can_delete = True
    extra = 0
    max_num = 1
    autocomplete_fields = ["organization"]
    verbose_name = _("Partner-Redaktion für einen Träger")
    verbose_name_plural = _("Partner-Redaktion (nur für Logins von Partnern, zusammen mit der Gruppe „Partner-Redaktion“)")


# The coordinator sets up a partner's login in one place: user, group and organization.
admin.site.unregister(User)


@admin.register(User)
class WegweiserUserAdmin(NoSilentCutMixin, UserAdmin):
    inlines = [*UserAdmin.inlines, PartnerProfileInline]


from .models import LegalPage  # noqa: E402


@admin.register(LegalPage)
class LegalPageAdmin(QuietSaveMixin, NoSilentCutMixin, admin.ModelAdmin):
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


from . import search_admin  # noqa: E402, F401  (registers Suchbegriffe and Suchen ohne Treffer)
