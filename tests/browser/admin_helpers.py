"""The coordinator's admin in a browser: her two screens, logging in, and the check for sideways scrolling."""

from pathlib import Path

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 820, "height": 1180}
SHOTS = Path("/tmp/shots/issue-13b")


def admin_page(browser, live_server, viewport=LAPTOP):
    context = browser.new_context(viewport=viewport, locale="de-DE", has_touch=viewport == TABLET)
    page = context.new_page()
    page.site_url = live_server.url
    return page


def log_in(page, username, password):
    page.goto(f"{page.site_url}/admin/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    page.wait_for_selector("#site-name")


def scrolls_sideways(page):
    """The page, or a box inside it (the admin wraps its lists in one), is wider than the window."""
    return page.evaluate(
        """document.documentElement.scrollWidth > window.innerWidth
           || [...document.querySelectorAll(".results, .module, .inline-group, fieldset, table")].some(
                box => box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible")"""
    )


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def words_broken_inside(page, selector):
    """Words (at least 4 letters) that the layout splits over two lines inside the matched elements."""
    return page.evaluate(
        """selector => {
            const broken = [];
            for (const box of document.querySelectorAll(selector)) {
                if (!box.offsetParent) continue;
                const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    for (const match of node.data.matchAll(/[^\\s\\-–\\/,]{4,}/g)) {
                        const range = document.createRange();
                        range.setStart(node, match.index);
                        range.setEnd(node, match.index + match[0].length);
                        const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
                        if (lines.size > 1) broken.push(match[0]);
                    }
                }
            }
            return broken;
        }""",
        selector,
    )
