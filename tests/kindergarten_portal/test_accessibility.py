"""Every page of the teacher's, public and print sets has no serious or critical axe-core
violation, on a phone (390 px) and at a desktop width."""

import datetime

import pytest
from django.utils import timezone

from events.models import EventStatus, ParticipationRole, ParticipationStatus
from reports.models import SelfReport
from staff.access import staff_record
from staff.dates import add_months
from tests.browser_steps import axe_violations, new_page, sign_in
from tests.events.factories import EventFactory, ParticipationFactory, in_days
from tests.portfolios.factories import approved_entry, published_site, submitted_entry

pytestmark = pytest.mark.browser


def _world(anna):
    staff_record(anna).sex = "female"
    staff_record(anna).save()
    following = add_months(timezone.localdate().replace(day=1), 1)
    coming = EventFactory(title="Развитие речи в игре", capacity=10, is_open=True)
    ParticipationFactory(event=coming, teacher=staff_record(anna), status=ParticipationStatus.SIGNED_UP)
    held = EventFactory(
        title="Семинар «Игра»",
        start=in_days(-20),
        end=in_days(-20) + datetime.timedelta(hours=2),
        status=EventStatus.HELD,
        results_published=True,
        results_text="Коллеги поделились опытом.",
    )
    shared = ParticipationFactory(
        event=held,
        teacher=staff_record(anna),
        status=ParticipationStatus.ATTENDED,
        role=ParticipationRole.SPEAKER,
        sharing_due=timezone.localdate() + datetime.timedelta(days=10),
    )
    entry = approved_entry(staff_record(anna), title="Диплом конкурса")
    submitted_entry(staff_record(anna), title="Грамота")
    published_site(staff_record(anna), slug="antonova")
    return {"following": following, "coming": coming, "held": held, "sharing": shared, "entry": entry}


def _teacher_and_print_pages(world):
    following = world["following"]
    return [
        "/",
        "/staff/me/",
        "/staff/me/contacts/",
        f"/events/{following.year}/{following.month}/",
        f"/events/{following.year}/{following.month}/calendar/",
        f"/events/{following.year}/{following.month}/print/",
        f"/events/{world['coming'].pk}/",
        "/events/my/",
        f"/events/my/sharing/{world['sharing'].pk}/",
        "/events/my/calendar/",
        "/portfolio/",
        "/portfolio/entries/add/",
        f"/portfolio/entries/{world['entry'].pk}/",
        "/portfolio/mini-site/",
        "/reports/self-report/",
    ]


PUBLIC_PAGES = ["/accounts/login/", "/events/open/", "/events/results/", "/t/", "/t/antonova/", "/privacy/"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("phone", [True, False], ids=["phone", "desktop"])
def test_teacher_public_and_print_pages_have_no_serious_axe_violations(live_server, new_context, anna, phone):
    world = _world(anna)
    public = PUBLIC_PAGES + [f"/events/open/{world['coming'].pk}/", f"/events/results/{world['held'].pk}/"]
    found = {}
    visitor = new_page(new_context, phone=phone)
    for path in public:
        visitor.goto(f"{live_server.url}{path}")
        found[path] = axe_violations(visitor)
    teacher = new_page(new_context, phone=phone)
    sign_in(teacher, live_server.url, "anna")
    for path in _teacher_and_print_pages(world):
        teacher.goto(f"{live_server.url}{path}")
        found[path] = axe_violations(teacher)
    # Her self-report's print page (the self-report is started by the visit above).
    report = SelfReport.objects.get(teacher=staff_record(anna))
    teacher.goto(f"{live_server.url}/reports/self-report/{report.pk}/print/")
    found["self-report print"] = axe_violations(teacher)
    failing = {path: v for path, v in found.items() if v}
    assert not failing, "\n".join(f"{path}: {v}" for path, v in failing.items())
