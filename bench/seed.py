"""Fill an empty, migrated database with N synthetic offers for the benchmark.

Usage: DATABASE_URL=... python bench/seed.py N

Realistic sizes (titles of 40-70 characters, summaries of two sentences, descriptions
of several paragraphs, German plus two or three translations) and every relation
(categories, languages, target groups, locations in the district's towns, contacts).
Rows go in with bulk_create; the folded search fields are computed in memory by the
same function `Offer.fill_search_fields` uses, and checked against it on a sample.
"""

import hashlib
import os
import pickle
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netzwerk.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from modeltranslation.translator import translator  # noqa: E402

from directory import search  # noqa: E402
from directory.models import (  # noqa: E402
    Category,
    Contact,
    Language,
    Location,
    Offer,
    Organization,
    TargetGroup,
    Town,
)

CODES = [code for code, _name in settings.LANGUAGES]
POSTAL_CODES = {"goslar": "38640", "bad-harzburg": "38667", "braunlage": "38700", "clausthal-zellerfeld": "38678",
                "langelsheim": "38685", "liebenburg": "38704", "seesen": "38723"}
# Topic -> words that such an offer's description uses; the rest of the text is neutral, so a
# search for "Dolmetscher" finds the interpreting offers, not every offer.
TOPICS = {
    "Hausaufgabenhilfe": "Hausaufgaben Lernhilfe Grundschule Mathematik",
    "Sprachcafé": "Deutsch sprechen üben Sprachkurs",
    "Elternberatung": "Erziehung Elternberatung Pubertät",
    "Dolmetscherdienst": "Dolmetscherin Übersetzung Sprachmittlung Termine",
    "Familienhebamme": "Schwangerschaft Geburt Baby Hebamme",
    "Bewerbungstraining": "Bewerbung Lebenslauf Arbeit Job",
    "Migrationsberatung": "Aufenthalt Ausländerbehörde Einbürgerung",
    "Schulsozialarbeit": "Schule Lehrkräfte Elternabend",
    "Mutter-Kind-Gruppe": "Kleinkinder spielen Krabbeln",
    "Integrationskurs": "Integrationskurs Deutschkurs Prüfung",
    "Sprechstunde zu Aufenthalt": "Asyl Aufenthaltserlaubnis Visum",
    "Berufsorientierung": "Ausbildung Praktikum Beruf",
    "Frauenfrühstück": "Frauen Austausch Frühstück",
    "Kita-Lotsen": "Kita Kindergarten Anmeldung Krippe",
    "Gesundheitslotsen": "Ärztin Gesundheit Krankenkasse",
    "Väter-Treff": "Väter Ausflug Austausch",
    "Psychologische Beratung": "Trauma Angst Seele Gespräch",
}
PLACES = ["im Familienzentrum", "in der Stadtbibliothek", "im Mehrgenerationenhaus", "an der Grundschule",
          "im Jugendzentrum", "bei der Caritas", "beim Diakonischen Werk", "im Rathaus", "in der Volkshochschule"]
VENUES = ["Familienzentrum", "Stadtbibliothek", "Mehrgenerationenhaus", "Grundschule", "Jugendzentrum",
          "Beratungsstelle", "Volkshochschule", "Rathaus"]
WORDS = ("Eltern Kinder Familie Beratung Hilfe Termin Sprache Anmeldung Unterstützung Fragen Formulare Behörden "
         "Gespräch Alltag Gruppe Treffen Woche vertraulich Begleitung Nachmittag Vormittag Anruf E-Mail Brief Antrag "
         "wir sie und mit für die der das bitte gern offen").split()
ARABIC = "نساعد الآباء والأمهات في المدرسة والروضة والعمل مجانا بموعد".split()
UKRAINIAN = "Ми допомагаємо батькам зі школою садочком роботою безкоштовно за записом".split()
TURKISH = "Okul kreş iş ve sağlık konularında ailelere ücretsiz destek veriyoruz".split()


def sentence(rng, words, low, high):
    text = " ".join(rng.choice(words) for _ in range(rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def paragraph(rng, sentences, words=WORDS):
    return " ".join(sentence(rng, words, 8, 16) for _ in range(sentences))


def topical(rng, topic, sentences):
    return paragraph(rng, sentences, WORDS + TOPICS[topic].split() * 2)


def generate(count, rng):
    """Every row for `count` offers, with explicit primary keys, so that the same rows go into
    each database (reference data gets the same keys in a fresh database) and can be kept."""
    categories, languages = list(Category.objects.all()), list(Language.objects.all())
    groups, towns = list(TargetGroup.objects.all()), list(Town.objects.all())
    # Every column's default given up front: Offer() would otherwise look each one up (slow with translations).
    translated = set(translator.get_options_for_model(Offer).fields)
    defaults = {field.attname: field.get_default() for field in Offer._meta.concrete_fields
                if not (field.primary_key or field.is_relation or field.name in translated or callable(field.default))}

    organizations = [
        Organization(pk=n + 1, name=f"{rng.choice(['Caritas', 'Diakonie', 'AWO', 'DRK', 'Verein', 'Stadt'])} "
                                    f"{rng.choice(towns).name} {n}", slug=f"traeger-{n}", phone=f"05321 {100000 + n}",
                     email=f"info{n}@traeger.example.org", website=f"https://traeger-{n}.example.org")
        for n in range(max(count // 10, 1))
    ]
    locations = [
        Location(pk=n + 1, organization=rng.choice(organizations), town=(town := rng.choice(towns)),
                 name=f"{rng.choice(VENUES)} {town.name} {n:05d}",  # unique: one order in every collation
                 street=f"{rng.choice(['Markt', 'Bahnhof', 'Schul', 'Kirch', 'Berg'])}straße {n % 90 + 1}",
                 postal_code=POSTAL_CODES.get(town.slug, "38640"),
                 latitude=51.9 + rng.random() / 5, longitude=10.2 + rng.random() / 2,
                 opening_hours="Mo–Do 9–12 Uhr, Di 14–17 Uhr")
        for n in range(max(count // 5, 1))
    ]
    anchors = (
        next(c for c in categories if c.slug == "kita-schule"),
        next(la for la in languages if la.code == "ar"),
        groups[0],
        next(loc for loc in locations if loc.town.slug == "goslar"),
    )
    orderings = (lambda c: (c.position, c.name_de), lambda la: (la.position, la.name_de),
                 lambda g: (g.position, g.name_de), lambda loc: (loc.town.position, loc.name))
    today = timezone.localdate()
    offers, relations = [], []
    for n in range(count):
        topic, place = rng.choice(list(TOPICS)), rng.choice(PLACES)
        organization = rng.choice(organizations)
        # The first ten are the ones the benchmark opens: visible, in "Kita & Schule", in Arabic, in Goslar.
        anchor = n < 10
        status = "published" if anchor else rng.choices(["published", "draft", "archived"], weights=[90, 5, 5])[0]
        offer = Offer(**{
            **defaults,
            "pk": n + 1,
            "slug": f"angebot-{n}",
            "title_de": f"{topic} {place}",
            "summary_de": topical(rng, topic, 2),
            "description_de": "\n\n".join(topical(rng, topic, rng.randint(3, 5)) for _ in range(rng.randint(2, 3))),
            "how_to_get_help_de": "\n".join(sentence(rng, WORDS, 4, 8) for _ in range(3)),
            "organization": organization,
            "status": status,
            "valid_until": today - timedelta(days=3) if n % 50 == 0 and not anchor else None,
            "last_reviewed": today - timedelta(days=rng.randint(0, 700)),
            "format_phone": rng.random() < 0.4,
            "format_video": rng.random() < 0.2,
            "format_group": rng.random() < 0.3,
            "is_free": rng.random() < 0.85,
            "website": organization.website,
        })
        for code, words in (("ar", ARABIC), ("uk", UKRAINIAN), ("tr", TURKISH)):
            if rng.random() < 0.5:
                setattr(offer, f"title_{code}", sentence(rng, words, 3, 6))
                setattr(offer, f"summary_{code}", paragraph(rng, 2, words))
        offer.title = offer.title_de
        offer.summary = offer.summary_de
        picked = (
            rng.sample(categories, rng.randint(1, 2)),
            rng.sample(languages, rng.randint(1, 4)),
            rng.sample(groups, rng.randint(1, 3)),
            rng.sample(locations, rng.randint(1, 2)),
        )
        if anchor:
            picked = tuple({*objects, anchor_obj} for objects, anchor_obj in zip(picked, anchors, strict=True))
        chosen = tuple(sorted(objects, key=key) for objects, key in zip(picked, orderings, strict=True))
        for name, value in search.offer_search_fields(offer, CODES).items():
            setattr(offer, name, value)
        offers.append(offer)
        relations.append(chosen)

    through = [Offer.categories.through, Offer.languages.through, Offer.target_groups.through, Offer.locations.through]
    columns = ["category_id", "language_id", "targetgroup_id", "location_id"]
    links = {
        model: [model(offer_id=offer.pk, **{column: obj.pk})
                for offer, chosen in zip(offers, relations, strict=True) for obj in chosen[index]]
        for index, (model, column) in enumerate(zip(through, columns, strict=True))
    }
    contacts = [
        Contact(offer_id=offer.pk, name=rng.choice(["Frau Yılmaz", "Herr Haddad", "Beratungstelefon", "Frau Kowalska"]),
                phone=f"05321 {200000 + n}", email=f"kontakt{n}@traeger.example.org" if n % 3 else "",
                hours="Mo–Fr 9–12 Uhr", position=k)
        for n, offer in enumerate(offers) for k in range(1 + n % 2)
    ]
    return {"rows": [organizations, locations, offers, *links.values(), contacts]}


def cached_rows(count, rng):
    """Generating 10,000 offers takes longer than inserting them: keep them for the next database."""
    sources = [Path(__file__), ROOT / "fixtures" / "reference.json", ROOT / "directory" / "search.py",
               ROOT / "directory" / "models.py", *sorted((ROOT / "directory" / "migrations").glob("*.py"))]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in sources)).hexdigest()[:16]
    path = ROOT / "bench" / "tmp" / f"seed-{count}-{timezone.localdate()}-{digest}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    data = generate(count, rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


@transaction.atomic
def seed(count, rng):
    # The real categories, languages, target groups and towns (fixtures/reference.json).
    call_command("load_demo", reference_only=True, verbosity=0)
    data = cached_rows(count, rng)
    for rows in data["rows"]:
        type(rows[0]).objects.bulk_create(rows, batch_size=2000)
    # Rows came with their keys: move the sequences past them (PostgreSQL).
    models = [type(rows[0]) for rows in data["rows"]]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return data["rows"][2]


def check_search_text(offers, rng):
    """The bulk-computed search fields must equal what a save in the admin would store."""
    for offer in rng.sample(offers, min(20, len(offers))):
        stored = Offer.objects.get(pk=offer.pk)
        expected = search.offer_search_fields(stored, CODES)
        if {name: getattr(stored, name) for name in expected} != expected:
            raise SystemExit(f"search fields of {stored.slug} differ from Offer.fill_search_fields()")


def main():
    count = int(sys.argv[1])
    rng = random.Random(count)
    started = time.perf_counter()
    offers = seed(count, rng)
    check_search_text(offers, rng)
    visible = Offer.objects.visible().count()
    print(f"seeded {count} offers ({visible} visible) in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
