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
