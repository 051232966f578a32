"""What a parent (or a broken link) types into the listing's address: a page, a note, never a 500."""

import re
import time

import pytest

from directory.search_index import MAX_QUERY_WORDS

from .conftest import make_offer

pytestmark = pytest.mark.django_db

NOTE_LONG_QUERY = "der Rest des sehr langen Suchtextes"
NOTE_PAGE_BEYOND = "Diese Seite gibt es in der Liste nicht (mehr). Sie sehen die letzte Seite."


def hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


def test_a_query_of_hundreds_of_words_is_cut_to_its_first_words_with_a_note(client):
    make_offer(title="Hausaufgabenhilfe", summary="Hilfe bei den Hausaufgaben.")
    words = ["hausaufgaben"] + [f"wort{n}" for n in range(2000)]
    response = client.get("/angebote/", {"q": " ".join(words)})
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTE_LONG_QUERY in html
    kept = " ".join(words[:MAX_QUERY_WORDS])
    assert f'value="{kept}"' in html  # the search box holds what was searched
    first_dropped = words[MAX_QUERY_WORDS]
    assert first_dropped not in html
    # Links (other languages, the offer, the filters) carry the cut query only: the page stays small.
    assert all(first_dropped not in href for href in hrefs(html))
    assert len(response.content) < 60_000


def test_a_20_kilobyte_word_is_not_copied_into_every_link(client):
    make_offer(title="Hausaufgabenhilfe")
    response = client.get("/angebote/", {"q": "a" * 20_000})
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTE_LONG_QUERY in html
    assert "a" * 201 not in html
    assert len(response.content) < 60_000


def test_a_nul_character_never_reaches_the_page(client):
    make_offer(title="Kita-Lotsen", summary="Hilfe bei der Kita-Anmeldung.")
    for address in ("/angebote/?q=%00", "/angebote/?q=kita%00", "/angebote/?q=%00&sprache=%00&nahe=%00",
                    "/angebote/?archiviert=%00", "/ar/angebote/?q=%00%1b%7f"):
        response = client.get(address)
        assert response.status_code == 200, address
        assert b"\x00" not in response.content, address
        assert b"\x1b" not in response.content and b"\x7f" not in response.content, address
    # The control character is a space: the word around it is still searched.
    assert "Kita-Lotsen" in client.get("/angebote/?q=kita%00").content.decode()


def test_a_page_beyond_the_last_shows_the_last_page_with_a_note(client):
    for n in range(25):
        make_offer(title=f"Elterncafé {n:02d}", slug=f"elterncafe-{n}")
    response = client.get("/angebote/", {"page": "7"})
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTE_PAGE_BEYOND in html
    assert response.context["page_obj"].number == 2
    assert "Elterncafé 24" in html
    # Its links lead to the page shown, not to the page that does not exist.
    assert not any("page=7" in href for href in hrefs(html))


@pytest.mark.parametrize("page", ["2", "", "abc", "0", "-3", "1e309", "99999999999999999999999"])
def test_a_page_number_that_exists_or_is_no_number_gets_no_note_beyond_the_end(client, page):
    for n in range(25):
        make_offer(title=f"Elterncafé {n:02d}", slug=f"elterncafe-{n}")
    response = client.get("/angebote/", {"page": page})
    assert response.status_code == 200
    beyond = page.isdigit() and int(page) > 2
    assert (NOTE_PAGE_BEYOND in response.content.decode()) == beyond
    assert response.context["page_obj"].number == (2 if page == "2" or beyond else 1)


def test_an_empty_list_has_no_note_about_pages(client):
    response = client.get("/angebote/", {"q": "nichtsdergleichen", "page": "3"})
    assert response.status_code == 200
    assert NOTE_PAGE_BEYOND not in response.content.decode()


@pytest.mark.parametrize("query", [
    "a" * 20_000, " ".join(["kita"] * 3000), "😀" * 5000, "%00" * 100, "ع" * 8000, "<" * 8000,
    " ".join(f"schule{n}" for n in range(2000)),
])
def test_hostile_queries_answer_quickly(client, query):
    make_offer(title="Kita-Lotsen")
    client.get("/angebote/", {"q": "kita"})  # the search index is built once per change, not per request
    started = time.perf_counter()
    response = client.get("/angebote/", {"q": query})
    assert response.status_code == 200
    # 100 ms on a quiet machine; this one is shared, so the bound here is generous but still catches
    # work proportional to the length of the query (that took seconds).
    assert time.perf_counter() - started < 1.0
