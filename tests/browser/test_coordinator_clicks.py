"""The coordinator's three daily tasks, counted in clicks on her laptop (1366×768).

Each click, tick and choice goes through `click`, which counts it; typing is not counted.
The printed figures are the "after" numbers of the admin review; the asserts keep them from growing.
"""

import pytest

from directory.models import ChangeRequest, Offer, Report
from tests.browser.admin_helpers import LAPTOP, admin_page, log_in
from tests.conftest import make_category, make_language, make_location, make_offer, make_organization

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Counter:
    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def check(self, locator):
        self.clicks += 1
        locator.check()

    def select(self, locator, label):
        self.clicks += 2  # open the list, pick the entry
        locator.select_option(label=label)

    def autocomplete(self, field, typed, label):
        """Django's autocomplete box: click it, type a few letters, click the entry."""
        self.click(self.page.locator(f"#id_{field} + .select2"))
        self.page.locator(".select2-search__field").last.fill(typed)
        self.click(self.page.locator(".select2-results__option", has_text=label).first)


@pytest.fixture
def alice(browser, live_server, django_user_model):
    django_user_model.objects.create_user("alice", "alice@example.org", "alice-password-123", is_staff=True, is_superuser=True)
    page = admin_page(browser, live_server, LAPTOP)
    log_in(page, "alice", "alice-password-123")
    return page


def test_adding_an_offer_with_two_translations(alice):
    organization = make_organization(name="Familienzentrum Seesen")
    make_category(name="Kita & Schule")
    make_location(organization=organization, name="Familienzentrum Seesen")
    count = Counter(alice)
    count.click(alice.get_by_role("link", name="Hinzufügen").first)  # "Angebote" is the first section
    alice.locator("#id_title_de").fill("Hausaufgabenhilfe")
    alice.locator("#id_summary_de").fill("Hilfe bei den Hausaufgaben.")
    count.autocomplete("organization", "Famil", "Familienzentrum Seesen")
    count.autocomplete("categories", "Kita", "Kita & Schule")
    count.autocomplete("locations", "Famil", "Familienzentrum Seesen")
    count.check(alice.locator("#id_format_in_person"))
    count.check(alice.locator("#id_is_free"))
    count.select(alice.locator("#id_status"), "veröffentlicht")
    for language, title, summary in [("Englisch", "Homework help", "Help with homework."),
                                     ("Arabisch", "مساعدة في الواجبات", "مساعدة في الواجبات المدرسية.")]:  # fmt: skip
        count.click(alice.locator("summary", has_text=language).first)
        code = "en" if language == "Englisch" else "ar"
        alice.locator(f"#id_title_{code}").fill(title)
        alice.locator(f"#id_summary_{code}").fill(summary)
    count.click(alice.get_by_role("button", name="Sichern", exact=True).last)
    alice.wait_for_selector(".messagelist .success")
    offer = Offer.objects.get(title_de="Hausaufgabenhilfe")
    assert offer.title_en == "Homework help" and offer.last_reviewed is not None
    print(f"\nclicks: adding an offer with two translations: {count.clicks}")
    assert count.clicks <= 14


def test_handling_a_report(alice):
    offer = make_offer(title="Elterncafé", categories=[make_category()], contacts=[{"name": "Frau Kaya", "phone": "05381 100"}])
    Report.objects.create(offer=offer, message="Die Nummer ist jetzt 05381 200.")
    count = Counter(alice)
    count.click(alice.get_by_role("link", name="Offene Meldungen aus der Öffentlichkeit"))
    count.click(alice.locator("#result_list tbody a").first)
    assert "05381 100" in alice.locator(".field-offer_now").inner_text()  # the offer beside the report
    count.click(alice.get_by_role("link", name="Angebot bearbeiten"))
    alice.locator("#id_contacts-0-phone").fill("05381 200")
    count.click(alice.get_by_role("button", name="Sichern", exact=True).last)
    assert "/admin/directory/report/" in alice.url  # back at the report
    count.select(alice.locator("#id_status"), "erledigt")
    count.click(alice.get_by_role("button", name="Sichern", exact=True).last)
    alice.wait_for_selector(".messagelist .success")
    assert Report.objects.get().status == Report.Status.DONE
    print(f"\nclicks: handling a report: {count.clicks}")
    assert count.clicks <= 7


def test_approving_a_change_request(alice):
    offer = make_offer(title="Elterncafé", summary="Treffen.", categories=[make_category()],
                       locations=[make_location()], languages=[make_language("ar", "Arabisch", "العربية")])  # fmt: skip
    ChangeRequest.objects.create(
        offer=offer, source=ChangeRequest.Source.PARTNER,
        proposal={"fields": {"summary_de": "Treffen für Eltern, dienstags."}}, base={"fields": {"summary_de": "Treffen."}},
    )  # fmt: skip
    count = Counter(alice)
    count.click(alice.get_by_role("link", name="Offene Änderungswünsche"))
    count.click(alice.locator("#result_list tbody a").first)
    count.click(alice.get_by_role("button", name="Ausgewählte Änderungen übernehmen …"))
    count.click(alice.get_by_role("button", name="Ja, übernehmen"))
    alice.wait_for_selector(".messagelist .success")
    offer.refresh_from_db()
    assert offer.summary == "Treffen für Eltern, dienstags."
    print(f"\nclicks: approving a change request without conflict: {count.clicks}")
    assert count.clicks <= 4
