"""End to end: the year-end self-report from the teacher's phone to the senior educator and back,
until it is accepted and frozen."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Level
from kindergarten_portal.access.roles import SENIOR_EDUCATOR
from portfolios.models import ReportItem, Result
from reports.models import SelfReport, SelfReportStatus
from staff.access import staff_record
from tests.browser_steps import new_page, open_menu_link, sign_in
from tests.factories import UserFactory, teacher_user

from .factories import entry

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_self_report_submitted_returned_resubmitted_and_accepted(live_server, new_context):
    senior = UserFactory(username="metodist", role=SENIOR_EDUCATOR)
    anna = teacher_user("anna", surname="Антонова")
    today = timezone.localdate()  # the report is the current academic year's
    entry(
        staff_record(anna),
        ReportItem.COMPETITIONS,
        level=Level.MUNICIPAL,
        result=Result.WINNER,
        day=today,
        title="Конкурс «Воспитатель года»",
    )

    # The teacher, on her phone, writes her comments and submits.
    teacher = new_page(new_context, phone=True)
    sign_in(teacher, live_server.url, "anna")
    open_menu_link(teacher, "Самоотчёт")
    competitions = teacher.locator("[data-item='3.3']")
    expect(competitions).to_contain_text("Конкурс «Воспитатель года»")
    competitions.get_by_role("textbox").fill("Готовилась к конкурсу полгода.")
    teacher.get_by_label("Итоговый самоанализ").fill("Год прошёл продуктивно.")
    teacher.get_by_role("button", name="Сохранить и отправить старшему воспитателю").click()
    expect(teacher.get_by_role("alert")).to_have_text("Самоотчёт отправлен старшему воспитателю.")
    expect(teacher.locator("[data-test=status]")).to_have_text("на проверке")
    expect(teacher.get_by_role("textbox")).to_have_count(0)  # under review: nothing to edit
    report = SelfReport.objects.get(teacher=staff_record(anna))
    assert report.status == SelfReportStatus.SUBMITTED
    assert report.comments == {"3.3": "Готовилась к конкурсу полгода."}
    assert report.reflection == "Год прошёл продуктивно."

    # The senior educator, at the office, finds it in the list and returns it with a comment.
    office = new_page(new_context)
    sign_in(office, live_server.url, "metodist")
    open_menu_link(office, "Самоотчёты")
    office.locator("[data-test=reports]").get_by_role("link", name="Антонова Мария Ивановна").click()
    expect(office.locator("[data-item='3.3'] [data-test=comment]")).to_have_text(
        "Готовилась к конкурсу полгода."
    )
    office.get_by_label("Решение").select_option(label="Вернуть педагогу на доработку")
    office.get_by_label("Комментарий для педагога").fill("Опишите, чему научились дети.")
    office.get_by_role("button", name="Подтвердить").click()
    expect(office.get_by_role("alert")).to_have_text("Самоотчёт возвращён педагогу на доработку.")
    report.refresh_from_db()
    assert report.status == SelfReportStatus.RETURNED
    assert report.review_comment == "Опишите, чему научились дети."
    assert report.reviewed_by == senior

    # The teacher sees the comment, finds her text kept, adds to it and submits again.
    teacher.reload()
    expect(teacher.locator(".alert-warning")).to_contain_text("Опишите, чему научились дети.")
    reflection = teacher.get_by_label("Итоговый самоанализ")
    expect(reflection).to_have_value("Год прошёл продуктивно.")
    reflection.fill("Год прошёл продуктивно. Дети научились работать в команде.")
    teacher.get_by_role("button", name="Сохранить и отправить старшему воспитателю").click()
    expect(teacher.get_by_role("alert")).to_have_text("Самоотчёт отправлен старшему воспитателю.")
    report.refresh_from_db()
    assert report.status == SelfReportStatus.SUBMITTED
    assert report.reflection == "Год прошёл продуктивно. Дети научились работать в команде."

    # The senior educator reads the new text and accepts.
    office.reload()
    expect(office.locator("[data-test=reflection]")).to_have_text(
        "Год прошёл продуктивно. Дети научились работать в команде."
    )
    office.get_by_label("Решение").select_option(label="Принять")
    office.get_by_role("button", name="Подтвердить").click()
    expect(office.get_by_role("alert")).to_have_text("Самоотчёт принят.")
    report.refresh_from_db()
    assert report.status == SelfReportStatus.ACCEPTED
    assert report.reviewed_by == senior
    frozen = {
        block["item"]: [line["title"] for line in block["entries"]] for block in report.snapshot["items"]
    }
    assert frozen["3.3"] == ["Конкурс «Воспитатель года»"]

    # An entry approved afterwards does not change the accepted report: it is frozen.
    entry(staff_record(anna), ReportItem.COMPETITIONS, day=today, title="Конкурс чтецов")
    teacher.reload()
    expect(teacher.locator("[data-test=status]")).to_have_text("принят")
    accepted_on = timezone.localtime(report.reviewed_at).strftime("%d.%m.%Y")
    expect(teacher.get_by_text(f"Принят {accepted_on}")).to_be_visible()
    expect(teacher.locator("[data-item='3.3']")).to_contain_text("Конкурс «Воспитатель года»")
    expect(teacher.locator("[data-item='3.3']")).not_to_contain_text("Конкурс чтецов")
    expect(teacher.get_by_role("textbox")).to_have_count(0)
    expect(teacher.get_by_role("button", name="Сохранить")).to_have_count(0)
