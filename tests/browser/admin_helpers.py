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
