"""`seed_demo --network`: our demo kindergarten and «Берёзка», each with its office, teachers and year,
and nina, who moved from ours to «Берёзка»; then every page of one kindergarten's people names nobody
of the other (but nina, whom both rightly name: her old record and her new)."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from events.models import Event, Participation
from kindergarten_portal.models import Organization, Role
from portfolios.models import EntryStatus, MiniSite, PortfolioEntry
from reports.models import RatingBuild, SelfReport
from staff.models import Employee

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/reports/",
    "/staff/self-evaluation/",
    "/admin/staff/employee/",
    "/admin/staff/employee/attestation-calendar/",
    "/admin/staff/kindergartengroup/",
    "/admin/staff/training/",
    "/admin/events/event/",
    "/admin/events/participation/",
    "/admin/portfolios/portfolioentry/",
    "/admin/reports/selfreport/",
    "/admin/reports/ratingbuild/",
    "/admin/auth/user/",
]
TEACHER_PAGES = ["/", "/events/", "/events/my/", "/portfolio/", "/staff/me/"]


@pytest.fixture
def network():
    out = io.StringIO()
    call_command("seed_demo", "--network", stdout=out)
    return out.getvalue()


MOVED = "Ковалёва"  # nina's surname: on a record of each kindergarten


def _surnames(kindergarten):
    return set(Employee.objects.filter(organization=kindergarten).values_list("surname", flat=True))


def test_the_network_demo_gives_berezka_a_year_of_its_own(network):
    berezka = Organization.objects.get(slug="berezka")
    ours = Organization.objects.own()
    assert ours != berezka and not berezka.is_own
    assert set(Role.objects.values_list("user__username", "organization__slug", "role")) == {
        ("metodist", ours.slug, "senior_educator"),
        ("head", ours.slug, "head"),
        ("metodist2", "berezka", "senior_educator"),
        ("head2", "berezka", "head"),
    }
    assert _surnames(berezka) == {"Яковлева", "Ушакова", "Щербакова", "Юсупова", MOVED}
    assert _surnames(berezka) & _surnames(ours) == {MOVED}
    own = PortfolioEntry.objects.filter(teacher__organization=berezka, source_type="", carried_from=None)
    assert own.count() == 6  # three each for vera and galina: two approved, one waiting for review
    approved = own.filter(status=EntryStatus.APPROVED)
    assert approved.count() == 4 and set(approved.values_list("approved_by__username", flat=True)) == {
        "metodist2"
    }
    assert MiniSite.objects.get(teacher__user__username="vera").published
    assert SelfReport.objects.filter(teacher__organization=berezka).count() == 2
    event = Event.objects.get(host=berezka)
    assert Participation.objects.filter(event=event).count() == 3
    build = RatingBuild.objects.get(organization=berezka)
    assert build.rows.count() == 5 and RatingBuild.objects.filter(organization=ours).count() == 1
    for line in ("metodist2", "head2", "vera", "galina", "nina"):
        assert line in network


def test_nina_moved_with_her_account_and_carried_an_entry(network):
    """One account, two records: ours with a dismissal date (her approved entries stay there), and
    «Берёзка»'s, current, holding the one entry she carried, confirmed by ours."""
    ours, berezka = Organization.objects.own(), Organization.objects.get(slug="berezka")
    nina = get_user_model().objects.get(username="nina")
    old, new = Employee.objects.filter(user=nina).order_by("hire_date")
    assert (old.organization, new.organization) == (ours, berezka)
    assert old.dismissal_date is not None and new.dismissal_date is None
    assert new.hire_date == old.dismissal_date + datetime.timedelta(days=1)
    assert PortfolioEntry.objects.filter(teacher=old, status=EntryStatus.APPROVED).count() == 2
    (carried,) = PortfolioEntry.objects.filter(teacher=new)
    assert carried.status == EntryStatus.APPROVED and carried.confirmed_by == ours
    assert carried.carried_from.teacher == old and carried.evidence_files.count() == 1


def test_the_network_demo_again_changes_nothing(network):
    counts = [
        model.objects.count() for model in (Employee, PortfolioEntry, Participation, SelfReport, RatingBuild)
    ]
    call_command("seed_demo", "--network", stdout=io.StringIO())
    assert [
        m.objects.count() for m in (Employee, PortfolioEntry, Participation, SelfReport, RatingBuild)
    ] == counts


def test_no_page_of_one_kindergarten_names_the_other(client, network):
    """Each office and a teacher of each kindergarten, on their pages: nobody of the other is named,
    and their own people are (a page that showed nobody would pass the first check)."""
    ours, berezka = Organization.objects.own(), Organization.objects.get(slug="berezka")
    for username, pages, own, other in [
        ("metodist", PAGES, ours, berezka),
        ("head", PAGES, ours, berezka),
        ("anna", TEACHER_PAGES, ours, berezka),
        ("metodist2", PAGES, berezka, ours),
        ("head2", PAGES, berezka, ours),
        ("vera", TEACHER_PAGES, berezka, ours),
    ]:
        client.force_login(get_user_model().objects.get(username=username))
        seen_own = 0
        for url in pages:
            response = client.get(url, follow=True)
            assert response.status_code in (200, 403), (username, url)
            body = response.content.decode()
            assert not [name for name in _surnames(other) - {MOVED} if name in body], (username, url)
            seen_own += any(name in body for name in _surnames(own) - {MOVED})
        assert seen_own >= 3, username  # the pages do show her own kindergarten's people
