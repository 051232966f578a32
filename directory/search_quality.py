"""The search quality suite: realistic parent queries and the offers they should find.

fixtures/search_queries.json holds the queries (with the demo offers expected among the
first three); the example words under the search box come from each language's
catalogue. `python manage.py search_quality` prints the figure and the misses.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation

from .models import Offer
from .search_index import current_index

SUITE = Path(__file__).resolve().parent.parent / "fixtures" / "search_queries.json"
TOP = 3
# The hint under the search box; its words are the interface's example queries.
EXAMPLE_HINT = "z. B. Dolmetscher, Kita, Arbeit, Seesen"


@dataclass
class Outcome:
    language: str
    query: str
    expected: list
    found: list  # slugs of the first TOP results
    example: bool = False

    @property
    def hit(self):
        return any(slug in self.expected for slug in self.found)


def load_suite():
    data = json.loads(SUITE.read_text(encoding="utf-8"))
    sets = data["sets"]
    cases = []
    for language, query, expected in data["queries"]:
        cases.append((language, query, sets[expected] if isinstance(expected, str) else expected, False))
    for language, examples in example_queries().items():
        for query, set_name in zip(examples, data["examples"], strict=False):
            cases.append((language, query, sets[set_name], True))
    return cases


def example_queries():
    """{language: [example words]} as the hint under the search box shows them."""
    examples = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            hint = translation.gettext(EXAMPLE_HINT)
        pieces = [piece.strip() for piece in re.split(r"[,،]", hint)]
        # Drop the "z. B." / "e.g." / "مثلًا:" in front of the first word.
        pieces[0] = re.split(r"[.:]\s*", pieces[0])[-1].strip()
        examples[code] = [piece for piece in pieces if piece]
    return examples


def run_suite(cases=None):
    cases = load_suite() if cases is None else cases
    index = current_index()
    visible = list(Offer.objects.visible().values_list("pk", flat=True))
    slugs = dict(Offer.objects.values_list("pk", "slug"))
    visible_set = set(visible)

    def allowed(candidates):
        return visible if candidates is None else [pk for pk in candidates if pk in visible_set]

    outcomes = []
    for language, query, expected, example in cases:
        result = index.search(query, allowed, frozenset([language]))
        outcomes.append(Outcome(language, query, expected, [slugs[pk] for pk in result.ids[:TOP]], example))
    return outcomes


def hit_rate(outcomes):
    return sum(outcome.hit for outcome in outcomes) / len(outcomes) if outcomes else 0.0
