"""One search for both databases.

Every offer keeps a folded `search_text` (all translations, organization, category,
language and town names, synonyms). A query matches when each of its words is found
in that text. Folding is applied identically to the text and to the query, so
"Müller", "Mueller" and "muller" all become "muller".
"""

import re
import unicodedata

from django.db.models import Q

# Groups of words that mean the same to a parent. Entries are stems: a word that
# starts with one of them belongs to the group. They are folded at import time.
SYNONYM_GROUPS = [
    ["dolmetsch", "sprachmittl", "ubersetz", "sprachvermittl", "interpret", "translat"],
    ["kita", "kindergart", "kindertagesst", "krippe", "tagesmutt", "kindertagespfleg"],
    ["arbeit", "job", "beruf", "ausbildung", "erwerbs"],
    ["schule", "schul", "grundschul", "unterricht"],
    ["hausaufgab", "nachhilf", "lernhilf", "lernforder"],
    ["arzt", "arztin", "medizin", "gesundheit", "doktor"],
    ["psych", "seel", "trauma", "angst"],
    ["deutschkurs", "sprachkurs", "integrationskurs", "deutsch lernen"],
    ["aufenthalt", "asyl", "visum", "auslanderbehord", "einburger"],
    ["schwanger", "geburt", "hebamm", "baby", "saugling"],
    ["erzieh", "elternberat", "familienberat"],
    ["kostenlos", "gratis", "umsonst", "kostenfrei", "unentgeltlich"],
]

_WORD = re.compile(r"\w+", re.UNICODE)
_GERMAN = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ı": "i", "ł": "l"})
# Applied after removing diacritics, to text and query alike: "mueller" -> "muller".
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_ARABIC = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ی", "ي": "ی", "ئ": "ی", "ة": "ه", "ك": "ک", "ؤ": "و", "ـ": None}
)


def fold(text):
    """Lower-case, strip accents and diacritics, treat ä/ae/a alike."""
    text = (text or "").translate(_GERMAN).casefold().translate(_GERMAN)
    decomposed = unicodedata.normalize("NFKD", text)
    # Drop combining marks; looking at each distinct character once keeps long texts fast.
    text = decomposed.translate({ord(ch): None for ch in set(decomposed) if unicodedata.combining(ch)})
    for digraph, plain in _DIGRAPHS:
        text = text.replace(digraph, plain)
    # Arabic-script letters that are spelled several ways; alef maqsura and both yehs
    # must end as the same letter (a one-pass table, so no chains), tatweel is dropped.
    return text.translate(_ARABIC)


def _fold_groups():
    return [[fold(stem) for stem in group] for group in SYNONYM_GROUPS]


FOLDED_GROUPS = _fold_groups()
# Per group: one pattern for "a word starts with one of the stems" (one regex scan instead
# of a Python loop over every word and stem; the seeding of 10,000 offers depends on it).
_STEM_PATTERNS = [
    re.compile(r"(?<!\w)(?:" + "|".join(re.escape(stem) for stem in group if " " not in stem) + ")")
    if any(" " not in stem for stem in group) else None
    for group in FOLDED_GROUPS
]


def words(text):
    return _WORD.findall(fold(text))


def expand_synonyms(text):
    """Return the stems of every synonym group that a word of `text` belongs to."""
    found = []
    joined = " ".join(words(text))
    for group, pattern in zip(FOLDED_GROUPS, _STEM_PATTERNS, strict=True):
        if pattern is not None and pattern.search(joined):
            found.extend(group)
        elif any(stem in joined for stem in group if " " in stem):
            found.extend(group)
    return found


def build_search_text(*parts):
    """Folded text of all parts plus the synonym stems they call for."""
    text = " ".join(fold(part) for part in parts if part)
    text = " ".join(text.split())
    synonyms = expand_synonyms(text)
    if synonyms:
        text = f"{text} {' '.join(synonyms)}"
    return f" {text} "


def query_terms(query, max_terms=10):
    """The folded words of a query, each mapped to its synonym stem where it has one."""
    terms = []
    for word in words(query)[:max_terms]:
        term = word
        for group in FOLDED_GROUPS:
            stem = next((s for s in group if " " not in s and word.startswith(s)), None)
            if stem:
                term = stem
                break
        if term not in terms:
            terms.append(term)
    return terms


def search_filter(query, field="search_text"):
    """A Q object that requires every word of `query` in `field`; None for an empty query."""
    terms = query_terms(query)
    if not terms:
        return None
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": term})
    return condition
