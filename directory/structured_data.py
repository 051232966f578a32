"""schema.org data of an offer, for search engines (JSON-LD in the offer page)."""

from django.conf import settings

from .links import absolute_url


def compact(data):
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def place(location):
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
        "openingHours": location.opening_hours,
    })


def offer_json_ld(offer):
    """A schema.org `Service` with its provider, places, languages and contact points."""
    url = absolute_url(offer.get_absolute_url())
    organization = offer.organization
    return compact({
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": url,
        "url": url,
        "name": offer.title,
        "description": offer.summary,
        "serviceType": [category.name for category in offer.categories.all()],
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
                "hoursAvailable": contact.hours,
            }),
            "serviceLocation": [place(location) for location in offer.locations.all()],
        }) for contact in offer.contacts.all()] or [compact({
            "@type": "ServiceChannel",
            "serviceUrl": offer.website or url,
            "serviceLocation": [place(location) for location in offer.locations.all()],
        })],
        "offers": {"@type": "Offer", "price": "0", "priceCurrency": "EUR"} if offer.is_free else None,
        "dateModified": offer.updated.isoformat(timespec="seconds"),
    })
