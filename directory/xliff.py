"""Offer texts for translators as XLIFF 1.2, one file per language, and back.

XLIFF is what translation tools (OmegaT, Poedit, SDL Trados, memoQ, Weblate) read:
each unit carries the German source, the current translation as target and its state
("translated", "needs-review-translation" when the German text changed since, "new"
when there is none yet). Units are keyed "<offer slug>/<field>". Importing a file
writes only targets that differ from the stored translation and records the German
text the translator saw (the unit's source) as what the translation was made from,
so a translation of an older German text stays marked outdated. Exporting and
importing the same file changes nothing.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _t

from . import translation_status
from .history import record_version
from .models import Offer
from .text import normalize_text

NS = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAX_BYTES = 5 * 1024 * 1024


def export_language(code, only_open=False):
    """The XLIFF document (bytes) with every offer's texts for `code`."""
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", version="1.2")
    file = ET.SubElement(
        root, f"{{{NS}}}file", original="wegweiser/angebote", datatype="plaintext",
        **{"source-language": translation_status.SOURCE, "target-language": code},
    )
    body = ET.SubElement(file, f"{{{NS}}}body")
    for offer in Offer.objects.order_by("title_de", "pk"):
        outdated = set(translation_status.outdated_fields(offer, code))
        units = []
        for name in translation_status.FIELDS:
            source = translation_status.german(offer, name)
            if not source:
                continue
            target = getattr(offer, f"{name}_{code}", None) or ""
            state = "new" if not target else "needs-review-translation" if name in outdated else "translated"
            if only_open and state == "translated":
                continue
            units.append((name, source, target, state))
        if not units:
            continue
        group = ET.SubElement(body, f"{{{NS}}}group", id=offer.slug, resname=offer.title_de)
        for name, source, target, state in units:
            unit = ET.SubElement(group, f"{{{NS}}}trans-unit", id=f"{offer.slug}/{name}", resname=name)
            unit.set(XML_SPACE, "preserve")
            ET.SubElement(unit, f"{{{NS}}}source").text = source
            target_element = ET.SubElement(unit, f"{{{NS}}}target", state=state)
            target_element.text = target
            ET.SubElement(unit, f"{{{NS}}}note").text = str(Offer._meta.get_field(name).verbose_name)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class ImportResult:
    language: str = ""
    changed_offers: list = field(default_factory=list)
    changed_texts: int = 0
    unchanged_texts: int = 0
    errors: list = field(default_factory=list)


def _units(data, result):
    if len(data) > MAX_BYTES:
        result.errors.append(_t("Die Datei ist größer als 5 MB."))
        return None, []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        result.errors.append(_t("Die Datei ist keine gültige XLIFF-Datei (%(error)s).") % {"error": error})
        return None, []
    files = root.findall(f"{{{NS}}}file")
    if root.tag != f"{{{NS}}}xliff" or len(files) != 1:
        result.errors.append(_t("Die Datei ist keine XLIFF-1.2-Datei des Wegweisers mit genau einer Sprache."))
        return None, []
    code = files[0].get("target-language", "")
    if code not in translation_status.OTHER_LANGUAGES:
        result.errors.append(
            _t("Die Zielsprache „%(code)s“ gibt es im Wegweiser nicht. Erlaubt: %(codes)s")
            % {"code": code, "codes": ", ".join(translation_status.OTHER_LANGUAGES)}
        )
        return None, []
    return code, files[0].iter(f"{{{NS}}}trans-unit")


def import_language(data, user=None):
    """Apply a translated XLIFF file; with any error nothing is changed."""
    result = ImportResult()
    code, units = _units(data, result)
    if code is None:
        return result
    result.language = code
    planned = {}  # slug -> {field: (target, source)}
    for unit in units:
        unit_id = unit.get("id", "")
        slug, _sep, name = unit_id.rpartition("/")
        if name not in translation_status.FIELDS:
            result.errors.append(_t("Eintrag „%(id)s“: unbekanntes Feld.") % {"id": unit_id})
            continue
        target = unit.find(f"{{{NS}}}target")
        source = unit.find(f"{{{NS}}}source")
        planned.setdefault(slug, {})[name] = (
            normalize_text(target.text or "") if target is not None else "",
            normalize_text(source.text or "") if source is not None else "",
        )
    offers = {offer.slug: offer for offer in Offer.objects.filter(slug__in=planned)}
    for slug in planned:
        if slug not in offers:
            result.errors.append(_t("Das Angebot „%(slug)s“ gibt es nicht (mehr).") % {"slug": slug})
    if result.errors:
        return result
    with transaction.atomic():
        for slug, texts in planned.items():
            offer = offers[slug]
            sources = dict(offer.translation_sources or {})
            changed = False
            for name, (target, source) in texts.items():
                key = f"{name}_{code}"
                if not target or target == normalize_text(getattr(offer, key, None) or ""):
                    result.unchanged_texts += 1
                    continue
                setattr(offer, key, target)
                sources[key] = translation_status.fingerprint(source)
                result.changed_texts += 1
                changed = True
            if not changed:
                continue
            offer.skip_history_when_saving = True
            offer.save()
            del offer.skip_history_when_saving
            # Made from the German text in the file, which may be older than today's.
            offer.translation_sources = {**offer.translation_sources, **sources}
            Offer.objects.filter(pk=offer.pk).update(translation_sources=offer.translation_sources)
            record_version(offer, user, reason=_t("Übersetzung importiert (%(code)s)") % {"code": code})
            result.changed_offers.append(offer)
    return result
