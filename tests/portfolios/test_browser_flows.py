"""End to end: a teacher adds an entry with a scan from her phone; the senior educator returns it
with a comment; she fixes it and submits again; it is approved, locked and shown on her mini-site."""

import pytest
from playwright.sync_api import expect

from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from portfolios.models import EntryStatus, PortfolioEntry
from staff.access import staff_record
from tests.browser_steps import assert_accessible, new_page, open_menu_link, sign_in
from tests.factories import UserFactory

from .factories import png_bytes, published_site

pytestmark = pytest.mark.browser

TITLE = "Диплом победителя конкурса «Воспитатель года»"
COMMENT = "Укажите организатора конкурса, как в дипломе."


@pytest.mark.django_db(transaction=True)
def test_entry_returned_with_a_comment_fixed_and_approved(live_server, new_context, anna):
    senior = UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    published_site(staff_record(anna), slug="antonova")

    # The teacher adds the entry with a scan of the diploma and submits it.
    teacher = new_page(new_context, phone=True)
    sign_in(teacher, live_server.url, "anna")
    open_menu_link(teacher, "Моё портфолио")
    assert_accessible(teacher)
    teacher.get_by_role("link", name="Добавить запись").click()
    assert_accessible(teacher)
    teacher.locator("#id_item").select_option("3.3")
    teacher.locator("#id_kind").select_option("competition_result")
    teacher.locator("#id_title").fill(TITLE)
    teacher.locator("#id_date").fill("2025-11-20")
    teacher.locator("#id_level").select_option("municipal")
    teacher.locator("#id_result").select_option("winner")
    teacher.locator("#id_files").set_input_files(
        {"name": "diplom.png", "mimeType": "image/png", "buffer": png_bytes(size=(300, 200))}
    )
    teacher.get_by_role("button", name="Сохранить и просмотреть").click()
    expect(teacher.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(teacher.locator("[data-test=evidence] img")).to_be_visible()
    assert_accessible(teacher)
    teacher.get_by_role("button", name="Отправить на проверку").click()
    expect(teacher.get_by_role("alert")).to_have_text("Запись отправлена старшему воспитателю на проверку.")
    expect(teacher.locator("[data-test=status]")).to_have_text("На проверке")
    entry = PortfolioEntry.objects.get()
    assert entry.status == EntryStatus.SUBMITTED and entry.organizer == ""
    evidence = entry.evidence_files.get()
    assert evidence.original_name == "diplom.png" and evidence.content_type == "image/png"

    # The senior educator returns it from her review queue with a comment.
    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    open_menu_link(office, "Проверка портфолио")
    card = office.locator("[data-test=queue-entry]", has_text=TITLE)
    expect(card.locator("img")).to_be_visible()  # she sees the scan before deciding
    card.get_by_role("textbox", name="Комментарий").fill(COMMENT)
    card.get_by_role("button", name="Вернуть на доработку").click()
    expect(office.get_by_role("alert")).to_have_text("Возвращено педагогам на доработку: 1.")
    expect(office.locator("[data-test=queue-entry]")).to_have_count(0)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.RETURNED and entry.reviewer_comment == COMMENT

    # The teacher sees the comment in her portfolio, fixes the entry and submits it again.
    open_menu_link(teacher, "Моё портфолио")
    teacher.get_by_label("Учебный год").select_option("2025/2026")  # the diploma's year, not this one
    mine = teacher.locator("[data-test=entry]", has_text=TITLE)
    expect(mine.locator(".alert-warning")).to_have_text(f"Комментарий проверяющего: {COMMENT}")
    mine.get_by_role("link", name=TITLE).click()
    expect(teacher.locator("[data-test=comment]")).to_contain_text(COMMENT)
    assert_accessible(teacher)
    teacher.get_by_role("link", name="Изменить").click()
    teacher.locator("#id_organizer").fill("Управление образования г. Березовский")
    teacher.get_by_role("button", name="Сохранить и просмотреть").click()
    expect(teacher.get_by_role("alert")).to_have_text("Запись сохранена.")
    teacher.get_by_role("button", name="Отправить повторно").click()
    expect(teacher.get_by_role("alert")).to_have_text("Запись отправлена старшему воспитателю на проверку.")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.organizer == "Управление образования г. Березовский"
    assert entry.evidence_files.count() == 1  # the scan stays with the entry

    # The senior educator approves the corrected entry.
    office.reload()
    card = office.locator("[data-test=queue-entry]", has_text=TITLE)
    expect(card).to_contain_text("Управление образования г. Березовский")
    card.get_by_role("button", name="Подтвердить").click()
    expect(office.get_by_role("alert")).to_have_text("Подтверждено: 1.")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.APPROVED and entry.approved_by == senior
    assert entry.reviewer_comment == ""
    assert list(entry.status_changes.order_by("pk").values_list("to_status", flat=True)) == [
        EntryStatus.DRAFT,
        EntryStatus.SUBMITTED,
        EntryStatus.RETURNED,
        EntryStatus.SUBMITTED,
        EntryStatus.APPROVED,
    ]

    # She sees it approved and locked, and on her published mini-site.
    teacher.reload()
    expect(teacher.locator("[data-test=status]")).to_have_text("Подтверждена")
    expect(teacher.get_by_text("Подтверждённые записи изменить нельзя.")).to_be_visible()
    expect(teacher.get_by_role("link", name="Изменить")).to_have_count(0)
    expect(teacher.locator("[data-test=comment]")).to_have_count(0)
    teacher.goto(f"{live_server.url}/t/antonova/")
    expect(teacher.locator("[data-test=public-entry]", has_text=TITLE)).to_be_visible()
    assert_accessible(teacher)
