from django.conf import settings


def site(request):
    """The regional network's name and contact, shown in the header and footer."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_NETWORK": settings.SITE_NETWORK,
        "SITE_REGION": settings.SITE_REGION,
        "COORDINATOR_NAME": settings.COORDINATOR_NAME,
        "COORDINATOR_EMAIL": settings.COORDINATOR_EMAIL,
        "COORDINATOR_PHONE": settings.COORDINATOR_PHONE,
    }
