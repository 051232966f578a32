"""EXPLAIN ANALYZE every offer query the public pages run, on the seeded benchmark database.

Usage: DATABASE_URL=postgres://.../wegweiser_bench_... python bench/explain.py
Writes bench/plans-postgres.txt. The queries are the ones the real views send (captured
through the test client), so the plans follow the pages as they change.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.run import PAGES  # noqa: E402


def main():
    settings.PAGE_CACHE_SECONDS = 0
    client = Client(HTTP_HOST="127.0.0.1")
    out = []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for name, path in PAGES:
        client.get(path)  # warm: the plans below are for a running server
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        out.append(f"=== {name}: {path} (HTTP {status}, {len(queries)} queries)")
        for query in queries:
            sql = query["sql"]
            if "directory_offer" not in sql or not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            out += ["", sql, "", plan, ""]
    target = ROOT / "bench" / "plans-postgres.txt"
    target.write_text("\n".join(out) + "\n")
    print(f"query plans written to {target.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
