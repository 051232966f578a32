"""Who may do what in the admin: the coordination sees everything, a partner editor one organization."""

COORDINATION_GROUP = "Koordination"
PARTNER_GROUP = "Partner-Redaktion"


def is_coordinator(user):
    """Superusers and members of the "Koordination" group: may publish and approve."""
    if not user.is_active or not user.is_staff:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_is_coordinator"):
        user._is_coordinator = user.groups.filter(name=COORDINATION_GROUP).exists()
    return user._is_coordinator


def partner_organization_id(user):
    """The one organization a partner editor keeps; None for anyone else (they then see nothing)."""
    profile = getattr(user, "partner_profile", None) if user.is_authenticated else None
    return profile.organization_id if profile else None


PARTNER_PERMISSIONS = [
    "view_offer", "add_offer", "change_offer",
    "view_contact", "add_contact", "change_contact", "delete_contact",
    "view_location", "add_location", "change_location",
    "view_organization", "view_category", "view_language", "view_targetgroup", "view_town",
    "view_historicaloffer", "view_historicallocation",
]  # fmt: skip


def ensure_role_groups(using="default", **kwargs):
    """After every migrate (and test flush): both groups exist, and the coordination has every directory permission,
    including those of models added later. The data migration 0003 created them first."""
    # Imported here: directory.models imports this module while the app registry loads.
    from django.contrib.auth.models import Group, Permission

    directory = Permission.objects.using(using).filter(content_type__app_label="directory")
    coordination, _created = Group.objects.using(using).get_or_create(name=COORDINATION_GROUP)
    coordination.permissions.add(*directory)
    partner, _created = Group.objects.using(using).get_or_create(name=PARTNER_GROUP)
    partner.permissions.add(*directory.filter(codename__in=PARTNER_PERMISSIONS))
