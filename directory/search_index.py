"""The search: an in-memory index per worker, rebuilt when the directory's content changes.

Why in process (bench/RESULTS.md, "Search architectures"): it gives exactly the same
results on SQLite and PostgreSQL, needs no service beyond the database, and answers a
never-seen query at 10,000 offers in a few milliseconds. Every app server builds its
own copy from the database; the content version (directory/cache.py, one database
row) tells each worker within PAGE_CACHE_CHECK_SECONDS that it must rebuild.

What a query word matches, best first (see `Weights`):
1. the word itself, whole, in a title, the town of one of the offer's places (above a mention in
   the text), summary, description or organisation; also without a glued-on Arabic article
   and without a German, Russian or Ukrainian ending ("Briefen", "врачом");
2. the other words of its concepts in the search vocabulary (SearchConcept/SearchWord),
   and compounds that contain it or them as a part ("kurs" finds "Deutschkurs");
3. parts of a compound the query has ("kitaplatz" -> "kita" + "platz");
4. for words of five letters or more that match nothing: words with one or two letters
   wrong, missing, extra or swapped – never ranked above an exact match.
Language names ("arabisch", "на українській") filter by the language of the offer;
filler words ("für", "мне") are left out. The listing order is built in `ordering_key`.
"""

import threading
import time
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

import numpy as np
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import get_language

from . import cache, search
from .models import (
    Category,
    Language,
    Location,
    Offer,
    Organization,
    SearchConcept,
    SearchWord,
    TargetGroup,
    Town,
)

# Words per query that are looked at; the rest is cut (and the page says so).
MAX_QUERY_WORDS = 12
SOURCE_LANGUAGE = settings.LANGUAGE_CODE
NEVER = date.max.toordinal()
# Up to this many matches, the database is asked only about them (pk IN …), else about all.
CANDIDATES_ASKED_BY_PK = 500


class Weights:
    """Fit of one query word to one offer = field weight x kind of match."""

    TITLE = 8.0
    # The town (or village) of one of the offer's places: above a mention in the text, so that
    # "goslar" lists the offers in Goslar before one in Liebenburg that says "not to Goslar".
    PLACE = 6.0
    SUMMARY = 4.0
    OTHER = 2.0  # description, how to get help, organisation, category, address, target group
    EXACT = 1.0
    SYNONYM = 0.75
    # Part of a compound: a part in the title stays below a whole word in the summary.
    PART = 0.45
    # Below every exact match: the best typo fit (title) stays under the weakest exact one.
    TYPO = 0.2


LEVELS = (Weights.TITLE, Weights.SUMMARY, Weights.OTHER, Weights.PLACE)
# Arabic and Persian glue article and prepositions to the word: "الدائرة", "بالعربية", "وللأطفال".
ARABIC_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ب", "ل", "ف")


GERMAN_ENDINGS = ("en", "er", "es", "n", "e", "s")


# Case endings of Russian and Ukrainian nouns ("к врачу", "для школи"), longest first; the stem,
# or the stem with a nominative ending, is looked up ("врачу" -> "врач", "школу" -> "школа").
CYRILLIC_ENDINGS = ("ами", "ями", "ого", "ому", "ему", "ой", "ей", "ою", "ею", "ом", "ем", "ам", "ям", "ах",
                    "ях", "ов", "ев", "ів", "у", "ю", "а", "я", "е", "і", "и", "ы")
CYRILLIC_NOMINATIVE = ("", "а", "я", "ь", "о", "ок")


def word_variants(word):
    """Other forms of a word to look up: Arabic without glued-on article, German and Russian or
    Ukrainian without case ending."""
    return [*arabic_variants(word), *cyrillic_variants(word),
            *(word[:-len(ending)] for ending in GERMAN_ENDINGS if word.endswith(ending) and len(word) - len(ending) >= 4)]


def cyrillic_variants(word):
    if not word or not ("\u0400" <= word[0] <= "\u04ff"):
        return []
    variants = []
    for ending in CYRILLIC_ENDINGS:
        stem = word[:-len(ending)]
        if word.endswith(ending) and len(stem) >= 3:
            variants += [stem + nominative for nominative in CYRILLIC_NOMINATIVE if stem + nominative != word]
    return variants


def arabic_variants(word):
    """The word without a glued-on article or preposition, and with the article added."""
    if not word or not ("\u0600" <= word[0] <= "\u06ff"):
        return []
    variants = [word[len(prefix):] for prefix in ARABIC_PREFIXES
                if word.startswith(prefix) and len(word) - len(prefix) >= 3]
    return [*variants, "ال" + word]


@dataclass
class QueryPlan:
    """What a query was understood as."""

    terms: list = field(default_factory=list)  # per query word: {token tuple: kind weight}
    languages: set = field(default_factory=set)  # language codes named in the query
    unmatched: list = field(default_factory=list)  # words that matched nothing, even with typos
    corrected: dict = field(default_factory=dict)  # word -> the known word it was taken for
    cut: bool = False  # the query had more words than MAX_QUERY_WORDS


@dataclass
class SearchResult:
    ids: list
    plan: QueryPlan
    scores: dict


class SearchIndex:
    def __init__(self):
        self.version = None
        self.built_at = 0.0
        self.build_seconds = 0.0
        self.offer_ids = []  # position -> pk
        self.position = {}  # pk -> position
        self.postings = [defaultdict(lambda: array("I")) for _level in LEVELS]
        self.offer_languages = []  # position -> frozenset of language codes
        self.freshness = []  # position -> ordinal of the last review (0 = never)
        self.titles = []  # position -> {language: title}
        self.concepts_of = defaultdict(set)  # folded word phrase -> concept ids
        self.concept_words = defaultdict(set)  # concept id -> folded phrases
        self.concept_name = {}  # concept id -> its name ("Seesen"), e.g. for places named in any script
        self.language_words = {}  # folded phrase -> language code
        self.filler_words = set()
        self.max_phrase = 1
        self.compounds_with = defaultdict(set)  # part -> compound tokens that contain it
        self._known = None
        self._bigrams = None
        self._vocabulary_words = None
        self._listing_orders = {}
        self.offer_pks = np.zeros(0, dtype=np.int64)  # position -> pk, for numpy
        self.pk_positions = np.zeros(0, dtype=np.int64)  # pk -> position (-1: not in the index)
        self.language_masks = {}  # language code -> which positions offer it
        self.valid_from = self.valid_until = np.zeros(0, dtype=np.int64)  # date ordinals

    # --- Building --------------------------------------------------------------------------

    @classmethod
    def build(cls, version=None):
        started = time.perf_counter()
        index = cls()
        index.version = version
        codes = [code for code, _name in settings.LANGUAGES]

        def names(instance, field_name):
            return [getattr(instance, f"{field_name}_{code}", "") or "" for code in codes]

        category_words = {c.pk: search.folded_words(*names(c, "name")) for c in Category.objects.all()}
        group_words = {g.pk: search.folded_words(*names(g, "name")) for g in TargetGroup.objects.all()}
        town_words = {t.pk: search.folded_words(*names(t, "name"), *t.alias_list()) for t in Town.objects.all()}
        location_words, location_town = {}, {}
        for pk, name, street, postal_code, town_id in Location.objects.values_list(
            "pk", "name", "street", "postal_code", "town_id"
        ):
            location_words[pk] = search.folded_words(name, street, postal_code)
            location_town[pk] = town_id
        organization_words = {pk: search.folded_words(name) for pk, name in Organization.objects.values_list("pk", "name")}
        language_code = dict(Language.objects.values_list("pk", "code"))

        offers = Offer.objects.filter(status=Offer.Status.PUBLISHED).order_by()
        related, places = defaultdict(list), defaultdict(list)
        for through, column, lookup in (
            (Offer.categories.through, "category_id", category_words),
            (Offer.target_groups.through, "targetgroup_id", group_words),
            (Offer.locations.through, "location_id", location_words),
        ):
            for offer_id, other_id in through.objects.filter(offer__in=offers).values_list("offer_id", column):
                related[offer_id].append(lookup.get(other_id, ""))
                if column == "location_id":
                    places[offer_id].append(town_words.get(location_town.get(other_id), ""))
        spoken = defaultdict(set)
        for offer_id, language_id in Offer.languages.through.objects.filter(offer__in=offers).values_list(
            "offer_id", "language_id"
        ):
            spoken[offer_id].add(language_code.get(language_id))

        title_columns = [f"title_{code.replace('-', '_')}" for code in codes]
        # Yes/no properties are found by their German label ("kostenlos", "Telefon"); the
        # vocabulary connects the other languages' words to them.
        with translation.override(settings.LANGUAGE_CODE):
            flags = {"is_free": search.folded_words(str(Offer._meta.get_field("is_free").verbose_name))}
            for value, field_name in Offer.FORMAT_FIELDS.items():
                flags[field_name] = search.folded_words(str(Offer.Format(value).label))
        rows = plain(offers).values_list(
            "pk", "search_title", "search_summary", "search_text", "organization_id", "last_reviewed",
            "valid_from", "valid_until", *flags, *title_columns,
        )
        title_postings, summary_postings, other_postings, place_postings = index.postings
        valid = []
        for position, (pk, title, summary, text, organization_id, reviewed, valid_from, valid_until,
                       *rest) in enumerate(rows.iterator(chunk_size=5000)):
            valid.append((valid_from.toordinal() if valid_from else 0,
                          valid_until.toordinal() if valid_until else NEVER))
            flag_words = [words for words, value in zip(flags.values(), rest, strict=False) if value]
            titles = rest[len(flags):]
            index.offer_ids.append(pk)
            index.position[pk] = position
            index.offer_languages.append(frozenset(spoken.get(pk, ())))
            index.freshness.append(reviewed.toordinal() if reviewed else 0)
            # Folded only when a listing in that language is first sorted (_static_rank).
            index.titles.append({code: value for code, value in zip(codes, titles, strict=True) if value})
            # Each word once per offer in its best field; the towns of its places rank above a mention in the text.
            place_tokens = set(" ".join(places.get(pk, ())).split())
            title_tokens = set(title.split())
            summary_tokens = set(summary.split()) - title_tokens - place_tokens
            other = " ".join((text, organization_words.get(organization_id, ""), *related.get(pk, ()), *flag_words))
            other_tokens = set(other.split()) - title_tokens - summary_tokens - place_tokens
            for token in place_tokens:
                place_postings[token].append(position)
            for token in title_tokens:
                title_postings[token].append(position)
            for token in summary_tokens:
                summary_postings[token].append(position)
            for token in other_tokens:
                other_postings[token].append(position)

        index.valid_from = np.array([first for first, _last in valid], dtype=np.int64)
        index.valid_until = np.array([last for _first, last in valid], dtype=np.int64)
        index.offer_pks = np.array(index.offer_ids, dtype=np.int64)
        index.pk_positions = np.full(max(index.offer_ids, default=-1) + 1, -1, dtype=np.int64)
        index.pk_positions[index.offer_pks] = np.arange(len(index.offer_ids))
        for code in {code for codes in index.offer_languages for code in codes}:
            index.language_masks[code] = np.array([code in codes for codes in index.offer_languages], dtype=bool)
        index._load_vocabulary(SearchConcept, SearchWord, Language)
        index._find_compounds()
        index.build_seconds = time.perf_counter() - started
        index.built_at = time.monotonic()
        return index

    def _load_vocabulary(self, SearchConcept, SearchWord, Language):
        kinds = {}
        for pk, kind, name in SearchConcept.objects.values_list("pk", "kind", "name"):
            kinds[pk] = kind
            self.concept_name[pk] = name
        concept_language = dict(SearchConcept.objects.filter(kind="language").values_list("pk", "language__code"))
        for concept_id, text in SearchWord.objects.values_list("concept_id", "text"):
            phrase = search.phrase(text)
            if not phrase:
                continue
            kind = kinds.get(concept_id)
            if kind == "filler":
                self.filler_words.add(phrase)
            elif kind == "language":
                self.language_words[phrase] = concept_language[concept_id]
            else:
                self.concepts_of[phrase].add(concept_id)
                self.concept_words[concept_id].add(phrase)
            self.max_phrase = max(self.max_phrase, len(phrase))
        # The names of the languages themselves, in every interface language, and their endonyms.
        # German is left out: every offer is described in German, so "deutsch" means a course.
        codes = [code for code, _name in settings.LANGUAGES]
        for language in Language.objects.exclude(code=settings.LANGUAGE_CODE):
            for text in [language.endonym, *(getattr(language, f"name_{code}", "") for code in codes)]:
                phrase = search.phrase(text or "")
                if phrase and phrase not in self.concepts_of:
                    self.language_words.setdefault(phrase, language.code)
                    self.max_phrase = max(self.max_phrase, len(phrase))

    def concept_names(self, text):
        """Names of the concepts that have `text` as one of their words, folded as the search folds."""
        phrase = search.phrase(text or "")
        return sorted(self.concept_name[pk] for pk in self.concepts_of.get(phrase, ()) if pk in self.concept_name)

    def known_words(self):
        """Every word an offer or the vocabulary holds (for compounds, typos and suggestions)."""
        if self._known is None:
            known = set()
            for postings in self.postings:
                known.update(postings)
            for phrases in (self.concepts_of, self.language_words):
                for phrase in phrases:
                    known.update(phrase)
            self._known = known
        return self._known

    def _find_compounds(self):
        known = self.known_words()
        parts_known = {word for word in known if len(word) >= search.MIN_PART and not word.isdigit()}
        for word in known:
            if len(word) >= 2 * search.MIN_PART + 1:
                parts = search.compound_parts(word, parts_known)
                if parts:
                    for part in parts:
                        self.compounds_with[part].add(word)

    # --- Understanding a query -------------------------------------------------------------

    def plan(self, query):
        plan = QueryPlan()
        tokens = search.words(query)
        if len(tokens) > MAX_QUERY_WORDS:
            tokens, plan.cut = tokens[:MAX_QUERY_WORDS], True
        position = 0
        while position < len(tokens):
            for length in range(min(self.max_phrase, len(tokens) - position), 0, -1):
                phrase = tuple(tokens[position:position + length])
                if phrase in self.language_words:
                    plan.languages.add(self.language_words[phrase])
                    break
                if phrase in self.concepts_of:
                    plan.terms.append(self._expand(phrase, Weights.EXACT))
                    break
                if phrase in self.filler_words:
                    break
                if length == 1:
                    self._plan_word(phrase[0], plan)
            else:
                length = 1
            position += length
        return plan

    def _expand(self, phrase, weight):
        """The phrase itself and the words of its concepts, with the weight of each."""
        expansion = {phrase: weight}
        for concept_id in self.concepts_of.get(phrase, ()):
            for other in self.concept_words[concept_id]:
                expansion.setdefault(other, weight * Weights.SYNONYM)
        return expansion

    def _has_postings(self, word):
        return any(word in postings for postings in self.postings) or word in self.compounds_with

    def _plan_word(self, word, plan):
        # "الدائرة" is "دائرة" with the article, "Briefen" is "Brief": both forms, and their concepts.
        variants = [variant for variant in word_variants(word)
                    if (variant,) in self.concepts_of or self._has_postings(variant)]
        if self._has_postings(word) or variants:
            expansion = self._expand((word,), Weights.EXACT) if self._has_postings(word) else {}
            for variant in variants:
                for phrase, weight in self._expand((variant,), Weights.EXACT).items():
                    expansion[phrase] = max(weight, expansion.get(phrase, 0.0))
            plan.terms.append(expansion)
            return
        parts = search.compound_parts(word, self.known_words())
        if parts:
            for part in parts:
                plan.terms.append(self._expand((part,), Weights.PART))
            return
        correction = self.correct(word)
        if correction:
            plan.corrected[word] = correction
            plan.terms.append(self._expand((correction,), Weights.TYPO))
            return
        plan.unmatched.append(word)

    def _bigram_index(self):
        if self._bigrams is None:
            bigrams = defaultdict(list)
            for word in self.known_words():
                if len(word) >= 3:
                    for gram in {word[i:i + 2] for i in range(len(word) - 1)}:
                        bigrams[gram].append(word)
            self._bigrams = bigrams
        return self._bigrams

    def correct(self, word, limit=None, among=None):
        """The known word (of `among`, if given) closest to `word` within its allowed typos (or `limit`), or None.

        Ties go to the word more offers use, then alphabetically, so the answer is stable.
        """
        limit = search.allowed_typos(word) if limit is None else limit
        if limit == 0:
            return None
        grams = {word[i:i + 2] for i in range(len(word) - 1)}
        bigrams = self._bigram_index()
        # Counting in C (Counter over chained lists) keeps this at a few ms for 50,000 words.
        shared = Counter(chain.from_iterable(bigrams.get(gram, ()) for gram in grams))
        # Each edit changes at most two letter pairs.
        needed = max(1, len(grams) - 2 * limit)
        best = None
        for candidate, count in shared.items():
            if count < needed or abs(len(candidate) - len(word)) > limit or candidate == word:
                continue
            if among is not None and candidate not in among:
                continue
            distance = search.edit_distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -self._document_frequency(candidate), candidate)
                if best is None or key < best[0]:
                    best = (key, candidate)
        return best[1] if best else None

    def _document_frequency(self, word):
        return sum(len(postings.get(word, ())) for postings in self.postings)

    # --- Matching and ranking --------------------------------------------------------------

    def _positions(self, phrase, postings):
        """Positions of the offers whose field holds the whole phrase, as a numpy array."""
        arrays = [postings.get(word) for word in phrase]
        if not all(arrays):
            return None
        positions = np.frombuffer(arrays[0], dtype=np.uint32)
        for other in arrays[1:]:
            positions = np.intersect1d(positions, np.frombuffer(other, dtype=np.uint32), assume_unique=True)
        return positions if len(positions) else None

    def _term_scores(self, expansion):
        """(best fit per position, number of matches per position) for one query word.

        Layers of matches are written from the weakest to the best, so each position ends
        with its best fit; numpy does it for 10,000 offers in well under a millisecond.
        """
        layers = []
        for phrase, kind_weight in expansion.items():
            for level_weight, postings in zip(LEVELS, self.postings, strict=True):
                weight = level_weight * kind_weight
                positions = self._positions(phrase, postings)
                if positions is not None:
                    layers.append((weight, positions))
                # Compounds that contain the word as a part ("kurs" -> "deutschkurs").
                if len(phrase) == 1:
                    for compound in self.compounds_with.get(phrase[0], ()):
                        positions = postings.get(compound)
                        if positions:
                            layers.append((weight * Weights.PART, np.frombuffer(positions, dtype=np.uint32)))
        size = len(self.offer_ids)
        best = np.zeros(size)
        if not layers:
            return best, np.zeros(size, dtype=np.int64)
        layers.sort(key=lambda layer: layer[0])
        for weight, positions in layers:
            best[positions] = weight
        matches = np.bincount(np.concatenate([positions for _weight, positions in layers]), minlength=size)
        return best, matches

    def _scores(self, plan):
        """(fit, bonus, mask) over all positions: the offers matching every query word, else
        those matching the most words. None when the query has no words to match (only a
        language or filler words).

        The fit is the sum of each word's best match. An offer that uses several words of a
        concept ("Bewerbung", "Arbeit", "Job") is more about it than one that shares a single
        word by chance: each further match adds to the bonus (at most a quarter of the best),
        which decides only between equal fits.
        """
        if not plan.terms:
            return None
        size = len(self.offer_ids)
        fit, bonus, matched = np.zeros(size), np.zeros(size), np.zeros(size, dtype=np.int64)
        for expansion in plan.terms:
            best, matches = self._term_scores(expansion)
            matched += best > 0
            fit += best
            bonus += best * np.clip(0.05 * (matches - 1), 0.0, 0.25)
        needed = matched.max() if size else 0
        mask = matched == needed if needed else np.zeros(size, dtype=bool)
        return np.round(fit, 6), np.round(bonus, 6), mask

    def _language_mask(self, languages):
        mask = np.zeros(len(self.offer_ids), dtype=bool)
        for code in languages:
            if code in self.language_masks:
                mask |= self.language_masks[code]
        return mask

    def _allowed_mask(self, pks):
        """Positions of the given pks (those in the index) as a boolean mask."""
        pks = np.fromiter(pks, dtype=np.int64)
        known = (pks >= 0) & (pks < len(self.pk_positions))
        positions = self.pk_positions[pks[known]]
        mask = np.zeros(len(self.offer_ids), dtype=bool)
        mask[positions[positions >= 0]] = True
        return mask

    def visible_ids(self, candidates=None, today=None):
        """The pks the public may see (`OfferQuerySet.visible`: published, within the validity
        dates), without asking the database; only among `candidates` if given."""
        today = (today or timezone.localdate()).toordinal()
        mask = (self.valid_from <= today) & (self.valid_until >= today)
        if candidates is not None:
            mask &= self._allowed_mask(candidates)
        return self.offer_pks[mask].tolist()

    def matching_ids(self, query):
        """pks of the published offers that match `query` (None for a query without words)."""
        plan = self.plan(query)
        if not plan.terms and not plan.languages:
            return None if not plan.unmatched else []
        scores = self._scores(plan)
        mask = scores[2] if scores is not None else np.ones(len(self.offer_ids), dtype=bool)
        if plan.languages:
            in_language = mask & self._language_mask(plan.languages)
            mask = in_language if in_language.any() else mask
        return self.offer_pks[mask].tolist()

    def search(self, query, allowed, languages, tie_breaker=None):
        """Rank the offers matching `query`: fit, then `tie_breaker(pk)` if given, then `ordering_key`.

        `allowed(candidates)` returns the pks the other filters let through, asked only
        about `candidates` when they are few (None: all); `languages` are the reader's.
        """
        plan = self.plan(query)
        scores = self._scores(plan)
        size = len(self.offer_ids)
        if scores is None:
            if not plan.languages:
                return SearchResult(ids=[], plan=plan, scores={})
            scores = (np.zeros(size), np.zeros(size), np.ones(size, dtype=bool))
        fit, bonus, mask = scores
        count = int(mask.sum())
        if not count:
            return SearchResult(ids=[], plan=plan, scores={})
        asked = self.offer_pks[mask].tolist() if count <= CANDIDATES_ASKED_BY_PK else None
        mask = mask & self._allowed_mask(allowed(asked))
        if plan.languages:
            in_language = mask & self._language_mask(plan.languages)
            mask = in_language if in_language.any() else mask
        positions = np.nonzero(mask)[0]
        rank = self._static_rank(frozenset(plan.languages or languages), with_freshness=True)
        keys = [rank[positions], -bonus[positions]]
        if tie_breaker is not None:
            keys.append(np.array([tie_breaker(pk) for pk in self.offer_pks[positions].tolist()], dtype=float))
        keys.append(-fit[positions])
        ordered = positions[np.lexsort(keys)]
        pks = self.offer_pks[ordered].tolist()
        return SearchResult(ids=pks, plan=plan, scores=dict(zip(pks, fit[ordered].tolist(), strict=True)))

    def listing(self, allowed_ids, languages, tie_breaker=None):
        """`allowed_ids` in the order of a listing without a query (`tie_breaker(pk)` first if given)."""
        rank = self._static_rank(frozenset(languages), with_freshness=False)
        pks = np.fromiter(allowed_ids, dtype=np.int64)
        known = (pks >= 0) & (pks < len(self.pk_positions))
        positions = np.full(len(pks), -1, dtype=np.int64)
        positions[known] = self.pk_positions[pks[known]]
        # An offer the index does not know yet (saved a moment ago elsewhere) goes last.
        places = np.where(positions >= 0, rank[np.maximum(positions, 0)], len(rank))
        keys = [pks, places]
        if tie_breaker is not None:
            keys.append(np.array([tie_breaker(pk) for pk in pks.tolist()], dtype=float))
        return pks[np.lexsort(keys)].tolist()

    def _static_rank(self, languages, with_freshness):
        """position -> place in `ordering_key` order without the fit, computed once per language."""
        key = (languages, with_freshness)
        if key not in self._listing_orders:
            ordered = sorted(range(len(self.offer_ids)),
                             key=lambda position: self.ordering_key(position, languages, with_freshness))
            rank = np.zeros(len(ordered), dtype=np.int64)
            rank[ordered] = np.arange(len(ordered))
            self._listing_orders[key] = rank
        return self._listing_orders[key]

    def ordering_key(self, position, languages, with_freshness):
        """THE order of every listing, after the fit to the query (higher first, with a query only):

        1. offered in the reader's language before German-only (German readers: all equal),
        2. fresher before stale (last review; with a query only),
        3. title in the reader's language, German title where it has none,
        4. pk, so that pages never repeat or skip an offer.
        `search` puts the fit first; a `tie_breaker` (the distance for `nahe=`) comes between.
        """
        in_language = not languages or SOURCE_LANGUAGE in languages or bool(self.offer_languages[position] & languages)
        language = next(iter(languages)) if len(languages) == 1 else SOURCE_LANGUAGE
        title = self._sort_title(position, language)
        freshness = -self.freshness[position] if with_freshness else 0
        return (not in_language, freshness, title, self.offer_ids[position])

    def _sort_title(self, position, language):
        titles = self.titles[position]
        return search.fold(titles.get(language) or titles.get(SOURCE_LANGUAGE, ""))

    def suggested_word(self, word):
        """The word to suggest for an unknown `word`, more careful than the typo correction of a search.

        A word of the vocabulary (what parents search for) with one letter wrong, or two in
        words of five letters or more; any other word of the offers only within the typos a
        search forgives, so "anwalt" does not become "gewalt".
        """
        vocabulary_limit = 1 if len(word) <= 4 else 2
        return self.correct(word, limit=vocabulary_limit, among=self.vocabulary_words()) or self.correct(word)

    def vocabulary_words(self):
        """The single words of the vocabulary's concepts (not filler, not language names)."""
        if self._vocabulary_words is None:
            self._vocabulary_words = {phrase[0] for phrase in self.concepts_of if len(phrase) == 1}
        return self._vocabulary_words

    def suggestion(self, query):
        """A query with each unknown word replaced by the closest known word, or None."""
        plan = self.plan(query)
        if not plan.unmatched:
            return None
        replaced = []
        changed = False
        for word in search.words(query)[:MAX_QUERY_WORDS]:
            if word in plan.unmatched and len(word) >= 3:
                correction = self.suggested_word(word)
                if correction:
                    replaced.append(correction)
                    changed = True
                    continue
            if word not in plan.unmatched:
                replaced.append(word)
        return " ".join(replaced) if changed and replaced else None


def plain(queryset):
    """The same query as a plain Django QuerySet.

    Thousands of rows per search: modeltranslation's row iterator costs about 25 ms per
    1,000 rows (it rebuilds every row as a dict); Django's own is many times faster.
    """
    return QuerySet(model=queryset.model, query=queryset.query.chain(), using=queryset.db)


# --- The index of this process ---------------------------------------------------------------

_lock = threading.Lock()
_current = {"index": None, "local": None}


def current_index():
    """This worker's index, rebuilt first when the content version moved on.

    The version is the database's (shared by all workers and app servers) plus a
    counter of this process's own saves, so a rolled-back transaction that resets
    the database row can never leave an outdated index in place.
    """
    version = (cache.known_version(), cache.local_changes())
    index = _current["index"]
    if index is not None and index.version == version:
        return index
    if cache.in_transaction():
        # Inside a transaction: the kept index while this process changed nothing since it was
        # built; else one built for this moment and not kept, as the changes may be rolled back.
        if index is not None and index.version[1] == version[1]:
            return index
        return SearchIndex.build(version)
    with _lock:
        index = _current["index"]
        if index is None or index.version != version:
            index = SearchIndex.build(version)
            _current["index"] = index
    return index


def reader_languages(chosen=()):
    """The languages results are ranked for: the `sprache` filter, else the page's language."""
    if chosen:
        return frozenset(chosen)
    return frozenset([(get_language() or settings.LANGUAGE_CODE).split("-")[0]])
