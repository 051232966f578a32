from django import template

from ..attention import attention_items
from ..models import Offer
from ..roles import is_coordinator, partner_organization_id

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_items(context):
    """The coordination sees everything; a partner editor only their organization's offers."""
    user = context["request"].user
    if is_coordinator(user):
        return attention_items()
    organization_id = partner_organization_id(user)
    if organization_id is None:
        return []
    return attention_items(Offer.objects.filter(organization_id=organization_id), include_inbox=False)
