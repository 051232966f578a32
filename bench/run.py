"""The load benchmark: `make bench` (table) and `make bench-load` (64 connections, 60 s).

For each database (SQLite, and PostgreSQL when reachable) and each size (1,000 and
10,000 offers) it creates a throwaway database, migrates, seeds synthetic offers
(bench/seed.py), starts gunicorn with production settings on a free 127.0.0.1 port,
and drives it with wrk on loopback for a bounded time per page. It prints requests/s,
p50 and p99 latency per page and the ratio to a static file served by the same
process, and writes the table with a machine description to bench/RESULTS.md.

Only ever 127.0.0.1; every run is bounded in time; databases are dropped afterwards.
"""

import argparse
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
TMP = ROOT / "bench" / "tmp"
PYTHON = sys.executable
WRK = shutil.which("wrk") or "/usr/bin/wrk"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

# The pages a parent opens, with query strings as the filter form sends them.
PAGES = [
    ("start", "/"),
    ("category", "/kategorie/kita-schule/"),
    ("category, language + town", "/kategorie/kita-schule/?sprache=ar&ort=goslar"),
    ("search", "/angebote/?q=dolmetscher"),
    ("offer", "/angebot/angebot-3/"),
    # Open data, as partners' programs and crawlers fetch it.
    ("HSDS services", "/api/hsds/services"),
    ("HSDS service_at_locations, page 100", "/api/hsds/service_at_locations?page=100"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap part", "/sitemap-angebote.xml?p=2"),
    ("CSV export", "/export/angebote.csv"),
    # Random parameters on the category page: unknown ones (tracking, cache busting) and random
    # values of the filters it knows; both must find the cached page (issue 14: >= 50 % of static).
    ("category, random unknown parameters", "/kategorie/kita-schule/?r=…", "random_unknown"),
    ("category, random values of known filters", "/kategorie/kita-schule/?sprache=…", "random_known"),
    # A different query on every request (bench/tmp/never_seen.lua), so the page cache cannot answer.
    ("search, never-seen queries", "/angebote/?q=…", "never_seen"),
    ("search, never-seen queries, 1 connection", "/angebote/?q=…", "never_seen", 1),
]

# What one request to each open-data address costs on its own (page cache off), first and
# repeated: ids in braces are filled in from the API itself.
OPEN_DATA = [
    ("HSDS root", "/api/hsds/"),
    ("HSDS services", "/api/hsds/services"),
    ("HSDS services, page 150", "/api/hsds/services?page=150"),
    ("HSDS services, full", "/api/hsds/services?full=true"),
    ("HSDS services, search", "/api/hsds/services?search=dolmetscher"),
    ("HSDS services, search, full", "/api/hsds/services?search=dolmetscher&full=true"),
    ("HSDS services, search, page 3", "/api/hsds/services?search=schule&page=3&per_page=20"),
    ("HSDS services, 200 per page", "/api/hsds/services?per_page=200&page=40"),
    ("HSDS service", "/api/hsds/services/{service}"),
    ("HSDS organizations", "/api/hsds/organizations"),
    ("HSDS organizations, search", "/api/hsds/organizations?search=verein"),
    ("HSDS organization", "/api/hsds/organizations/{organization}"),
    ("HSDS taxonomies", "/api/hsds/taxonomies"),
    ("HSDS taxonomy_terms", "/api/hsds/taxonomy_terms"),
    ("HSDS taxonomy_term", "/api/hsds/taxonomy_terms/{taxonomy_term}"),
    ("HSDS service_at_locations", "/api/hsds/service_at_locations"),
    ("HSDS service_at_locations, page 250", "/api/hsds/service_at_locations?page=250"),
    ("HSDS service_at_locations, full", "/api/hsds/service_at_locations?full=true"),
    ("HSDS service_at_locations, postcode", "/api/hsds/service_at_locations?postcode=38723"),
    ("HSDS service_at_locations, search", "/api/hsds/service_at_locations?search=dolmetscher"),
    ("HSDS service_at_location", "/api/hsds/service_at_locations/{service_at_location}"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap part", "/sitemap-angebote.xml?p=2"),
    ("CSV export", "/export/angebote.csv"),
]
# What parents type, typos and other scripts included; each request joins one to three of them,
# so 10 s of load practically never repeat a query (150 words: over three million combinations).
NEVER_SEEN_WORDS = """
dolmetscher dolmetcher übersetzer sprachmittlung kita kitaplatz kindergarten krippe schule schuhle grundschule
hausaufgaben nachhilfe arzt ärztin kinderarzt hebamme hebame schwanger baby deutschkurs integrationskurs
sprachkurs arbeit job bewerbung lebenslauf ausbildung anerkennung asyl aufenthalt ausländerbehörde
familiennachzug brief briefe amt formular schulden schuldnerberatung trauma depression deprssion angst
erziehung pubertät freizeit sport elterncafé treffen frauen väter jugendliche kostenlos telefon beratung hilfe
seesen goslar braunlage langelsheim liebenburg vienenburg oker clausthal harzburg arabisch türkisch ukrainisch
russisch polnisch interpreter daycare school homework doctor pregnant german course job debt asylum
مترجم روضة مدرسة طبيب حامل عمل لجوء ديون زيزن مهدکودک دکتر کار پناهندگی çevirmen kreş okul doktor hamile iş
almanca borç перекладач садочок школа лікар робота борги зезен переводчик детский сад врач работа долги tłumacz
przedszkole szkoła lekarz praca interpret grădiniță școala medic muncă преводач детска градина училище лекар
""".split()


def log(message):
    print(message, file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url, **extra):
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PAGE_CACHE"))}
    environment.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_LOG_LEVEL="ERROR",
        # Plain HTTP on loopback: no redirect to https for the load generator.
        DJANGO_HTTPS="0",
        **extra,
    )
    return environment


def manage(environment, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment, check=True, stdout=subprocess.DEVNULL)


class Database:
    """A throwaway database named wegweiser_bench_*; dropped on exit."""

    def __init__(self, engine, size):
        self.engine, self.size = engine, size
        self.name = f"wegweiser_bench_{os.getpid()}_{size}"
        if engine == "sqlite":
            self.path = TMP / f"{self.name}.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            self.url = f"{POSTGRES_SERVER}/{self.name}"

    def __enter__(self):
        if self.engine == "sqlite":
            TMP.mkdir(parents=True, exist_ok=True)
            self.path.unlink(missing_ok=True)
        else:
            self._admin(f'CREATE DATABASE "{self.name}"')
        return self

    def __exit__(self, *exc):
        if self.engine == "sqlite":
            self.path.unlink(missing_ok=True)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def settle(self):
        """Statistics and visibility map as autovacuum keeps them on a running site."""
        if self.engine == "sqlite":
            import sqlite3

            with sqlite3.connect(self.path) as connection:
                connection.execute("ANALYZE")
        else:
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as connection:
                connection.execute("VACUUM ANALYZE")

    def _admin(self, statement):
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(statement)


def postgres_available():
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 - any failure means: run SQLite only
        return None


class Server:
    """gunicorn with production settings on a free loopback port."""

    def __init__(self, environment, workers):
        self.environment, self.workers = environment, workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "netzwerk.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "sync", "--log-level", "warning"],
            cwd=ROOT, env=self.environment, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/static/js/sw-register.js", timeout=10).read()
                return self
            except OSError:  # not listening yet, or still starting
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)

    def warm_up(self, path, requests=20, timeout=10):
        """Fill every worker's caches and connections before measuring."""
        status = None
        for _ in range(requests):
            try:
                with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                    status = response.status
                    response.read()
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError:
                status = "no answer"
        return status

    def warm_up_search(self):
        """Every worker builds its search index once (as after a deployment or a change), before measuring.

        Parallel requests, so that each sync worker gets some; the build can take seconds.
        """
        from concurrent.futures import ThreadPoolExecutor

        paths = ["/angebote/?q=" + quote("+".join(random.sample(NEVER_SEEN_WORDS, 2)), safe="+")
                 for _ in range(4 * self.workers)]
        with ThreadPoolExecutor(max_workers=2 * self.workers) as pool:
            statuses = list(pool.map(lambda path: self.warm_up(path, requests=3, timeout=120), paths))
        return statuses[-1]


def run_wrk(url, connections, seconds, script=None):
    options = ["-s", str(script)] if script else []
    result = subprocess.run(
        [WRK, "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "5s", *options, url],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    )
    return parse_wrk(result.stdout)


def never_seen_script():
    """A wrk script whose every request searches a random combination of NEVER_SEEN_WORDS."""
    words = ", ".join(f'"{quote(word)}"' for word in NEVER_SEEN_WORDS)
    TMP.mkdir(parents=True, exist_ok=True)
    path = TMP / "never_seen.lua"
    path.write_text(f"""-- generated by bench/run.py: a different search on every request
local words = {{{words}}}
math.randomseed(os.time())
request = function()
  local query = words[math.random(#words)]
  for _ = 2, math.random(3) do query = query .. "+" .. words[math.random(#words)] end
  return wrk.format("GET", "/angebote/?q=" .. query)
end
""")
    return path


# Lua expressions for one random query string per request.
RANDOM_PARAMETER_SCRIPTS = {
    "random_unknown": '"?utm_source=" .. math.random(1e9) .. "&r=" .. math.random(1e9)',
    "random_known": '({"?sprache=", "?kategorie=", "?ort=", "?zielgruppe=", "?format=", "?kostenlos=", "?page="})'
                    '[math.random(7)] .. string.format("%x", math.random(1e9))',
}


def random_parameter_script(kind, path):
    """A wrk script that asks for `path` with random parameters (RANDOM_PARAMETER_SCRIPTS[kind])."""
    TMP.mkdir(parents=True, exist_ok=True)
    script = TMP / f"{kind}.lua"
    script.write_text(f"""math.randomseed(os.time())
request = function()
  return wrk.format("GET", "{path}" .. {RANDOM_PARAMETER_SCRIPTS[kind]})
end
""")
    return script


def _milliseconds(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def parse_wrk(output):
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    if not {"50", "99"} <= percentiles.keys():
        log(f"could not read wrk's latency distribution:\n{output}")
        percentiles = {"50": "0us", "99": "0us"}
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _milliseconds(percentiles["50"]),
        "p99": _milliseconds(percentiles["99"]),
        "requests": requests,
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def static_reference_path():
    """The site's own hashed stylesheet (else any hashed stylesheet) from the collectstatic manifest."""
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())["paths"]
    candidates = sorted(manifest.items(), key=lambda item: (not item[0].endswith(".css"), not item[0].startswith("css/"),
                                                            item[0]))
    return "/static/" + candidates[0][1]


def machine_description(postgres_version):
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    import sqlite3

    import django

    wrk_version = subprocess.run([WRK, "--version"], capture_output=True, text=True).stdout.split(" [")[0]
    return [
        ("date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", f"{memory_kb / 1024 / 1024:.1f} GiB"),
        ("load average at start", " ".join(f"{value:.2f}" for value in os.getloadavg())),
        ("OS", platform.platform()),
        ("Python", platform.python_version()),
        ("Django", django.get_version()),
        ("PostgreSQL", postgres_version or "not reachable"),
        ("SQLite", sqlite3.sqlite_version),
        ("load generator", wrk_version),
    ]


def measure(server, pages, connections, seconds):
    rows = []
    for name, path, *script in pages:
        if script and script[0] in RANDOM_PARAMETER_SCRIPTS:
            base_path = path.split("?")[0]
            status = server.warm_up(base_path)
            script_path = random_parameter_script(script[0], base_path)
            # Every worker renders each kind of page once (and builds its search index): not measured.
            run_wrk(server.base + "/", connections, max(8, seconds), script_path)
            result = run_wrk(server.base + "/", connections, seconds, script_path)
        elif script:
            # Warm up with queries of the same kind; the measured ones are still new to the server.
            status = server.warm_up_search()
            result = run_wrk(server.base + "/", script[1] if len(script) > 1 else connections, seconds,
                             never_seen_script())
        else:
            status = server.warm_up(path)
            result = run_wrk(server.base + path, connections, seconds)
        result.update(page=name, path=path, status=status)
        rows.append(result)
        log(f"    {name:28} {result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:7.2f} ms"
            f"  errors {result['errors']}")
    return rows


def timed_get(base, path):
    """(seconds to the first byte of the body, seconds in all, bytes, status) of one GET."""
    import http.client
    from urllib.parse import urlsplit

    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    started = time.monotonic()
    connection.request("GET", path)
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.monotonic() - started
    size = len(first) + len(response.read())
    total = time.monotonic() - started
    connection.close()
    return first_byte, total, size, response.status


def open_data_ids(base):
    def first_id(path):
        with urllib.request.urlopen(base + path, timeout=120) as response:
            return json.load(response)["contents"][0]["id"]

    return {"service": first_id("/api/hsds/services?per_page=1&page=500"),
            "organization": first_id("/api/hsds/organizations?per_page=1&page=50"),
            "taxonomy_term": first_id("/api/hsds/taxonomy_terms?per_page=1"),
            "service_at_location": first_id("/api/hsds/service_at_locations?per_page=1&page=500")}


def measure_costs(server, repeats=5):
    """Each open-data address on its own: the first request (nothing kept yet) and the median of repeats."""
    ids = open_data_ids(server.base)
    rows = []
    for name, path in OPEN_DATA:
        path = path.format(**ids)
        first = timed_get(server.base, path)
        again = sorted(timed_get(server.base, path) for _ in range(repeats))[repeats // 2]
        rows.append({"page": name, "path": path, "first_ttfb": first[0], "first": first[1], "ttfb": again[0],
                     "median": again[1], "bytes": again[2], "status": again[3]})
        log(f"    {name:38} first {first[1] * 1000:7.0f} ms  median {again[1] * 1000:7.0f} ms  "
            f"first byte {again[0] * 1000:6.0f} ms  {again[2]:>10,} bytes  {again[3]}")
    return rows


def cost_table(rows):
    lines = ["| address | path | first request ms | first byte ms | median of 5 ms | first byte ms | bytes | status |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        path = row["path"] if len(row["path"]) < 60 else row["path"][:57] + "…"
        lines.append(f"| {row['page']} | `{path}` | {row['first'] * 1000:.0f} | {row['first_ttfb'] * 1000:.0f} "
                     f"| {row['median'] * 1000:.0f} | {row['ttfb'] * 1000:.0f} | {row['bytes']:,} | {row['status']} |")
    return lines


def prepare(database, environment, size):
    started = time.monotonic()
    manage(environment, "migrate", "--noinput")
    subprocess.run([PYTHON, "bench/seed.py", str(size)], cwd=ROOT, env=environment, check=True)
    database.settle()
    return time.monotonic() - started


def benchmark(args):
    postgres_version = postgres_available()
    engines = ["sqlite"] + (["postgres"] if postgres_version else [])
    if args.engines:
        engines = [engine for engine in engines if engine in args.engines]
    log("collectstatic")
    manage(production_env("sqlite:///:memory:"), "collectstatic", "--noinput", "--clear")
    static = ("static file (reference)", static_reference_path())
    results = []
    costs = []
    for engine in engines:
        for size in args.sizes:
            with Database(engine, size) as database:
                environment = production_env(database.url)
                log(f"{engine}, {size} offers: migrate and seed")
                seconds = prepare(database, environment, size)
                log(f"  ready in {seconds:.0f} s")
                variants = [("page cache", {})]
                if engine == "postgres" and size == max(args.sizes) and not args.quick:
                    variants.append(("no page cache", {"PAGE_CACHE_SECONDS": "0"}))
                if engine == "postgres" and size == max(args.sizes) and not args.quick:
                    explain(environment)
                log("  open data, one request at a time, page cache off")
                with Server({**environment, "PAGE_CACHE_SECONDS": "0"}, 1) as server:
                    costs.append({"engine": engine, "size": size, "rows": measure_costs(server)})
                for label, extra in variants:
                    log(f"  {label}: {args.connections} connections, {args.seconds} s per page")
                    with Server({**environment, **extra}, args.workers) as server:
                        # Without the cache: the pages of the targets, as a measure of rendering alone.
                        pages = PAGES + [static] if label == "page cache" else [
                            page for page in PAGES if page[0] in ("start", "category", "offer")]
                        rows = measure(server, pages, args.connections, args.seconds)
                    reference = next((row["rps"] for row in rows if row["path"] == static[1]), None)
                    results.append({"engine": engine, "size": size, "variant": label, "rows": rows,
                                    "reference": reference})
    write_results(machine_description(postgres_version), results, args)
    write_costs(costs)


def search_only(args):
    """The never-seen search rows and the static file against a database seeded before (`--search URL`).

    For working on the search: seeding 10,000 offers takes minutes, this takes half of one.
    The database is kept; nothing is written to RESULTS.md.
    """
    manage(production_env("sqlite:///:memory:"), "collectstatic", "--noinput", "--clear")
    static = ("static file (reference)", static_reference_path())
    pages = [page for page in PAGES if page[0].startswith("search, never-seen")] + [static]
    with Server(production_env(args.search), args.workers) as server:
        log(f"  {args.connections} connections, {args.seconds} s per page, load average {os.getloadavg()[0]:.2f}")
        rows = measure(server, pages, args.connections, args.seconds)
    reference = next(row["rps"] for row in rows if row["path"] == static[1])
    print("\n".join(table(rows, reference)))


def load(args):
    """Issue 8: 64 connections for 60 s on category and offer pages, PostgreSQL at 10,000 offers."""
    postgres_version = postgres_available()
    engine = "postgres" if postgres_version else "sqlite"
    manage(production_env("sqlite:///:memory:"), "collectstatic", "--noinput", "--clear")
    pages = [page for page in PAGES if page[0] in ("category", "offer")]
    with Database(engine, 10_000) as database:
        environment = production_env(database.url)
        log(f"{engine}, 10000 offers: migrate and seed")
        prepare(database, environment, 10_000)
        runs = []
        for label, extra in [("page cache", {}), ("no page cache", {"PAGE_CACHE_SECONDS": "0"})]:
            with Server({**environment, **extra}, args.workers) as server:
                log(f"  {label}: 64 connections, {args.load_seconds} s per page")
                runs.append((label, measure(server, pages, 64, args.load_seconds)))
    write_load_results(machine_description(postgres_version), engine, runs, args)


def table(rows, reference):
    lines = ["| page | path | req/s | p50 ms | p99 ms | vs. static | errors |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        ratio = f"{row['rps'] / reference:.0%}" if reference else "–"
        lines.append(f"| {row['page']} | `{row['path']}` | {row['rps']:.0f} | {row['p50']:.2f} | {row['p99']:.2f} "
                     f"| {ratio} | {row['errors']} |")
    return lines


def replace_section(name, lines):
    """Rewrite one generated section of bench/RESULTS.md, keeping the rest (the findings)."""
    path = ROOT / "bench" / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = "\n".join([begin, *lines, end])
    if begin in text:
        text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _m: block, text, flags=re.DOTALL)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def machine_lines(machine):
    return ["| | |", "| --- | --- |", *(f"| {key} | {value} |" for key, value in machine)]


def write_results(machine, results, args):
    lines = ["## `make bench`", "", *machine_lines(machine), "",
             f"gunicorn {args.workers} sync workers, production settings (`DJANGO_DEBUG=0`, locmem cache, "
             f"`PAGE_CACHE_SECONDS=600`, `PAGE_CACHE_CHECK_SECONDS=1`), wrk 1 thread, {args.connections} connections, "
             f"{args.seconds} s per page "
             "after a 20-request warm-up. \"vs. static\" is the page's requests/s relative to a hashed stylesheet "
             "served by WhiteNoise in the same process."]
    for result in results:
        reference = result["reference"] or next(
            (r["reference"] for r in results if r["engine"] == result["engine"] and r["size"] == result["size"]
             and r["reference"]), None)
        lines += ["", f"### {result['engine']}, {result['size']:,} offers, {result['variant']}", "",
                  *table(result["rows"], reference)]
    replace_section("bench", lines)
    print("\n".join(lines))


def write_costs(costs):
    lines = ["## Open data: the cost of one request", "",
             "One gunicorn worker with the page cache off (`PAGE_CACHE_SECONDS=0`), one request at a time. "
             "\"First\" is the first request after the start (the sitemap and the CSV export are then built "
             "and kept per content version), then the median of 5 more; the first byte is the start of the body."]
    for cost in costs:
        lines += ["", f"### {cost['engine']}, {cost['size']:,} offers", "", *cost_table(cost["rows"])]
    replace_section("open-data", lines)
    print("\n".join(lines))


def write_load_results(machine, engine, runs, args):
    lines = ["## `make bench-load`", "", *machine_lines(machine), "",
             f"{engine}, 10,000 offers, gunicorn {args.workers} sync workers, wrk 1 thread, 64 connections, "
             f"{args.load_seconds} s per page. Errors are socket errors plus non-2xx answers."]
    for label, rows in runs:
        lines += ["", f"### {label}", "", *table(rows, None)]
    replace_section("load", lines)
    print("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--load", action="store_true", help="the 64-connection run for 60 s (make bench-load)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--engines", nargs="+", choices=["sqlite", "postgres"])
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("BENCH_WORKERS", 3)))
    parser.add_argument("--quick", action="store_true", help="skip the uncached run and the query plans")
    parser.add_argument("--search", metavar="DATABASE_URL",
                        help="only the never-seen search rows and the static file, against this database, seeded "
                             "before with bench/seed.py; it is kept, RESULTS.md is not written")
    args = parser.parse_args()
    os.chdir(ROOT)
    if args.search:
        search_only(args)
    else:
        load(args) if args.load else benchmark(args)


def explain(environment):
    subprocess.run([PYTHON, "bench/explain.py"], cwd=ROOT, env=environment, check=True)


if __name__ == "__main__":
    main()
