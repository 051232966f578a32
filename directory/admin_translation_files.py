"""The coordinator's side of translations keeping up with German.

- The offer page names translations older than the German text and marks them current
  in one click (one language or all); the list has the same as an action.
- "Übersetzungen" (a page of its own) gives one XLIFF file per language to send to a
  translator – all texts or only the missing and outdated ones – and takes the
  translated file back.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import translation_status, xliff
from .admin_translation import language_name
from .history import record_version
from .models import Offer
from .roles import is_coordinator


def outdated_summary(offer):
    """[(code, "Arabisch", ["Kurzbeschreibung", …])] for the offer page."""
    return [
        (code, language_name(code), [str(Offer._meta.get_field(name).verbose_name) for name in fields])
        for code, fields in translation_status.outdated_languages(offer).items()
    ]


def mark_translations_current(offer, codes, user):
    before = dict(offer.translation_sources or {})
    translation_status.mark_current(offer, codes)
    if offer.translation_sources == before:
        return False
    Offer.objects.filter(pk=offer.pk).update(translation_sources=offer.translation_sources)
    record_version(offer, user, reason=_t("Übersetzungen als aktuell markiert (%(codes)s)") % {"codes": ", ".join(codes)})
    return True


class TranslationWorkMixin:
    def get_urls(self):
        return [
            path("uebersetzungen/", self.admin_site.admin_view(self.translation_files_view), name="directory_offer_translations"),
            path(
                "uebersetzungen/<str:code>.xlf",
                self.admin_site.admin_view(self.translation_export_view),
                name="directory_offer_translations_export",
            ),
        ] + super().get_urls()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and is_coordinator(request.user):
            # Shown inside the offer form: its buttons save what was typed, then mark (OfferAdmin.response_change).
            context["outdated_translations"] = outdated_summary(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def mark_translations_current_from_form(self, request, offer, choice, changed_fields):
        """The offer form's "als aktuell markieren": after the save, unless the German text just changed."""
        german_changed = [
            name for name in translation_status.FIELDS if name in changed_fields or f"{name}_de" in changed_fields
        ]
        if german_changed:
            self.message_user(
                request,
                _t(
                    "Ihre Änderungen sind gespeichert. Die Übersetzungen sind nicht als aktuell markiert, weil Sie "
                    "gerade den deutschen Text geändert haben (%(fields)s): bitte prüfen Sie sie zuerst."
                )
                % {"fields": ", ".join(str(Offer._meta.get_field(name).verbose_name) for name in german_changed)},
                messages.WARNING,
            )
            return
        outdated = list(translation_status.outdated_languages(offer))
        codes = [choice] if choice in outdated else outdated if choice == "alle" else []
        if codes and mark_translations_current(offer, codes, request.user):
            self.message_user(
                request,
                _t("Als aktuell markiert: %(languages)s.") % {"languages": ", ".join(str(language_name(c)) for c in codes)},
                messages.SUCCESS,
            )

    @admin.action(description=_("Übersetzungen als aktuell markieren"))
    def mark_translations_current_action(self, request, queryset):
        count = sum(
            mark_translations_current(offer, list(translation_status.outdated_languages(offer)), request.user)
            for offer in queryset
            if translation_status.outdated_languages(offer)
        )
        self.message_user(
            request,
            ngettext(
                "Bei %(count)d Angebot sind die Übersetzungen jetzt als aktuell markiert.",
                "Bei %(count)d Angeboten sind die Übersetzungen jetzt als aktuell markiert.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    def _languages_overview(self):
        offers = list(Offer.objects.all())
        rows = []
        for code in translation_status.OTHER_LANGUAGES:
            missing = outdated = 0
            for offer in offers:
                for name in translation_status.FIELDS:
                    if translation_status.german(offer, name) and not getattr(offer, f"{name}_{code}", None):
                        missing += 1
                outdated += len(translation_status.outdated_fields(offer, code))
            rows.append({"code": code, "name": language_name(code), "missing": missing, "outdated": outdated})
        return rows

    def translation_files_view(self, request):
        if not is_coordinator(request.user):
            raise PermissionDenied
        result = None
        if request.method == "POST":
            upload = request.FILES.get("datei")
            if upload is None:
                self.message_user(request, _t("Bitte wählen Sie eine XLIFF-Datei aus."), messages.ERROR)
            elif upload.size > xliff.MAX_BYTES:
                self.message_user(request, _t("Die Datei ist größer als 5 MB."), messages.ERROR)
            else:
                result = xliff.import_language(upload.read(), user=request.user)
                if not result.errors:
                    self.message_user(
                        request,
                        _t("%(language)s: %(changed)d Texte übernommen (in %(offers)d Angeboten), %(unchanged)d unverändert.")
                        % {
                            "language": language_name(result.language),
                            "changed": result.changed_texts,
                            "offers": len(result.changed_offers),
                            "unchanged": result.unchanged_texts,
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:directory_offer_translations"))
        context = {
            **self.admin_site.each_context(request),
            "title": _t("Übersetzungen"),
            "opts": self.model._meta,
            "languages": self._languages_overview(),
            "result": result,
        }
        return TemplateResponse(request, "admin/directory/offer/translations.html", context)

    def translation_export_view(self, request, code):
        if not is_coordinator(request.user):
            raise PermissionDenied
        if code not in translation_status.OTHER_LANGUAGES:
            raise PermissionDenied
        only_open = request.GET.get("offen") == "1"
        response = HttpResponse(xliff.export_language(code, only_open=only_open), content_type="application/xliff+xml")
        name = f"wegweiser-angebote-{code}{'-offen' if only_open else ''}.xlf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
