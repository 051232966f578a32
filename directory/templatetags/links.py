from django import template

from ..links import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """`{{ offer.get_absolute_url|absolute }}`: the public address, for links that leave the site."""
    return absolute_url(path)
