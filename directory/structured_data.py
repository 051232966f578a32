"""schema.org data of an offer, for search engines (JSON-LD in the offer page)."""

from django.conf import settings
from django.utils import timezone

from .links import absolute_url

DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def compact(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def opening_hours(slots, closures=()):
    """schema.org OpeningHoursSpecification: one per weekly slot, and each coming closure as
    a closed day range (opens = closes = 00:00, as schema.org marks closed days)."""
    specs = [{
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": f"https://schema.org/{DAYS[slot.weekday]}",
        "opens": f"{slot.opens:%H:%M}",
        "closes": f"{slot.closes:%H:%M}",
    } for slot in slots]
    today = timezone.localdate()
    specs += [{
        "@type": "OpeningHoursSpecification",
        "opens": "00:00",
        "closes": "00:00",
        "validFrom": closure.starts.isoformat(),
        "validThrough": closure.ends.isoformat(),
    } for closure in closures if closure.ends >= today]
    return specs if slots else []


def place(location, slots=(), closures=()):
    return compact({
        "@type": "Place",
        "name": location.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street,
            "postalCode": location.postal_code,
            "addressLocality": location.town.name,
            "addressRegion": settings.SITE_STATE,
            "addressCountry": settings.SITE_COUNTRY,
        },
        "geo": {"@type": "GeoCoordinates", "latitude": float(location.latitude), "longitude": float(location.longitude)}
        if location.has_coordinates else None,
        "openingHoursSpecification": opening_hours(slots, closures),
    })


def offer_json_ld(offer):
    """A schema.org `Service` with its provider, places, languages and contact points."""
    url = absolute_url(offer.get_absolute_url())
    organization = offer.organization
    slots = list(offer.slots.all())
    closures = list(offer.closures.all())
    general = [slot for slot in slots if slot.location_id is None and slot.contact_id is None]

    def at(location):
        # The offer's own hours apply everywhere; a place's own slots only there.
        return place(location, general + [s for s in slots if s.location_id == location.pk and s.contact_id is None], closures)

    def reachable(contact):
        own = [s for s in slots if s.contact_id == contact.pk]
        return opening_hours(own or general, closures)

    return compact({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": offer.title,
        "description": offer.summary,
        "serviceType": [category.name for category in offer.public_categories()],
        "audience": [{"@type": "Audience", "audienceType": group.name} for group in offer.target_groups.all()],
        "availableLanguage": [
            {"@type": "Language", "name": language.name, "alternateName": language.code} for language in offer.languages.all()
        ],
        "areaServed": {"@type": "AdministrativeArea", "name": settings.SITE_REGION},
        "provider": compact({
            "@type": "Organization",
            "name": organization.name,
            "url": organization.website,
            "telephone": organization.phone,
            "email": organization.email,
        }),
        "availableChannel": [compact({
            "@type": "ServiceChannel",
            "serviceUrl": offer.website or url,
            "servicePhone": compact({
                "@type": "ContactPoint",
                "name": contact.name,
                "telephone": contact.phone,
                "email": contact.email,
                "hoursAvailable": reachable(contact),
            }),
            "serviceLocation": [at(location) for location in offer.locations.all()],
        }) for contact in offer.contacts.all()] or [compact({
            "@type": "ServiceChannel",
            "serviceUrl": offer.website or url,
            "serviceLocation": [at(location) for location in offer.locations.all()],
        })],
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR"} if offer.is_free else None,
        "dateModified": offer.updated.isoformat(timespec="seconds"),
    })
