"""Lighthouse 12 (mobile) on the start, a category and an offer page of the demo data.

Usage: python bench/lighthouse.py [--lighthouse-dir /tmp/lh]
Lighthouse is installed outside the repository: `mkdir /tmp/lh && cd /tmp/lh && npm install lighthouse@12`.
Starts gunicorn with production settings on a throwaway SQLite database with the demo
data, runs Lighthouse against 127.0.0.1 with Debian's Chromium and prints the scores
and every audit that is not passed.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import ROOT, Database, Server, manage, production_env  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lighthouse-dir", default=os.environ.get("LIGHTHOUSE_DIR", "/tmp/lh"))
    parser.add_argument("--pages", nargs="+", default=["/", "/kategorie/kita-schule/", None])
    args = parser.parse_args()
    with Database("sqlite", "lighthouse") as database:
        environment = production_env(database.url)
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_demo")
        manage(environment, "collectstatic", "--noinput")
        offer = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from directory.models import Offer; print(Offer.objects.visible().order_by('pk').first().get_absolute_url())"],
            cwd=ROOT, env=environment, capture_output=True, text=True, check=True,
        ).stdout.strip().splitlines()[-1]
        pages = [page or offer for page in args.pages]
        with Server(environment, workers=2) as server:
            for page in pages:
                server.warm_up(page, requests=2)
                report = Path(args.lighthouse_dir) / "report.json"
                subprocess.run(
                    ["npx", "lighthouse", server.base + page, "--quiet", "--form-factor=mobile",
                     "--only-categories=performance,accessibility", "--output=json", f"--output-path={report}",
                     "--chrome-flags=--headless=new --no-sandbox --disable-background-networking"],
                    cwd=args.lighthouse_dir, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"}, check=True,
                    timeout=180,
                )
                result = json.loads(report.read_text())
                scores = {name: round(category["score"] * 100) for name, category in result["categories"].items()}
                print(f"{page}: {scores}")
                for name, audit in result["audits"].items():
                    if audit.get("score") is not None and audit["score"] < 1 and audit["scoreDisplayMode"] != "informative":
                        print(f"    {name}: {audit['score']} {audit.get('displayValue', '')}")


if __name__ == "__main__":
    main()
