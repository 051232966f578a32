from collections import defaultdict

from django.core.management.base import BaseCommand

from directory.search_quality import TOP, hit_rate, run_suite


class Command(BaseCommand):
    help = (
        "Run the search quality suite (fixtures/search_queries.json and the example words under the search box) "
        "against the current offers: print the share found in the first three per language, and every miss."
    )

    def handle(self, *args, **options):
        outcomes = run_suite()
        by_language = defaultdict(list)
        for outcome in outcomes:
            by_language[outcome.language].append(outcome)
        for language, items in by_language.items():
            self.stdout.write(f"{language}: {hit_rate(items):6.1%} of {len(items)}")
        misses = [outcome for outcome in outcomes if not outcome.hit]
        for outcome in misses:
            kind = "example" if outcome.example else "query"
            found = ", ".join(outcome.found) or "nothing"
            self.stdout.write(f"MISS [{outcome.language}] {kind} „{outcome.query}“: first {TOP} were {found}")
        examples = [outcome for outcome in outcomes if outcome.example]
        summary = (
            f"{hit_rate(outcomes):.1%} of {len(outcomes)} queries found a fitting offer among the first {TOP}; "
            f"examples: {hit_rate(examples):.1%} of {len(examples)}; {len(misses)} misses."
        )
        self.stdout.write(self.style.SUCCESS(summary) if not misses else summary)
        return None
