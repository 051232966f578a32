"""Offline reading: the service worker (static/js/sw.js) and the bundle it saves.

The service worker must be served from the site root, not /static/, for its scope to
cover every page.

"Alle Angebote speichern" on the start page asks the service worker to fetch ONE
compact bundle per language (`/<lang>/offline/paket.json`): every published offer's
text in that language (German where a translation is missing, marked as such), the
categories, and a page shell (header, footer, stylesheet, labels) rendered in the
language. The service worker builds the offer, category and listing pages from it when
the phone is offline. One JSON file instead of hundreds of pages: about 150 bytes
gzipped per offer, rather than several kilobytes each (figures in the README).

`/<lang>/offline/` is the styled page a parent sees offline for a page that was
neither visited nor saved.
"""

import gzip
import json
import re
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import i18n
from .cache import known_version
from .models import Category, Contact, Location, Offer, OpeningSlot
from .query import query_parameters
from .schedule_text import join_list, weekly_lines

SHELL_TITLE = "<!--offline-title-->"
SHELL_CONTENT = "<!--offline-content-->"


@lru_cache(maxsize=1)
def _script():
    with open(finders.find("js/sw.js"), encoding="utf-8") as source:
        script = source.read()
    # The first is the source language, which has no prefix in addresses.
    languages = json.dumps([code for code, _name in settings.LANGUAGES])
    script = script.replace('/*LANGUAGES*/["de"]', languages)
    script = script.replace("/*LAST_RESORT*/{ rtl: [] }", json.dumps(last_resort_texts(), ensure_ascii=False))
    # Comments are for the source: served without them, the worker stays within the first visit's budget.
    script = re.sub(r"\A/\*.*?\*/\n", "", script, flags=re.S)
    return re.sub(r"^[ \t]*//.*\n", "", script, flags=re.M).encode()


def last_resort_texts():
    """The words of the page the worker builds itself when it has nothing kept, in every language
    (two short phrases each: the worker is part of every first visit's weight)."""
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words[code] = [_("Sie sind offline"), _("Zur Startseite")]
    rtl = [code for code, _name in settings.LANGUAGES if translation.get_language_info(code)["bidi"]]
    return {"site": settings.SITE_NAME, "rtl": rtl, "words": words}


@require_safe
def service_worker(request):
    response = HttpResponse(_script(), content_type="text/javascript; charset=utf-8")
    # Browsers look for a new version on every visit; the ETag keeps that to a 304.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@query_parameters()
@require_safe
def not_saved(request):
    """What the service worker shows offline for a page neither visited nor saved."""
    return render(request, "directory/offline/not_saved.html")


def _text(offer, field):
    """(text, falls back to German) of a translated field in the active language."""
    return getattr(offer, field) or "", i18n.translation_is_missing(offer, field)


def offer_entry(offer):
    title, title_de = _text(offer, "title")
    summary, summary_de = _text(offer, "summary")
    description, description_de = _text(offer, "description")
    steps, steps_de = _text(offer, "how_to_get_help")
    cost, cost_de = _text(offer, "cost_note")
    entry = {
        "s": offer.slug,
        "t": title,
        "u": summary,
        "c": [category.slug for category in offer.public_categories()],
        "o": offer.organization.name,
        "g": [str(label) for label in offer.get_format_display_list()],
        "p": [[c.name, c.phone, c.email, c.hours] for c in offer.contacts.all()],
        "a": [[loc.name, loc.street, loc.postal_code, loc.town.name, loc.opening_hours] for loc in offer.locations.all()],
        "l": [[lang.code, lang.endonym] for lang in offer.languages.all()],
        "f": int(offer.is_free) | int(not offer.appointment_needed) << 1 | int(offer.anonymous_possible) << 2
        | int(offer.format_phone or offer.format_video) << 3,
    }
    # The weekly hours from the slots, already in the reader's language.
    hours = [f"{line['label']}: {line['text']}" if line["label"] else line["text"] for line in weekly_lines(offer.slots.all())]
    if hours:
        entry["z"] = hours
    # Empty and German-fallback fields are left out or listed, to keep the bundle small.
    for key, value in (("d", description), ("h", steps), ("k", cost)):
        if value:
            entry[key] = value
    if not entry["p"] and (offer.organization.phone or offer.organization.email):
        entry["p"] = [[offer.organization.name, offer.organization.phone, offer.organization.email, ""]]
    german = [key for key, missing in (("t", title_de), ("u", summary_de), ("d", description_de and description),
                                        ("h", steps_de and steps), ("k", cost_de and cost)) if missing]
    if german:
        entry["de"] = german
    if offer.website:
        entry["w"] = offer.website
    return entry


def labels():
    """The words the service worker puts around the saved texts, in the active language."""
    return {
        "offline_notice": _("Sie sind offline. Sie sehen die gespeicherte Fassung vom %(date)s."),
        "all_offers": _("Alle Angebote"),
        "count": _("%(count)s Angebote"),
        "languages": _("Sprachen"),
        "costs": _("Kosten"),
        "free": _("kostenlos"),
        "not_free": _("mit Kosten – bitte nachfragen"),
        "appointment": _("Termin"),
        "no_appointment": _("Sie können ohne Termin kommen."),
        "with_appointment": _("Bitte vorher einen Termin ausmachen."),
        "anonymous": _("anonym möglich"),
        "how": _("Wie"),
        "remote": _("per Telefon/Video für den ganzen Landkreis"),
        "steps": _("So bekommen Sie Hilfe"),
        "contact": _("Kontakt"),
        "reachable": _("erreichbar:"),
        "where": _("Wo?"),
        "hours": _("Öffnungszeiten:"),
        "more": _("Mehr zum Angebot"),
        "provider": _("Träger"),
        "website": _("Website des Angebots"),
        "german_only": _("Dieser Text ist nur auf Deutsch verfügbar."),
        "filters_offline": _(
            "Ohne Internet zeigt die Liste alle gespeicherten Angebote; Filter und Suche gehen wieder, sobald Sie online sind."
        ),
        "not_saved_title": _("Diese Seite ist nicht gespeichert"),
        "not_saved": _("Sie sind offline, und diese Seite ist auf diesem Handy nicht gespeichert."),
        "to_start": _("Zur Startseite"),
        "call": _("Anrufen:"),
        # Lists in the saved pages are joined like online: "، " in Arabic and Persian.
        "list_separator": join_list(["", ""]),
    }


def build_bundle(language, request):
    """The bundle of `language` as a dict (see the module docstring)."""
    with translation.override(language):
        offers = (
            Offer.objects.visible()
            .select_related("organization")
            .prefetch_related(
                "categories", "languages",
                Prefetch("contacts", queryset=Contact.objects.order_by("position", "pk")),
                Prefetch("locations", queryset=Location.objects.select_related("town")),
                Prefetch("slots", queryset=OpeningSlot.objects.select_related("language")),
            )
            .order_by("title_de", "pk")
        )
        categories = [
            {"s": c.slug, "n": c.name, "d": c.description or "", "i": c.icon} for c in Category.objects.filter(archived=False)
        ]
        shell = render_to_string(
            "directory/offline/shell.html", {"title": SHELL_TITLE, "content": SHELL_CONTENT}, request=request
        )
        paths = {
            "home": reverse("directory:home"),
            "list": reverse("directory:offer-list"),
            "category": reverse("directory:category-detail", kwargs={"slug": "SLUG"}),
            "offer": reverse("directory:offer-detail", kwargs={"slug": "SLUG"}),
        }
        return {
            "format": 1,
            "language": language,
            "generated": timezone.now().isoformat(timespec="seconds"),
            "paths": paths,
            "assets": [staticfiles_storage.url("css/site.css")],
            "labels": labels(),
            "shell": shell,
            "categories": categories,
            "offers": [offer_entry(offer) for offer in offers],
        }


def bundle_bytes(language, request):
    """(JSON bytes, gzipped size, offers) of the bundle, kept per language and content version."""
    version = known_version()
    key = f"offline-bundle:{language}:{version}"
    cached = cache.get(key) if version is not None else None
    if cached is not None:
        return cached
    data = build_bundle(language, request)
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    entry = (body, len(gzip.compress(body, 6)), len(data["offers"]))
    if version is not None:
        cache.set(key, entry, settings.PAGE_CACHE_SECONDS or 300)
    return entry


@query_parameters()
@require_safe
def bundle(request):
    body, _size, _count = bundle_bytes(translation.get_language(), request)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # The service worker asks again with If-None-Match; unchanged content costs a 304.
    response["Cache-Control"] = "no-cache"
    return response


@query_parameters()
@require_safe
def bundle_info(request):
    """How big the download is (gzipped, as it travels) and how many offers it holds."""
    _body, size, count = bundle_bytes(translation.get_language(), request)
    response = JsonResponse({"bytes": size, "offers": count})
    response["Cache-Control"] = "no-cache"
    return response
