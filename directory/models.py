import calendar
import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import schedules, search
from .roles import is_coordinator, partner_organization_id
from .validators import phone_to_tel_uri, validate_phone, validate_single_line


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def all_translations(instance, field):
    """Every non-empty translation of a modeltranslation field, German first."""
    values = []
    for code in language_codes():
        value = getattr(instance, f"{field}_{code.replace('-', '_')}", "")
        if value and value not in values:
            values.append(value)
    return values


class Category(models.Model):
    """A field of help, e.g. "Kita & Schule". Partners link to its slug, so it never changes."""

    class Icon(models.TextChoices):
        LANGUAGE = "language", _("Sprechblasen")
        BOOK = "book", _("Buch")
        HEART = "heart", _("Herz")
        SCHOOL = "school", _("Schule")
        BRIEFCASE = "briefcase", _("Aktentasche")
        FAMILY = "family", _("Familie")
        SCALES = "scales", _("Waage")
        BALL = "ball", _("Ball")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("Name"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=100,
        unique=True,
        help_text=_("Teil der Web-Adresse. Partner verlinken und drucken ihn – nach der Veröffentlichung nicht mehr ändern."),
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    icon = models.CharField(_("Symbol"), max_length=20, choices=Icon.choices, default=Icon.BOOK)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    archived = models.BooleanField(
        _("archiviert"),
        default=False,
        help_text=_("Erscheint nicht mehr in Filtern und Listen; Angebote, die den Eintrag noch haben, behalten ihn."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Kategorie")
        verbose_name_plural = _("Kategorien")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:category-detail", kwargs={"slug": self.slug})


class LanguageDirection(models.TextChoices):
    LTR = "ltr", _("links nach rechts")
    RTL = "rtl", _("rechts nach links")


class Language(models.Model):
    """A language an offer is available in (not the interface language)."""

    Direction = LanguageDirection

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(
        _("ISO-639-Code"),
        max_length=12,
        unique=True,
        help_text=_("z. B. ar, fa, prs, tr, kmr, uk"),
    )
    name = models.CharField(_("Name (deutsch)"), max_length=100, validators=[validate_single_line])
    endonym = models.CharField(
        _("Eigenbezeichnung"), max_length=100, help_text=_("Der Name in der Sprache selbst, z. B. العربية"),
        validators=[validate_single_line],
    )
    direction = models.CharField(_("Schreibrichtung"), max_length=3, choices=Direction.choices, default=Direction.LTR)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)
    archived = models.BooleanField(
        _("archiviert"),
        default=False,
        help_text=_("Erscheint nicht mehr in Filtern und Listen; Angebote, die den Eintrag noch haben, behalten ihn."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Sprache")
        verbose_name_plural = _("Sprachen")
        constraints = [
            models.CheckConstraint(condition=Q(direction__in=LanguageDirection.values), name="directory_language_direction"),
        ]

    def __str__(self):
        if self.endonym and self.endonym != self.name:
            return f"{self.name} ({self.endonym})"
        return self.name

    @property
    def label(self):
        """"Türkçe – التركية": the endonym first, then the name in the reader's language.

        Each part is a Unicode isolate, so the mix of directions reads right on LTR and RTL
        pages, and also where no markup is possible (inside <option>).
        """
        if not self.endonym or self.endonym == self.name:
            return f"\u2068{self.name or self.endonym}\u2069"
        return f"\u2068{self.endonym}\u2069 – \u2068{self.name}\u2069"


class TargetGroup(models.Model):
    """Who an offer is for, mostly by the child's age."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("Name"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    archived = models.BooleanField(
        _("archiviert"),
        default=False,
        help_text=_("Erscheint nicht mehr in Filtern und Listen; Angebote, die den Eintrag noch haben, behalten ihn."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Zielgruppe")
        verbose_name_plural = _("Zielgruppen")

    def __str__(self):
        return self.name


class Town(models.Model):
    """A municipality of the district; villages that parents name are its aliases."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("Name"), max_length=100, validators=[validate_single_line])
    slug = models.SlugField(_("Kurzname in der Adresse"), max_length=100, unique=True)
    aliases = models.CharField(
        _("Ortsteile"),
        max_length=500,
        blank=True,
        help_text=_("Ortsteile und Dörfer, die dazugehören, durch Komma getrennt – z. B. Oker, Vienenburg, Hahnenklee"),
        validators=[validate_single_line],
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    archived = models.BooleanField(
        _("archiviert"),
        default=False,
        help_text=_("Erscheint nicht mehr in Filtern und Listen; Angebote, die den Eintrag noch haben, behalten ihn."),
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("Ort")
        verbose_name_plural = _("Orte")

    def __str__(self):
        return self.name

    def alias_list(self):
        return [alias.strip() for alias in self.aliases.split(",") if alias.strip()]


class Organization(models.Model):
    """The provider (Träger) of offers."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("Name"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(_("Kurzname"), max_length=200, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("E-Mail"), blank=True)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Träger")
        verbose_name_plural = _("Träger")

    def __str__(self):
        return self.name

    @property
    def tel_uri(self):
        return phone_to_tel_uri(self.phone)


class WheelchairAccess(models.TextChoices):
    YES = "yes", _("rollstuhlgerecht")
    PARTLY = "partly", _("teilweise rollstuhlgerecht")
    NO = "no", _("nicht rollstuhlgerecht")
    UNKNOWN = "unknown", _("unbekannt")


class Location(models.Model):
    """A place where offers take place; several offers can share one."""

    Access = WheelchairAccess

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="locations", verbose_name=_("Träger")
    )
    name = models.CharField(
        _("Name des Ortes"), max_length=200, help_text=_("z. B. Familienzentrum Seesen"), validators=[validate_single_line]
    )
    room = models.CharField(
        _("Raum, Weg im Haus"), max_length=200, blank=True, help_text=_("z. B. Erdgeschoss, Zimmer 012"),
        validators=[validate_single_line],
    )
    street = models.CharField(_("Straße und Hausnummer"), max_length=200, validators=[validate_single_line])
    postal_code = models.CharField(_("PLZ"), max_length=5)
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="locations", verbose_name=_("Ort"))
    latitude = models.DecimalField(
        _("Breitengrad"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("Längengrad"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    wheelchair_access = models.CharField(
        _("Rollstuhlzugang"), max_length=10, choices=Access.choices, default=Access.UNKNOWN
    )
    opening_hours = models.TextField(
        _("Hinweis zu den Öffnungszeiten"),
        blank=True,
        help_text=_("Nur was die Zeitfenster beim Angebot nicht sagen können, z. B. „nur in der Schulzeit“."),
    )

    class Meta:
        ordering = ["town__position", "name"]
        verbose_name = _("Ort des Angebots")
        verbose_name_plural = _("Orte der Angebote")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="directory_location_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="directory_location_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(wheelchair_access__in=WheelchairAccess.values),
                name="directory_location_wheelchair_access",
            ),
        ]

    def __str__(self):
        return f"{self.name_de or self.name}, {self.street}, {self.postal_code} {self.town.name_de or self.town.name}"

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None

    @property
    def geo_uri(self):
        if self.has_coordinates:
            return f"geo:{self.latitude},{self.longitude}"
        return ""

    @property
    def osm_url(self):
        if self.has_coordinates:
            return (
                f"https://www.openstreetmap.org/?mlat={self.latitude}&mlon={self.longitude}"
                f"#map=17/{self.latitude}/{self.longitude}"
            )
        return ""


class OfferQuerySet(models.QuerySet):
    def visible(self, today=None):
        """Offers the public may see: published and within their validity dates.

        The one definition of "public" – every public view starts here.
        """
        today = today or timezone.localdate()
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
            status=Offer.Status.PUBLISHED,
        )

    def previewable_by(self, user):
        """What `user` may open on the public site: the coordination every offer (as a preview),
        a partner editor the public offers and all of their own organization's, everyone else the public ones."""
        if is_coordinator(user):
            return self.all()
        organization_id = partner_organization_id(user) if user.is_staff and user.is_active else None
        if organization_id is None:
            return self.visible()
        return self.filter(Q(pk__in=self.visible().values("pk")) | Q(organization_id=organization_id))

    def search(self, query):
        """Offers that match `query` (directory/search_index.py), unordered; all for an empty query."""
        from .search_index import current_index  # the index module imports the models

        matching = current_index().matching_ids(query)
        return self if matching is None else self.filter(pk__in=matching)

    def needs_review(self, today=None):
        """Offers never reviewed or not reviewed for REVIEW_INTERVAL_DAYS (archived ones aside)."""
        today = today or timezone.localdate()
        cutoff = today - timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        return self.exclude(status=Offer.Status.ARCHIVED).filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff))

    def expiring(self, today=None):
        """Offers whose validity ends within REVIEW_EXPIRY_WARNING_DAYS (not yet ended)."""
        today = today or timezone.localdate()
        return self.exclude(status=Offer.Status.ARCHIVED).filter(
            valid_until__gte=today, valid_until__lte=today + timedelta(days=settings.REVIEW_EXPIRY_WARNING_DAYS)
        )

    def open_on(self, day):
        """Offers with a weekly slot on `day` that no closure or public holiday cancels."""

        offers = self.filter(pk__in=OpeningSlot.objects.filter(weekday=day.weekday()).values("offer_id")).exclude(
            pk__in=Closure.objects.filter(starts__lte=day, ends__gte=day).values("offer_id")
        )
        if schedules.public_holiday(day):
            offers = offers.filter(open_on_public_holidays=True)
        return offers

    def with_formats(self, formats):
        """Offers available in any of the given formats (values of Offer.Format)."""
        condition = Q()
        for value in formats:
            field = Offer.FORMAT_FIELDS.get(value)
            if field:
                condition |= Q(**{field: True})
        return self.filter(condition) if condition else self


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    ARCHIVED = "archived", _("archiviert")


class Offer(models.Model):
    """A support offer (HSDS "service")."""

    Status = OfferStatus

    class Format(models.TextChoices):
        IN_PERSON = "vor-ort", _("vor Ort")
        PHONE = "telefon", _("am Telefon")
        VIDEO = "video", _("per Video")
        HOME_VISIT = "hausbesuch", _("Hausbesuch")
        GROUP = "gruppe", _("in der Gruppe")

    # One boolean column per format: filtering by several is a plain OR on both databases.
    FORMAT_FIELDS = {
        Format.IN_PERSON: "format_in_person",
        Format.PHONE: "format_phone",
        Format.VIDEO: "format_video",
        Format.HOME_VISIT: "format_home_visit",
        Format.GROUP: "format_group",
    }

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("Titel"), max_length=200, validators=[validate_single_line])
    slug = models.SlugField(
        _("Kurzname in der Adresse"),
        max_length=200,
        unique=True,
        help_text=_("Teil der Web-Adresse des Angebots. Nach der Veröffentlichung nicht mehr ändern."),
    )
    summary = models.TextField(
        _("Kurzbeschreibung"), max_length=400, help_text=_("Ein oder zwei Sätze in einfacher Sprache.")
    )
    # Limits keep a pasted document (or a 40 000-character cell) out of the page; the form and the import name them.
    description = models.TextField(_("Beschreibung"), blank=True, max_length=5000)
    how_to_get_help = models.TextField(
        _("So bekommen Sie Hilfe"), blank=True, max_length=2000, help_text=_("Ein Schritt pro Zeile, z. B. „Rufen Sie an.“")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="offers", verbose_name=_("Träger")
    )
    categories = models.ManyToManyField(Category, related_name="offers", verbose_name=_("Kategorien"))
    languages = models.ManyToManyField(
        Language, related_name="offers", blank=True, verbose_name=_("Sprachen"),
        help_text=_("Sprachen, in denen beraten wird oder eine Sprachmittlung dabei ist."),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="offers", blank=True, verbose_name=_("Zielgruppen")
    )
    locations = models.ManyToManyField(Location, related_name="offers", blank=True, verbose_name=_("Orte"))
    # No format, cost or appointment box starts ticked: a partner who forgets one must not publish a wrong "yes".
    format_in_person = models.BooleanField(_("vor Ort"), default=False)
    format_phone = models.BooleanField(_("am Telefon"), default=False)
    format_video = models.BooleanField(_("per Video"), default=False)
    format_home_visit = models.BooleanField(_("Hausbesuch"), default=False)
    format_group = models.BooleanField(_("in der Gruppe"), default=False)
    is_free = models.BooleanField(_("kostenlos"), default=False)
    cost_note = models.CharField(
        _("Kosten"), max_length=200, blank=True, help_text=_("Nur wenn nicht kostenlos, z. B. „5 € pro Treffen“"),
        validators=[validate_single_line],
    )
    appointment_needed = models.BooleanField(_("Termin nötig"), default=False)
    hours_note = models.TextField(
        _("Hinweis zu den Zeiten"),
        blank=True,
        help_text=_("Nur was die Zeitfenster nicht sagen können, z. B. „jede 2. Woche“ oder „in den Ferien 9–15 Uhr“."),
    )
    open_on_public_holidays = models.BooleanField(
        _("auch an Feiertagen geöffnet"),
        default=False,
        help_text=_("Sonst gilt das Angebot an den gesetzlichen Feiertagen in Niedersachsen als geschlossen."),
    )
    anonymous_possible = models.BooleanField(_("anonym möglich"), default=False)
    website = models.URLField(_("Website"), blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    valid_from = models.DateField(_("gültig ab"), null=True, blank=True)
    valid_until = models.DateField(_("gültig bis"), null=True, blank=True)
    last_reviewed = models.DateField(_("zuletzt geprüft"), null=True, blank=True)
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)
    updated = models.DateTimeField(_("geändert"), auto_now=True)
    # Folded words of the offer's own texts in every language (directory/search_index.py
    # adds the names of its organisation, categories and towns when it builds the index).
    search_title = models.TextField(editable=False, default="")
    search_summary = models.TextField(editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    # Per translated column, a fingerprint of the German text it was translated from (translation_status.py).
    translation_sources = models.JSONField(_("Stand der Übersetzungen"), default=dict, blank=True, editable=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="directory_offer_valid_dates",
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values),
                name="directory_offer_status",
            ),
        ]
        indexes = [
            # With "id", PostgreSQL answers "which offers are visible" from the index alone
            # (the listing's count: 15 ms -> 3 ms at 10,000 offers, bench/RESULTS.md).
            models.Index(fields=["status", "valid_from", "valid_until", "id"], name="directory_offer_visible_idx"),
            # Listings are sorted by the German title: the first page of 20 without sorting them all.
            models.Index(fields=["title_de"], name="directory_offer_title_de_idx"),
            models.Index(fields=["last_reviewed"], name="directory_offer_reviewed_idx"),
            models.Index(fields=["updated"], name="directory_offer_updated_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Imported here: translation_status imports the translation registry, which imports the models.
        from .translation_status import stored_columns, track

        stored = Offer.objects.filter(pk=self.pk).values(*stored_columns()).first() if self.pk else None
        track(self, stored)
        self.fill_search_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("directory:offer-detail", kwargs={"slug": self.slug})

    def public_categories(self):
        """The categories shown and linked on the offer's pages: archived ones have left the site.
        Reads the prefetched categories, so a list of offers costs no query per offer."""
        return [category for category in self.categories.all() if not category.archived]

    def clean(self):
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("„Gültig bis“ darf nicht vor „gültig ab“ liegen.")
        if self.is_free and any(all_translations(self, "cost_note")):
            errors["is_free"] = _(
                "Ein kostenloses Angebot hat keine Kosten: entweder „kostenlos“ abwählen oder die Kosten-Angabe leeren."
            )
        if errors:
            raise ValidationError(errors)

    # After this long without a check, the offer page asks parents to call ahead.
    REVIEW_MAX_AGE_MONTHS = 18

    @classmethod
    def review_cutoff(cls):
        """The day REVIEW_MAX_AGE_MONTHS ago: checks before it are old."""
        today = timezone.localdate()
        month_index = today.year * 12 + today.month - 1 - cls.REVIEW_MAX_AGE_MONTHS
        year, month = divmod(month_index, 12)
        day = min(today.day, calendar.monthrange(year, month + 1)[1])
        return today.replace(year=year, month=month + 1, day=day)

    @property
    def is_new_unreviewed(self):
        """Entered recently (e.g. by a partner) and not yet checked: "neu – noch nicht geprüft", no warning."""
        if self.last_reviewed is not None or self.created is None:
            return False
        return timezone.localdate(self.created) >= self.review_cutoff()

    @property
    def review_is_old(self):
        """True when nobody has checked the offer for 18 months – or never, unless it is new."""
        if self.last_reviewed is None:
            return not self.is_new_unreviewed
        return self.last_reviewed < self.review_cutoff()

    @property
    def help_steps(self):
        """`how_to_get_help` as a list of steps, one per non-empty line."""
        return [line.strip() for line in (self.how_to_get_help or "").splitlines() if line.strip()]

    @property
    def formats(self):
        return [fmt for fmt, field in self.FORMAT_FIELDS.items() if getattr(self, field)]

    def is_visible(self, today=None):
        today = today or timezone.localdate()
        return (
            self.status == self.Status.PUBLISHED
            and (self.valid_from is None or self.valid_from <= today)
            and (self.valid_until is None or self.valid_until >= today)
        )

    def fill_search_fields(self):
        """Fold the offer's own texts (all translations) into the search fields; no queries."""
        for name, value in search.offer_search_fields(self, language_codes()).items():
            setattr(self, name, value)

    def get_format_display_list(self):
        labels = dict(self.Format.choices)
        return [str(labels[fmt]) for fmt in self.formats]

    def refresh_search_text(self):
        """Recompute the folded search fields and store them without touching `updated`."""
        self.fill_search_fields()
        Offer.objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in search.OFFER_SEARCH_FIELDS})


class Contact(models.Model):
    """A person or desk to reach for an offer."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("Angebot"))
    name = models.CharField(
        _("Name oder Funktion"), max_length=200, help_text=_("z. B. „Frau Yılmaz“ oder „Beratungstelefon“"),
        validators=[validate_single_line],
    )
    role = models.CharField(
        _("Aufgabe"), max_length=200, blank=True, help_text=_("z. B. „Schulsozialarbeit“ – wird übersetzt, der Name nicht."),
        validators=[validate_single_line],
    )
    phone = models.CharField(_("Telefon"), max_length=40, blank=True, validators=[validate_phone])
    email = models.EmailField(_("E-Mail"), blank=True)
    hours = models.CharField(
        _("Hinweis zur Erreichbarkeit"),
        max_length=200,
        blank=True,
        help_text=_("Nur was die Zeitfenster beim Angebot nicht sagen können, z. B. „sonst Anrufbeantworter“."),
        validators=[validate_single_line],
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Ansprechperson")
        verbose_name_plural = _("Ansprechpersonen")
        constraints = [
            models.CheckConstraint(
                condition=~Q(phone="") | ~Q(email=""),
                name="directory_contact_reachable",
                violation_error_message=_("Bitte eine Telefonnummer oder eine E-Mail-Adresse angeben."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tel_uri(self):
        return phone_to_tel_uri(self.phone)


class OpeningSlot(models.Model):
    """One weekly time window of an offer: an HSDS 3 `schedule` with freq WEEKLY, one `byday`.

    Without location or contact it is the offer's own time; with one, it is the time at that
    place or of that person. A language means the window is held in that language.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Montag")
        TUESDAY = 1, _("Dienstag")
        WEDNESDAY = 2, _("Mittwoch")
        THURSDAY = 3, _("Donnerstag")
        FRIDAY = 4, _("Freitag")
        SATURDAY = 5, _("Samstag")
        SUNDAY = 6, _("Sonntag")

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="slots", verbose_name=_("Angebot"))
    weekday = models.PositiveSmallIntegerField(_("Tag"), choices=Weekday.choices)
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="slots", verbose_name=_("nur an diesem Ort")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="slots",
        verbose_name=_("nur bei dieser Ansprechperson"),
    )
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="slots",
        verbose_name=_("Sprache in diesem Zeitfenster"),
    )
    appointment_only = models.BooleanField(_("nur mit Termin"), default=False)

    class Meta:
        ordering = ["weekday", "opens", "closes", "pk"]
        verbose_name = _("Zeitfenster")
        verbose_name_plural = _("Öffnungszeiten (Zeitfenster pro Woche)")
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="directory_openingslot_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="directory_openingslot_opens_before_closes"),
        ]
        indexes = [models.Index(fields=["weekday", "offer"], name="directory_slot_weekday_idx")]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """Days an offer is closed although its weekly slots say otherwise (summer break, training day)."""

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="closures", verbose_name=_("Angebot"))
    starts = models.DateField(_("geschlossen vom"))
    ends = models.DateField(_("bis einschließlich"))
    reason = models.CharField(_("Grund"), max_length=200, blank=True, help_text=_("z. B. „Sommerferien“"))

    class Meta:
        ordering = ["starts", "ends", "pk"]
        verbose_name = _("Schließzeit")
        verbose_name_plural = _("Schließzeiten (z. B. Ferien)")
        constraints = [
            models.CheckConstraint(condition=Q(ends__gte=F("starts")), name="directory_closure_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.starts:%d.%m.%Y}–{self.ends:%d.%m.%Y}"

    def covers(self, day):
        return self.starts <= day <= self.ends


class ContentVersion(models.Model):
    """One counter that every change to the directory increases.

    Cached public pages carry the value they were rendered at; a page from an older
    value is stale. It lives in the database because every worker and every app
    server already shares it (directory/cache.py).
    """

    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("Stand der Inhalte")
        verbose_name_plural = _("Stand der Inhalte")

    def __str__(self):
        return str(self.value)


class ReportStatus(models.TextChoices):
    NEW = "new", _("neu")
    IN_PROGRESS = "in_progress", _("in Bearbeitung")
    DONE = "done", _("erledigt")


class Report(models.Model):
    """A member of the public says an entry is wrong or outdated.

    Stores only what the coordinator needs to act: the text and, if given, how to answer.
    No IP address, no browser data. Deleted after REPORT_RETENTION_DAYS (purge_reports).
    """

    Status = ReportStatus

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Angebot"))
    message = models.TextField(_("Was stimmt nicht?"), max_length=2000)
    contact = models.CharField(
        _("Kontakt für Rückfragen"), max_length=200, blank=True, help_text=_("Freiwillig: E-Mail oder Telefon.")
    )
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.NEW)
    note = models.TextField(_("Interne Notiz"), blank=True)
    created = models.DateTimeField(_("eingegangen"), auto_now_add=True)
    updated = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen aus der Öffentlichkeit")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="directory_report_status"
            ),
        ]
        indexes = [models.Index(fields=["status", "created"], name="directory_report_status_idx")]

    def __str__(self):
        return _("Meldung zu „%(offer)s“") % {"offer": self.offer}


class ChangeRequestStatus(models.TextChoices):
    OPEN = "open", _("offen")
    APPROVED = "approved", _("übernommen")
    DONE = "done", _("erledigt")
    REJECTED = "rejected", _("abgelehnt")


class ChangeRequestSource(models.TextChoices):
    PROVIDER = "provider", _("Anbieter (Prüf-Link)")
    PARTNER = "partner", _("Partner-Redaktion")


class ChangeRequest(models.Model):
    """A change to an offer that waits for the coordinator.

    From a provider (free text via the review link) or from a partner editor
    (the fields they changed, which the coordinator merges field by field: change_requests.py).
    """

    Source = ChangeRequestSource

    Status = ChangeRequestStatus

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("Angebot")
    )
    source = models.CharField(_("Herkunft"), max_length=10, choices=Source.choices)
    message = models.TextField(_("Was hat sich geändert?"), blank=True, max_length=4000)
    proposal = models.JSONField(_("Vorgeschlagene Fassung"), null=True, blank=True, editable=False)
    # The proposed fields as they were when the request was made: what tells a later edit from the proposal.
    base = models.JSONField(_("Stand beim Einreichen"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("eingereicht von"),
    )
    submitted_email = models.EmailField(_("eingereicht von (E-Mail)"), blank=True)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(_("eingegangen"), auto_now_add=True)
    resolved = models.DateTimeField(_("bearbeitet am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("bearbeitet von"),
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("Änderungswunsch")
        verbose_name_plural = _("Änderungswünsche")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChangeRequestStatus.values), name="directory_changerequest_status"
            ),
            models.CheckConstraint(
                condition=Q(source__in=ChangeRequestSource.values), name="directory_changerequest_source"
            ),
        ]

    def __str__(self):
        return _("Änderungswunsch zu „%(offer)s“") % {"offer": self.offer}


class RateLimit(models.Model):
    """How often one client did something (sent a report) in the current window.

    `key` is a keyed hash of the action and the client's address, never the address itself.
    It lives in the database so that every worker and every app server counts together
    and a reload or deployment does not reset it (directory/ratelimit.py).
    """

    key = models.CharField(max_length=64, unique=True)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["window_start"], name="directory_ratelimit_start_idx")]

    def __str__(self):
        return f"{self.key[:8]}…: {self.count}"


class ReviewRequest(models.Model):
    """A signed link sent to a provider to confirm or correct an offer. Usable once."""

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("bestätigt")
        CHANGED = "changed", _("Änderung gemeldet")

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="review_requests", verbose_name=_("Angebot")
    )
    email = models.EmailField(_("gesendet an"))
    sent = models.DateTimeField(_("gesendet am"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("gesendet von"),
    )
    used = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    outcome = models.CharField(_("Antwort"), max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-sent"]
        verbose_name = _("Prüfanfrage")
        verbose_name_plural = _("Prüfanfragen")

    def __str__(self):
        return _("Prüfanfrage an %(email)s") % {"email": self.email}


class PartnerProfile(models.Model):
    """Links a partner editor's login to the one organization whose entries they keep."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_profile", verbose_name=_("Login")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="partner_profiles", verbose_name=_("Träger")
    )

    class Meta:
        verbose_name = _("Partner-Redaktion")
        verbose_name_plural = _("Partner-Redaktionen")

    def __str__(self):
        return f"{self.user} – {self.organization}"


class OfferHistoryExtras(models.Model):
    """Extra columns of each historical offer: its contacts at that moment, so a restore brings them back."""

    contacts_snapshot = models.JSONField(_("Ansprechpersonen"), default=list, blank=True)

    class Meta:
        abstract = True


class LegalPageKind(models.TextChoices):
    IMPRINT = "impressum", _("Impressum")
    PRIVACY = "datenschutz", _("Datenschutzerklärung")
    ACCESSIBILITY = "barrierefreiheit", _("Erklärung zur Barrierefreiheit")


class LegalPage(models.Model):
    """Impressum, privacy notice and accessibility statement, kept by the coordinator.

    German is binding for these texts, so they are not translated. Each kind exists
    once; a data migration creates all three from templates/directory/legal/defaults/.
    """

    Kind = LegalPageKind

    uuid = models.UUIDField(_("UUID"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("Seite"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("Überschrift"), max_length=200, validators=[validate_single_line])
    body = models.TextField(
        _("Text"),
        help_text=_(
            "Eine Leerzeile beginnt einen neuen Absatz. „## “ am Zeilenanfang macht eine Zwischenüberschrift, "
            "„- “ einen Aufzählungspunkt. Web- und E-Mail-Adressen werden von selbst zu Links. "
            "Text in [eckigen Klammern] ist ein Platzhalter, der noch ersetzt werden muss."
        ),
    )
    updated = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("Rechtliche Seite")
        verbose_name_plural = _("Rechtliche Seiten")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LegalPageKind.values), name="directory_legalpage_kind"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(f"directory:{self.kind}")

    def placeholders(self):
        """The [bracketed] parts of the text that still wait for the network's own data."""
        return re.findall(r"\[[^\[\]\n]{2,}\]", self.body)


class SlugRedirect(models.Model):
    """A slug an offer or category had before the coordinator changed it.

    Partners printed the old address; it keeps working as a permanent redirect to
    wherever the object lives now (also after several renames, via the foreign key).
    """

    class Kind(models.TextChoices):
        CATEGORY = "category", _("Kategorie")
        OFFER = "offer", _("Angebot")

    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices)
    old_slug = models.SlugField(_("alter Kurzname"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, null=True, blank=True, related_name="former_slugs")
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, null=True, blank=True, related_name="former_slugs")
    created = models.DateTimeField(_("angelegt"), auto_now_add=True)

    class Meta:
        verbose_name = _("Weiterleitung")
        verbose_name_plural = _("Weiterleitungen")
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_slug"], name="directory_slugredirect_unique_slug"),
            models.CheckConstraint(
                condition=(Q(kind="category", category__isnull=False, offer__isnull=True)
                           | Q(kind="offer", offer__isnull=False, category__isnull=True)),
                name="directory_slugredirect_one_target",
            ),
        ]

    def __str__(self):
        return f"{self.old_slug} → {self.target.slug}"

    @property
    def target(self):
        return self.category if self.kind == self.Kind.CATEGORY else self.offer

    @classmethod
    def remember(cls, instance, old_slug):
        """Record that `instance` (a Category or Offer) used to live at `old_slug`."""
        if isinstance(instance, Category):
            kind, target = cls.Kind.CATEGORY, {"category": instance, "offer": None}
        else:
            kind, target = cls.Kind.OFFER, {"offer": instance, "category": None}
        # A slug taken back by a live object must not redirect anywhere else.
        cls.objects.filter(kind=kind, old_slug=instance.slug).delete()
        cls.objects.update_or_create(kind=kind, old_slug=old_slug, defaults=target)

    @classmethod
    def current_slug(cls, kind, old_slug):
        redirect = cls.objects.filter(kind=kind, old_slug=old_slug).select_related(kind).first()
        return redirect.target.slug if redirect else None


class NotificationFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("sofort, eine E-Mail je Eingang")
    DAILY = "daily", _("einmal täglich als Zusammenfassung")
    NEVER = "never", _("gar nicht per E-Mail")


class NotificationSetting(models.Model):
    """How one person of the coordination hears about new reports and change requests."""

    Frequency = NotificationFrequency

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_setting", verbose_name=_("Login")
    )
    frequency = models.CharField(
        _("Neue Meldungen und Änderungswünsche"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=NotificationFrequency.values), name="directory_notificationsetting_frequency"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_frequency_display()}"


class SearchConcept(models.Model):
    """Something parents search for, with the everyday words for it in every language.

    A query word that is one of the concept's words finds offers that use any of its
    words. A concept that names a language turns such a word into a language filter
    ("arabisch", "на українській"); a filler concept holds words a search ignores.
    """

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Thema oder Ort")
        LANGUAGE = "language", _("Sprache")
        FILLER = "filler", _("Füllwörter")

    name = models.CharField(_("Name"), max_length=100, unique=True, help_text=_("z. B. „Kita“ oder „Dolmetschen“"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.TOPIC)
    language = models.ForeignKey(
        Language, on_delete=models.CASCADE, null=True, blank=True, related_name="search_concepts",
        verbose_name=_("Sprache"), help_text=_("Nur bei der Art „Sprache“: die Sprache, nach der dann gefiltert wird."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Suchbegriff")
        verbose_name_plural = _("Suchbegriffe")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="language", language__isnull=False) | (~Q(kind="language") & Q(language__isnull=True)),
                name="directory_searchconcept_language_kind",
                violation_error_message=_("Eine Sprache gehört genau zu Suchbegriffen der Art „Sprache“."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("admin:directory_searchconcept_change", args=[self.pk])


class SearchWord(models.Model):
    """One word or short phrase for a concept, in one interface language."""

    concept = models.ForeignKey(SearchConcept, on_delete=models.CASCADE, related_name="words",
                                verbose_name=_("Suchbegriff"))
    language = models.CharField(_("Sprache"), max_length=10, choices=settings.LANGUAGES)
    text = models.CharField(_("Wort"), max_length=100, help_text=_("Ein Wort oder eine kurze Wendung, so wie Eltern sie tippen."))

    class Meta:
        ordering = ["concept", "language", "text"]
        verbose_name = _("Wort")
        verbose_name_plural = _("Wörter")
        constraints = [
            models.UniqueConstraint(fields=["concept", "language", "text"], name="directory_searchword_unique"),
        ]

    def __str__(self):
        return self.text

    def get_absolute_url(self):
        return self.concept.get_absolute_url()


class SearchMiss(models.Model):
    """How often a folded query found nothing or almost nothing, per interface language and day.

    Deliberately nothing else: no address, no cookie, no time of day.
    """

    query = models.CharField(_("Suche"), max_length=100)
    language = models.CharField(_("Sprache der Seite"), max_length=10, choices=settings.LANGUAGES)
    day = models.DateField(_("Tag"))
    count = models.PositiveIntegerField(_("Anzahl"), default=0)
    results = models.PositiveSmallIntegerField(_("Treffer"), default=0)

    class Meta:
        ordering = ["-day", "-count"]
        verbose_name = _("Suche ohne Treffer")
        verbose_name_plural = _("Suchen ohne Treffer")
        constraints = [
            models.UniqueConstraint(fields=["query", "language", "day"], name="directory_searchmiss_unique"),
        ]
        indexes = [models.Index(fields=["day"], name="directory_searchmiss_day_idx")]

    def __str__(self):
        return self.query

    def get_absolute_url(self):
        return reverse("admin:directory_searchmiss_changelist")
