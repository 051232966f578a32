"""The shipped starter set of the search vocabulary (fixtures/search_vocabulary.json).

Loaded by a migration and by `load_demo`; idempotent. Words the coordinator added or
concepts she renamed stay; starter words she deleted come back only with a new load.
"""

import json
from pathlib import Path

STARTER_SET = Path(__file__).resolve().parent.parent / "fixtures" / "search_vocabulary.json"


def starter_concepts():
    return json.loads(STARTER_SET.read_text(encoding="utf-8"))["concepts"]


def load_starter_vocabulary(SearchConcept, SearchWord, Language):
    """Create the starter concepts and words that are missing; return (concepts, words) created."""
    languages = {language.code: language for language in Language.objects.all()}
    created_concepts = created_words = 0
    for item in starter_concepts():
        kind = item.get("kind", "topic")
        language = languages.get(item["language"]) if kind == "language" else None
        if kind == "language" and language is None:
            continue  # a network without this language in its reference data
        concept, created = SearchConcept.objects.get_or_create(
            name=item["name"], defaults={"kind": kind, "language": language}
        )
        created_concepts += created
        existing = set(SearchWord.objects.filter(concept=concept).values_list("language", "text"))
        new = [
            SearchWord(concept=concept, language=code, text=text)
            for code, texts in item["words"].items()
            for text in dict.fromkeys(texts)
            if (code, text) not in existing
        ]
        SearchWord.objects.bulk_create(new)
        created_words += len(new)
    return created_concepts, created_words
