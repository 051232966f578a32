"""Text folding and word handling shared by the search index and the stored offer texts.

Folding is applied identically to offers, vocabulary and queries, so "Müller",
"Mueller" and "muller" all become "muller", and Arabic or Persian letter variants
become one letter. Words are matched whole (or as parts of German compounds, see
`compound_parts`), never by arbitrary prefixes: "schule" does not find "Schulden".
"""

import functools
import re
import unicodedata

_WORD = re.compile(r"\w+", re.UNICODE)
_GERMAN = str.maketrans({"ß": "ss", "ẞ": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ı": "i", "ł": "l"})
# Applied after removing diacritics, to text and query alike: "mueller" -> "muller".
_DIGRAPHS = (("ae", "a"), ("oe", "o"), ("ue", "u"))
_ARABIC = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ی", "ي": "ی", "ئ": "ی", "ة": "ه", "ك": "ک", "ؤ": "و", "ـ": None,
     # Zero-width (non-)joiners inside Persian words ("مهد‌کودک") join the parts.
     "\u200c": None, "\u200d": None}
)
# Linking letters between the parts of a German compound: Arbeit-s-vertrag, Familie-n-zentrum.
COMPOUND_LINKS = ("", "s", "n", "en", "e", "er")
MIN_PART = 4


class _CombiningMarks(dict):
    """A str.translate table that drops combining marks, deciding each character once per process."""

    def __missing__(self, code):
        value = None if unicodedata.combining(chr(code)) else code
        self[code] = value
        return value


_STRIP_MARKS = _CombiningMarks()


def fold(text):
    """Lower-case, strip accents and diacritics, treat ä/ae/a alike."""
    text = (text or "").translate(_GERMAN).casefold().translate(_GERMAN)
    text = unicodedata.normalize("NFKD", text).translate(_STRIP_MARKS)
    for digraph, plain in _DIGRAPHS:
        text = text.replace(digraph, plain)
    # Arabic-script letters that are spelled several ways; alef maqsura and both yehs
    # must end as the same letter (a one-pass table, so no chains), tatweel is dropped.
    return text.translate(_ARABIC)


# C0 and C1 control characters (NUL, escape, …): never part of what a parent means, never put into a page.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text):
    """`text` with control characters (a NUL from `%00`) turned into spaces."""
    return _CONTROL.sub(" ", text)


def first_words(text, max_words, max_length):
    """(the beginning of a typed query, whether it was cut): at most `max_words` words as the
    search counts them (folded) and `max_length` characters, cut between words where possible."""
    kept, count, cut = [], 0, False
    for chunk in text.split():
        found = len(words(chunk))
        if count + found > max_words:
            # A chunk of several words ("a-b-c-…"): keep its first ones.
            room = max_words - count
            ends = [match.end() for match in _WORD.finditer(chunk)]
            if room > 0 and ends:
                kept.append(chunk[:ends[min(room, len(ends)) - 1]])
            cut = True
            break
        kept.append(chunk)
        count += found
    query = " ".join(kept)
    if len(query) > max_length:
        query = query[:max_length].rsplit(" ", 1)[0] if " " in query[:max_length] else query[:max_length]
        cut = True
    return query, cut


def words(text):
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


@functools.lru_cache(maxsize=20_000)
def phrase(text):
    """The folded words of a short text as a tuple; cached, as vocabulary and names recur at every rebuild."""
    return tuple(words(text))


def folded_words(*parts):
    """Folded, de-duplicated words of all parts as one space-separated string (stored per offer)."""
    seen = dict.fromkeys(word for part in parts if part for word in words(part))
    return " ".join(seen)


def compound_parts(word, known):
    """Split a German compound into two parts that are both `known` words.

    "kitaplatz" -> ("kita", "platz"), "elterncafe" -> ("eltern", "cafe"),
    "arbeitsvertrag" -> ("arbeit", "vertrag"). The longest known head wins; None when
    no split into known parts exists. Parts are at least MIN_PART letters long.
    """
    for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head, tail = word[:cut], word[cut:]
        if tail not in known:
            continue
        for link in COMPOUND_LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) >= MIN_PART and stem in known:
                return stem, tail
    return None


def edit_distance(a, b, limit):
    """Damerau-Levenshtein distance (adjacent swaps count once), or limit + 1 when above limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def allowed_typos(word):
    """Letters that may be wrong in a word: none below five letters, one up to six, then two."""
    if len(word) < 5:
        return 0
    return 1 if len(word) <= 6 else 2


# Stored search field -> the offer's own (translated) fields folded into it.
OFFER_SEARCH_FIELDS = {"search_title": ("title",), "search_summary": ("summary",),
                       "search_text": ("description", "how_to_get_help")}


def offer_search_fields(offer, language_codes):
    """The stored search fields of an offer (or a historical model row) from its own texts."""
    values = {}
    for target, sources in OFFER_SEARCH_FIELDS.items():
        parts = []
        for source in sources:
            for code in language_codes:
                text = getattr(offer, f"{source}_{code.replace('-', '_')}", "") or ""
                if text and text not in parts:
                    parts.append(text)
        values[target] = folded_words(*parts)
    return values


def rebuild_offer_search_fields(offer_model, language_codes, batch_size=1000):
    """Refill the stored search fields of every offer in batches; returns the number of offers.

    One read per batch and one bulk update per batch: for 10,000 offers about 20 queries.
    """
    columns = [f"{source}_{code.replace('-', '_')}" for sources in OFFER_SEARCH_FIELDS.values()
               for source in sources for code in language_codes]
    total = 0
    last_pk = 0
    while True:
        batch = list(offer_model.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", *columns)[:batch_size])
        if not batch:
            return total
        for offer in batch:
            for name, value in offer_search_fields(offer, language_codes).items():
                setattr(offer, name, value)
        offer_model.objects.bulk_update(batch, list(OFFER_SEARCH_FIELDS), batch_size=batch_size)
        total += len(batch)
        last_pk = batch[-1].pk
