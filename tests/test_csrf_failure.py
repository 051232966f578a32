"""A form refused for its security token explains itself in the site's layout and language and keeps the text."""

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Report

from .conftest import make_category, make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def strict_client():
    return Client(enforce_csrf_checks=True)


def test_refused_report_explains_in_german_and_gives_the_text_back(strict_client, settings):
    offer = make_offer(slug="elterncafe", categories=[make_category()])
    url = reverse("directory:offer-report", kwargs={"slug": offer.slug})
    response = strict_client.post(url, {"message": "Die Telefonnummer ist jetzt 05321 999.", "contact": ""},
                                  HTTP_REFERER=f"http://testserver{url}")  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 403 and not Report.objects.exists()
    assert '<html lang="de"' in page and settings.SITE_NAME in page  # the site's own layout
    assert "Das Formular ist abgelaufen" in page and "Cookies" in page
    assert "Die Telefonnummer ist jetzt 05321 999.</textarea>" in page
    assert f'href="{url}"' in page  # the way back opens the form again
    assert "CSRF" not in page and "Forbidden" not in page


def test_refused_form_speaks_the_pages_language_and_never_shows_passwords(strict_client):
    response = strict_client.post("/ar/angebote/", {"message": "نص طويل", "password": "geheim-123"})
    page = response.content.decode()
    assert response.status_code == 403 and '<html lang="ar" dir="rtl"' in page
    assert "Das Formular ist abgelaufen" not in page and "نص طويل" in page and "geheim-123" not in page


def test_refused_admin_form_offers_the_way_back_to_the_admin(strict_client):
    response = strict_client.post("/admin/login/", {"username": "alice", "password": "x"},
                                  HTTP_REFERER="https://evil.example/")  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 403 and 'href="/admin/"' in page and "evil.example" not in page
