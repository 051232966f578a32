"""The search quality suite on the demo data: realistic parent queries in all ten
languages, and the example words under the search box in each language."""

from collections import defaultdict

import pytest
from django.core.management import call_command

from directory.search_quality import example_queries, hit_rate, load_suite, run_suite

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_vocabulary")]


def test_the_suite_covers_every_interface_language_with_over_a_hundred_queries(settings):
    cases = [case for case in load_suite() if not case[3]]
    assert len(cases) >= 100
    assert {language for language, *_rest in cases} == {code for code, _name in settings.LANGUAGES}


def test_example_words_are_read_from_each_catalogue():
    examples = example_queries()
    assert examples["de"] == ["Dolmetscher", "Kita", "Arbeit", "Seesen"]
    assert examples["uk"][0] == "перекладач"
    assert examples["ar"][0] == "مترجم"


def test_95_percent_and_every_example_find_a_fitting_offer_among_the_first_three(demo_data):
    # One test for both figures: loading the demo data is the expensive part.
    outcomes = run_suite()
    per_language = defaultdict(list)
    for outcome in outcomes:
        per_language[outcome.language].append(outcome)
    print({language: f"{hit_rate(items):.0%}" for language, items in per_language.items()})
    misses = [(o.language, o.query, o.found) for o in outcomes if not o.hit]
    assert hit_rate(outcomes) >= 0.95, misses
    examples = [outcome for outcome in outcomes if outcome.example]
    assert len(examples) == 40
    assert [(o.language, o.query, o.found) for o in examples if not o.hit] == []


def test_the_command_prints_the_figure_and_the_misses(demo_data, capsys):
    call_command("search_quality")
    output = capsys.readouterr().out
    assert "of 227 queries found a fitting offer among the first 3" in output
    assert "uk:" in output and "ar:" in output
