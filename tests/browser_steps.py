"""Steps the end-to-end flows share: a phone or a desktop for each persona, signing in, the phone menu.

Each persona gets her own browser context, so two people can work side by side in one test (the
teacher on her phone, the senior educator at the office computer) without signing out and in.
Elements are found by roles and Russian texts already in the catalogue, as a user finds them.
"""

import io
import re
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import expect

from tests.factories import PASSWORD

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def new_page(new_context, *, phone=False):
    """A page in a context of its own (its own cookies), from pytest-playwright's `new_context`
    fixture: conftest's locale and time zone, closed when the test ends, pass or fail."""
    if phone:
        return new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    return new_context(viewport=DESKTOP).new_page()


def sign_in(page, base_url, username, password=PASSWORD):
    """Sign in on the sign-in page and wait for the home page's greeting."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Здравствуйте", exact=False)).to_be_visible()


def open_menu_link(page, name):
    """Follow a link of the main menu; on a phone the menu opens with its button first."""
    toggler = page.get_by_role("button", name="Меню")
    menu = page.locator("#mainnav")
    if toggler.is_visible():
        toggler.click()
        # Opened, not still sliding open: a click while Bootstrap's «collapsing» clips the menu can
        # land on nothing, and the page stays where it was.
        expect(menu).to_have_class(re.compile(r"\bshow\b"))
    menu.get_by_role("link", name=name, exact=True).click()


# axe-core (MPL-2.0, tests/vendor/axe-core/LICENSE), used by the tests only, never served.
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# What a page may not have: axe's serious and critical violations (WCAG 2 A/AA and best practice).
AXE_BLOCKING = ("serious", "critical")


def axe_violations(page):
    """axe-core's serious and critical violations on the page as it is now: (rule, impact, help,
    first offending elements). Injected through the page's script tag, or, where a
    Content-Security-Policy refuses that, evaluated by the browser driver, which CSP does not bind."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        try:
            page.add_script_tag(path=str(AXE))
        except Exception:  # noqa: BLE001 - a refused tag still leaves the evaluation below
            pass
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], v["help"], [" ".join(n["target"]) for n in v["nodes"][:3]])
        for v in result["violations"]
        if v["impact"] in AXE_BLOCKING
    ]


def assert_accessible(page):
    """The page has no serious or critical axe-core violation; the message names each one."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}: " + "; ".join(
        f"{rule} ({impact}): {help_text} {targets}" for rule, impact, help_text, targets in violations
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_upload(name, rows, *, formats=None):
    """A workbook made here, as a file for `set_input_files`: the rows as given (the header first),
    `formats` {"E2": "DD.MM.YYYY HH:MM"} as Excel shows those cells."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return {"name": name, "mimeType": XLSX, "buffer": buffer.getvalue()}
