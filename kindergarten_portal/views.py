import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.db import DatabaseError, connection
from django.db.models import Max, Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from events import selectors as events_selectors
from kindergarten_portal.access.roles import is_head, is_senior_educator
from kindergarten_portal.typography import days
from portfolios import selectors as portfolios_selectors
from reports.selectors import dashboard as reports_dashboard
from reports.selectors import rating as reports_rating
from reports.selectors import self_reports as reports_self_reports
from staff import academic
from staff import selectors as staff_selectors
from staff.access import current_teacher, staff_record
from staff.models import Mentorship

# How far ahead the senior educator's home page looks for attestation and course dues.
DUES_MONTHS = 3
# The office's home lists this many dues (overdue first), then says how many more there are.
OFFICE_DUES_SHOWN = 15
# Her home shows the nearest few events and recommendations; the rest are on her events page.
HOME_EVENTS = 5


def _teacher_agenda(employee, today):
    """What needs the teacher: returned entries, her events and follow-ups, the self-report, dues."""
    events = events_selectors.my_events(teacher=employee, past=False)
    year = academic.AcademicYear.of(today)
    return {
        "returned": list(portfolios_selectors.entries_returned(teacher=employee)),
        "sharing": sorted(events["sharing"], key=lambda p: (p.sharing_due, p.pk)),
        "recommended": events["recommended"][:HOME_EVENTS],
        "recommended_count": len(events["recommended"]),
        "upcoming": events["upcoming"][:HOME_EVENTS],
        "upcoming_count": len(events["upcoming"]),
        "self_report": reports_self_reports.self_report_of(teacher=employee, year=year),
        "self_report_year": year,
        "self_report_deadline": reports_self_reports.self_report_deadline(year),
        # Her attestation state, the one her staff page reads; her mentors beside it.
        "attestation": staff_selectors.attestation_state(employee, on=today),
        "mentors": [m for m in employee.mentorships_as_mentee.all() if m.is_active_on(today)],
    }


def _office_agenda(today):
    """What needs the senior educator: reviews, attendance to mark, dues in the next months."""
    return {
        "entries_to_review": portfolios_selectors.entries_awaiting_review_count(),
        "reports_to_review": [
            (academic.AcademicYear(row["academic_year__start_year"]), row["n"])
            for row in reports_self_reports.self_reports_awaiting_review()
        ],
        "attendance_unmarked": list(events_selectors.events_attendance_unmarked()),
        "dues": staff_selectors.office_dues(on=today, months=DUES_MONTHS, shown=OFFICE_DUES_SHOWN),
        "dues_months": DUES_MONTHS,
    }


def _head_figures(today):
    year = academic.AcademicYear.of(today)
    return {
        # Counted in the database: the page shows the figures, not the teachers.
        "figures": reports_dashboard.dashboard_figures(year=year, as_of=today, figures_only=True, due_rows=0),
        "build": reports_rating.latest_build(year) or reports_rating.latest_build(),
    }


@login_required
def home(request):
    """Each role's home page: what needs her today, each item with its link."""
    user = request.user
    today = timezone.localdate()
    employee = current_teacher(user)
    # A dismissed teacher is told why her own pages are gone.
    former = staff_record(user) if employee is None else None
    context = {"employee": employee, "former_employee": former, "today": today}
    if employee is not None:
        # Her attestation state reads her decisions, leaves and courses; her mentors with their names.
        prefetch_related_objects(
            [employee],
            "category_decisions",
            "conformity_decisions",
            "leaves",
            "trainings",
            Prefetch("mentorships_as_mentee", queryset=Mentorship.objects.select_related("mentor")),
        )
        context["agenda"] = _teacher_agenda(employee, today)
    if is_senior_educator(user):
        context["office"] = _office_agenda(today)
    if is_head(user):
        context.update(_head_figures(today))
    return render(request, "home.html", context)


class SignOutView(LogoutView):
    """Django's sign-out, saying that it happened on the sign-in page it leads to."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


def privacy(request):
    """The privacy policy (152-FZ art. 18.1: published by the operator), open to everyone."""
    return render(
        request,
        "privacy.html",
        {
            "operator": events_selectors.personal_data_operator(),
            "city_operator": bool(settings.PERSONAL_DATA_OPERATOR),
            "keep_days": days(settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS),
        },
    )


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE), on the site's and the admin's sign-in:
    how many minutes are left until this account may try again from this address."""
    username = get_client_username(request, credentials)
    # Locked at this address, or (tries from many addresses) the account alone.
    attempts = AccessAttempt.objects.filter(username=username)
    last_failure = (
        attempts.filter(ip_address=request.axes_ip_address).aggregate(last=Max("attempt_time"))["last"]
        or attempts.aggregate(last=Max("attempt_time"))["last"]
    )
    until = (last_failure or timezone.now()) + get_cool_off(request)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT, "login_path": request.path}
    return render(request, "registration/locked_out.html", context, status=429)


@never_cache
def healthz(request):
    """For the monitor and the load balancer: 200 "ok" while the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
