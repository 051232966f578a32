"""View decorators for the few pages that need a different security policy."""

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt


def embeddable(view):
    """Let any website show this view in an iframe (the /einbetten/… pages).

    Replaces the policy's `frame-ancestors 'none'` with `*` and drops X-Frame-Options;
    everything else of the strict policy stays. For a class-based view:
    `embeddable(EmbedView.as_view())` in urls.py, or
    `@method_decorator(embeddable, name="dispatch")` on the class.
    """
    return xframe_options_exempt(csp_replace({"frame-ancestors": ["*"]})(view))
