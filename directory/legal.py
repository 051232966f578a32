"""The legal pages: /impressum/, /datenschutz/, /barrierefreiheit/.

The coordinator edits them in the admin as plain text with three conventions
(blank line, "## ", "- "); render_legal_text turns that into escaped HTML, so no
markup typed into the admin ever reaches a page unescaped.
"""

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join, urlize
from django.utils.safestring import mark_safe

from .models import LegalPage
from .query import query_parameters
from .validators import phone_to_tel_uri

DEFAULT_TITLES = {
    LegalPage.Kind.IMPRINT: "Impressum",
    LegalPage.Kind.PRIVACY: "Datenschutzerklärung",
    LegalPage.Kind.ACCESSIBILITY: "Erklärung zur Barrierefreiheit",
}


def default_page(kind):
    """The shipped German text for a kind, filled in with this network's settings."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_NETWORK": settings.SITE_NETWORK,
        "SITE_REGION": settings.SITE_REGION,
        "SITE_URL": settings.SITE_URL,
        "COORDINATOR_NAME": settings.COORDINATOR_NAME,
        "COORDINATOR_EMAIL": settings.COORDINATOR_EMAIL,
        "COORDINATOR_PHONE": settings.COORDINATOR_PHONE,
        # Set by the reports feature; the text keeps a placeholder where it is absent.
        "REPORT_RETENTION_DAYS": getattr(settings, "REPORT_RETENTION_DAYS", None),
        "REPORT_RATE_WINDOW_MINUTES": getattr(settings, "REPORT_RATE_WINDOW_SECONDS", 0) // 60,
    }
    body = render_to_string(f"directory/legal/defaults/{kind}.txt", context).strip() + "\n"
    return LegalPage(kind=kind, title=DEFAULT_TITLES[kind], body=body)


def _inline(text):
    return mark_safe(urlize(text, nofollow=False, autoescape=True))


def render_legal_text(text):
    """Plain text with blank-line paragraphs, "## " headings and "- " lists, as safe HTML."""
    blocks = [block.strip("\n") for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]
    html = []
    for block in blocks:
        lines = [line.rstrip() for line in block.split("\n")]
        if len(lines) == 1 and lines[0].startswith("## "):
            html.append(format_html("<h2>{}</h2>", _inline(lines[0][3:].strip())))
        elif len(lines) == 1 and lines[0].startswith("### "):
            html.append(format_html("<h3>{}</h3>", _inline(lines[0][4:].strip())))
        elif all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((_inline(line[2:].strip()),) for line in lines))
            html.append(format_html("<ul>{}</ul>", items))
        else:
            content = mark_safe("<br>\n".join(_inline(line) for line in lines))
            html.append(format_html("<p>{}</p>", content))
    return mark_safe("\n".join(html))


@query_parameters()
def legal_page(request, kind):
    # A missing row (deleted in the database by hand) still shows the shipped text:
    # these pages are required by law and must never be missing.
    page = LegalPage.objects.filter(kind=kind).first() or default_page(kind)
    return render(
        request,
        "directory/legal/page.html",
        {
            "page": page,
            "body": render_legal_text(page.body),
            "coordinator_tel": phone_to_tel_uri(settings.COORDINATOR_PHONE),
        },
    )
