"""Every main page passes the Content-Security-Policy in chromium: no inline script, handler or style
is refused (the console would say "Refused to ... Content Security Policy"), and the behaviour that
moved into static/js/portal.js still works."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Event
from portfolios.models import EvidenceFile, MiniSite
from reports.models import SelfReport
from staff import demo as staff_demo
from staff.models import Employee
from tests.browser_steps import new_page

pytestmark = pytest.mark.browser


def _sign_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(staff_demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("heading", name="Здравствуйте", exact=False)).to_be_visible()


# Chromium reports a refusal as a `securitypolicyviolation` event (its console line goes to the
# DevTools log, which Playwright's console events do not carry); the page keeps them for us.
RECORD_VIOLATIONS = """
window.__refused = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__refused.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " line " + e.lineNumber);
});
"""


def _watch(page):
    page.add_init_script(RECORD_VIOLATIONS)
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


def _refused_here(page):
    return [f"{page.url}: {entry}" for entry in page.evaluate("window.__refused || []")]


def _visit(page, base, paths):
    refused = []
    for path in paths:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        refused += _refused_here(page)
    return refused


@pytest.mark.django_db(transaction=True)
def test_main_pages_pass_the_content_security_policy(live_server, new_context):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    anna = Employee.objects.get(user__username="anna")
    entry_file = EvidenceFile.objects.filter(entry__teacher=anna).exclude(thumbnail="").first()
    site = MiniSite.objects.filter(published=True).first()
    event = Event.objects.order_by("-start").first()
    report = SelfReport.objects.filter(teacher=anna).first()
    teacher_pages = [
        "/",
        reverse("staff:my_page"),
        reverse("staff:my_contacts_edit"),
        reverse("events:month", args=[event.start.year, event.start.month]),
        reverse("events:calendar", args=[event.start.year, event.start.month]),
        reverse("events:detail", args=[event.pk]),
        reverse("events:my"),
        reverse("portfolios:my_portfolio"),
        reverse("portfolios:entry_add"),
        reverse("portfolios:minisite_edit"),
        reverse("reports:self_report", args=[report.pk]),
        reverse("reports:self_report_print", args=[report.pk]),
    ]
    if entry_file:
        teacher_pages += [
            reverse("portfolios:entry_detail", args=[entry_file.entry_id]),
            reverse("portfolios:entry_edit", args=[entry_file.entry_id]),
        ]
    office_pages = [
        "/",
        reverse("portfolios:review"),
        reverse("reports:dashboard"),
        reverse("reports:self_reports"),
        "/admin/",
        "/admin/staff/employee/",
        reverse("admin:staff_employee_change", args=[anna.pk]),
        reverse("admin:auth_user_change", args=[anna.user_id]),
        "/admin/portfolios/portfolioentry/",
        "/admin/reports/scoringrule/",
        "/admin/axes/accessattempt/",
        "/admin/events/event/",
        reverse("admin:events_event_change", args=[event.pk]),
    ]
    public_pages = ["/accounts/login/", reverse("events:open_list"), reverse("events:results"), "/t/"]
    if site:
        public_pages.append(reverse("site:page", args=[site.slug]))

    visitor = new_page(new_context)
    refused = _watch(visitor)
    refused += _visit(visitor, base, public_pages)

    teacher = new_page(new_context, phone=True)
    refused += _watch(teacher)
    _sign_in(teacher, base, "anna")
    refused += _visit(teacher, base, teacher_pages)

    office = new_page(new_context)
    refused += _watch(office)
    _sign_in(office, base, "metodist")
    refused += _visit(office, base, office_pages)

    assert refused == []


@pytest.mark.django_db(transaction=True)
def test_behaviour_moved_out_of_inline_handlers_still_works(live_server, new_context):
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    page = new_page(new_context)
    refused = _watch(page)
    _sign_in(page, base, "anna")
    # The year select sends its form on change.
    page.goto(f"{base}{reverse('portfolios:my_portfolio')}")
    select = page.locator("select#year")
    options = select.locator("option").all_inner_texts()
    if len(options) > 1:
        select.select_option(options[-1])
        page.wait_for_url(f"**year={options[-1].replace('/', '%2F')}*")
    # Deleting a draft asks first; "cancel" keeps it.
    anna = Employee.objects.get(user__username="anna")
    draft = anna.portfolio_entries.filter(status="draft").first()
    if draft is not None:
        page.goto(f"{base}{reverse('portfolios:entry_detail', args=[draft.pk])}")
        questions = []

        def dismiss(dialog):
            questions.append(dialog.message)
            dialog.dismiss()

        page.once("dialog", dismiss)
        page.get_by_role("button", name="Удалить").click()
        assert questions and anna.portfolio_entries.filter(pk=draft.pk).exists()
    assert refused + _refused_here(page) == []
