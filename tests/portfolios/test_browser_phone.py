"""A teacher's pages on a 390 px phone: nothing spills past a card's edge or the screen, the status
badges of a portfolio entry sit under its title, and axe-core finds nothing serious.

Measured by the elements' bounding boxes in Debian's chromium; screenshots go to /tmp/phone/ to be
looked at when a layout changes."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from events.models import EventFormat, ParticipationRole, ParticipationStatus
from portfolios.derived import entries_sync_for_source
from portfolios.models import EntryStatus, ReportItem
from reports.services import self_report_get_or_create
from staff.academic import AcademicYear
from staff.access import staff_record
from staff.models import Sex
from tests.browser_steps import PHONE, assert_accessible, new_page, sign_in
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.reports.factories import year

from .factories import EntryFactory, approved_entry, published_site, with_file

pytestmark = pytest.mark.browser

SCREENSHOTS = Path("/tmp/phone")

LONG_TITLE = (
    "Диплом лауреата II степени муниципального конкурса методических разработок "
    "«Играем вместе: сюжетно-ролевая игра в развитии дошкольника»"
)
COMMENT = "Приложите скан диплома целиком, с подписью и печатью организатора конкурса."

# Every element of the page that reaches past the right edge of the card it is in, or of the
# screen: (its tag and classes, its text's start, by how many pixels).
SPILLS = """() => {
  const found = [];
  const screen = document.documentElement.clientWidth;
  for (const el of document.querySelectorAll('main *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || getComputedStyle(el).visibility === 'hidden') continue;
    if (el.closest('.table-responsive, .visually-hidden')) continue;  // scrolls inside itself
    const card = el.closest('.card');
    const edge = card && card !== el ? card.getBoundingClientRect().right : screen;
    if (box.right > edge + 0.5 || box.left < -0.5) {
      found.push([el.tagName + '.' + el.className, (el.innerText || '').slice(0, 40), box.right - edge]);
    }
  }
  return found;
}"""


def _measure(page, name):
    """The page has no horizontal scroll at 390 px and no element past its card; a screenshot."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide"
    assert page.evaluate(SPILLS) == [], name
    # Her own pages speak of her in her gender: «записана», never «записан(а)».
    assert "(а)" not in page.locator("main").inner_text(), name
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_teacher_pages_fit_a_phone(live_server, new_context, anna):
    teacher = staff_record(anna)
    teacher.sex = Sex.FEMALE
    teacher.save()
    returned = EntryFactory(
        teacher=teacher,
        item=ReportItem.COMPETITIONS,
        kind="competition_result",
        title=LONG_TITLE,
        date=datetime.date(2025, 11, 20),
        level="municipal",
        result="prize_winner",
        organizer="Информационно-методический центр",
        status=EntryStatus.RETURNED,
        reviewer_comment=COMMENT,
    )
    with_file(returned)
    approved_entry(teacher, title=LONG_TITLE.replace("Диплом", "Благодарственное письмо"))
    # She ran a consultation for colleagues: a derived entry of item 3.2.
    consultation = EventFactory(
        title="Консультация для педагогов «Лэпбук – как вид совместной деятельности взрослого и ребёнка»",
        format=EventFormat.CONSULTATION,
        start=datetime.datetime(2025, 12, 3, 10, tzinfo=datetime.UTC),
        end=datetime.datetime(2025, 12, 3, 12, tzinfo=datetime.UTC),
    )
    entries_sync_for_source(
        source=ParticipationFactory(
            event=consultation,
            teacher=teacher,
            role=ParticipationRole.OPEN_SHOW_PRESENTER,
            status=ParticipationStatus.ATTENDED,
        )
    )
    coming = EventFactory(
        title="Семинар-практикум «Развивающая предметно-пространственная среда группы раннего возраста»",
        format=EventFormat.WORKSHOP,
        start=in_days(12),
        end=in_days(12, hour=12),
    )
    ParticipationFactory(event=coming, teacher=teacher)
    # What she attended, under «Посещено» of My events, with her role in her gender.
    attended = EventFactory(title="Круглый стол «Взаимодействие детского сада и семьи»", start=in_days(-5))
    ParticipationFactory(
        event=attended,
        teacher=teacher,
        role=ParticipationRole.SPEAKER,
        status=ParticipationStatus.ATTENDED,
    )
    published_site(teacher, slug="antonova")
    report = self_report_get_or_create(teacher=teacher, year=year(2025))

    page = new_page(new_context, phone=True)
    sign_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}/portfolio/?year=2025/2026")
    entry = page.locator("[data-test=entry]", has_text=LONG_TITLE)
    expect(entry.locator("[data-test=status]")).to_have_text("Возвращена на доработку")
    _measure(page, "portfolio")
    # The consultation she ran is named by its form, in item 3.2.
    expect(page.locator("[data-test=entry]", has_text="Лэпбук")).to_contain_text("Проведение консультации")

    card = entry.locator("xpath=ancestor::div[contains(@class, 'card')][1]").bounding_box()
    title = entry.get_by_role("link", name=LONG_TITLE).bounding_box()
    comment = entry.get_by_text(COMMENT).bounding_box()
    row = entry.bounding_box()
    for badge in (entry.locator("[data-test=status]"), entry.locator("[data-test=files]")):
        box = badge.bounding_box()
        assert card["x"] <= box["x"] and box["x"] + box["width"] <= card["x"] + card["width"]
        assert box["y"] >= title["y"]
    # The title and the comment take the row's whole width, not a column beside the badges.
    assert title["width"] >= 0.9 * row["width"]
    assert comment["width"] >= 0.9 * row["width"]

    pages = {
        "home": "/",
        "my-events": reverse("events:my"),
        "calendar": reverse("events:calendar", args=[coming.start.year, coming.start.month]),
        "month": reverse("events:month", args=[coming.start.year, coming.start.month]),
        "event": reverse("events:detail", args=[coming.pk]),
        "self-report": reverse("reports:self_report", args=[report.pk]),
        "entry-detail": reverse("portfolios:entry_detail", args=[returned.pk]),
        "mini-site": reverse("site:page", args=["antonova"]),
    }
    for name, url in pages.items():
        page.goto(f"{live_server.url}{url}")
        _measure(page, name)
    page.goto(
        f"{live_server.url}{pages['my-events']}?year={AcademicYear.of(timezone.localdate(attended.start))}"
    )
    expect(page.locator("#past")).to_contain_text("выступающая")
    page.goto(f"{live_server.url}{pages['self-report']}")
    expect(page.locator("[data-item='3.2']")).to_contain_text("проведение консультации")


@pytest.mark.django_db(transaction=True)
def test_a_teacher_who_moved_carries_entries_on_her_phone(live_server, new_context, anna, berezka):
    """Anna left our kindergarten and works at «Берёзка» now: on her phone she ticks an approved
    entry of her old portfolio and finds it in her new one, confirmed by our kindergarten."""
    from kindergarten_portal.access.roles import SENIOR_EDUCATOR
    from staff.services import accounts_create_for_teachers
    from tests.factories import EmployeeFactory, UserFactory

    old = staff_record(anna)
    ours = old.organization
    kept = approved_entry(old, title=LONG_TITLE, date=timezone.localdate() - datetime.timedelta(days=30))
    with_file(kept)
    approved_entry(
        old, title="Публикация в сборнике ИМЦ", date=timezone.localdate() - datetime.timedelta(days=40)
    )
    old.dismissal_date = timezone.localdate() - datetime.timedelta(days=1)
    old.save(update_fields=["dismissal_date"])
    UserFactory(username="metodist2", role=SENIOR_EDUCATOR, role__kindergarten=berezka)
    new = EmployeeFactory(
        surname="Антонова", sex=Sex.FEMALE, organization=berezka, email=anna.email or "anna@example.org"
    )
    if not anna.email:
        anna.email = new.email
        anna.save(update_fields=["email"])
    assert accounts_create_for_teachers(employees=[new]).linked

    page = new_page(new_context, phone=True)
    sign_in(page, live_server.url, "anna")
    page.goto(f"{live_server.url}{reverse('portfolios:my_portfolio')}")
    page.get_by_role("link", name="Записи с прежнего места работы").click()
    expect(page.locator("[data-test=earlier-entry]")).to_have_count(2)
    _measure(page, "carry")
    page.get_by_label(LONG_TITLE).check()
    page.get_by_role("button", name="Перенести в моё портфолио").click()
    expect(page.locator(".alert-success")).to_contain_text("В портфолио перенесена 1 запись.")
    expect(page.get_by_label(LONG_TITLE)).to_be_disabled()
    page.goto(f"{live_server.url}{reverse('portfolios:my_portfolio')}")
    entry = page.locator("[data-test=entry]", has_text=LONG_TITLE)
    expect(entry.locator("[data-test=status]")).to_have_text(f"Подтверждено: {ours.name}")
    _measure(page, "portfolio-carried")
