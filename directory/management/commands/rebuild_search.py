import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from directory import cache
from directory.models import Offer
from directory.search import rebuild_offer_search_fields
from directory.search_index import SearchIndex


class Command(BaseCommand):
    help = (
        "Refill every offer's stored search fields in bulk (after an update of the folding rules or a raw "
        "database import) and check that the search index builds; prints offers, queries and seconds."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            count = rebuild_offer_search_fields(Offer, [code for code, _name in settings.LANGUAGES])
            # Every worker builds its index anew at its next search.
            cache.invalidate()
        stored = time.perf_counter() - started
        index = SearchIndex.build()
        self.stdout.write(
            f"Search fields of {count} offers rebuilt with {len(queries)} queries in {stored:.2f} s; "
            f"index of {len(index.offer_ids)} published offers built in {index.build_seconds:.2f} s."
        )
