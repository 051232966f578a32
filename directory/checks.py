"""System checks of the content a public site needs before it goes live (`manage.py check --deploy`)."""

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError

from .models import LegalPage


def legal_pages_with_placeholders():
    """The legal pages that still contain "[…]" placeholders of the shipped template."""
    return [page for page in LegalPage.objects.order_by("kind") if page.placeholders()]


@register(Tags.security, deploy=True)
def legal_pages_are_complete(app_configs=None, **kwargs):
    try:
        incomplete = legal_pages_with_placeholders()
    except DatabaseError:
        return []  # no database (yet): `migrate` creates the pages, the next check looks at them
    return [
        Warning(
            f"The legal page '{page.title}' (/{page.kind}/) still holds placeholders: {', '.join(page.placeholders()[:5])}.",
            hint="Replace every [bracketed] part with the network's own details in the admin under 'Rechtliche Seiten'.",
            obj=page,
            id="wegweiser.W001",
        )
        for page in incomplete
    ]
