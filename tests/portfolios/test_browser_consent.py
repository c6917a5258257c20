"""A teacher's day on a phone, the parts of issue 14 about consent and experience sharing: she
closes an experience-sharing follow-up (the 3.2 entry waits for review, it is not approved by
itself) and withdraws her consent to the mini-site (404 at once); axe-core finds nothing serious
on any page she opens."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventStatus, ParticipationStatus
from portfolios.models import EntryKind, EntryStatus, MiniSite, PortfolioEntry
from staff.access import staff_record
from tests.browser_steps import assert_accessible, new_page, sign_in
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.portfolios.factories import approved_entry

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_teacher_shares_experience_and_withdraws_her_minisite_consent(live_server, new_context, anna):
    held = EventFactory(
        title="Семинар «Игра»",
        start=in_days(-7),
        end=in_days(-7) + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
    )
    participation = ParticipationFactory(
        event=held,
        teacher=staff_record(anna),
        status=ParticipationStatus.ATTENDED,
        sharing_due=timezone.localdate() + datetime.timedelta(days=7),
    )
    approved_entry(staff_record(anna), title="Диплом победителя")
    teacher = new_page(new_context, phone=True)
    sign_in(teacher, live_server.url, "anna")

    teacher.goto(f"{live_server.url}/events/my/sharing/{participation.pk}/")
    assert_accessible(teacher)
    teacher.locator("#id_form").select_option("consultation")
    teacher.locator("#id_done_on").fill(timezone.localdate().isoformat())
    teacher.locator("#id_account").fill("Рассказала на педчасе 12 коллегам")
    teacher.locator("main form button[type=submit]").click()
    teacher.wait_for_url(f"{live_server.url}/events/my/")
    assert_accessible(teacher)
    entry = PortfolioEntry.objects.get(source_type="events.sharing", source_id=participation.pk)
    assert (entry.status, entry.is_public, entry.approved_at) == (EntryStatus.SUBMITTED, False, None)
    teacher.goto(f"{live_server.url}/portfolio/entries/{entry.pk}/")
    assert teacher.locator("[data-test=status]").inner_text() == "На проверке"
    assert entry.kind == EntryKind.CONSULTATION
    assert "Рассказала на педчасе 12 коллегам" in teacher.locator("[data-test=sharing-account]").inner_text()
    assert_accessible(teacher)

    # She publishes her mini-site with her consent, choosing what it shows.
    teacher.goto(f"{live_server.url}/portfolio/mini-site/")
    assert_accessible(teacher)
    teacher.locator("#id_about").fill("Люблю театр")
    teacher.locator("#id_show_category").uncheck()
    teacher.locator("#id_published").check()
    teacher.locator("#id_consent").check()
    teacher.locator("main form button[type=submit]").first.click()
    teacher.wait_for_selector("[data-test=withdraw-consent]")
    assert_accessible(teacher)
    site = MiniSite.objects.get()
    assert site.published and site.consent_text_version == "2" and not site.show_category
    visitor = new_page(new_context, phone=True)
    visitor.goto(f"{live_server.url}/t/{site.slug}/")
    assert "Люблю театр" in visitor.inner_text("main") and "Диплом победителя" in visitor.inner_text("main")
    assert visitor.locator("[data-test=category]").count() == 0
    assert_accessible(visitor)

    # She withdraws the consent: the page is gone at once.
    teacher.locator("[data-test=withdraw-consent]").click()
    teacher.wait_for_selector("[data-test=withdraw-consent]", state="detached")
    response = visitor.goto(f"{live_server.url}/t/{site.slug}/")
    assert response.status == 404
    site.refresh_from_db()
    assert (site.published, site.consent_at) == (False, None)
