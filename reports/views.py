from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from events.models import Level
from kindergarten_portal.access.roles import can_read_everything, is_senior_educator
from kindergarten_portal.lists.pagination import page_of
from kindergarten_portal.sheets.xlsx_out import xlsx_response
from portfolios.models import EntryKind, ReportItem, Result
from staff import academic
from staff.access import self_service_teacher
from staff.models import Category, category_group_label

from .access import get_build_for_user, get_self_report_for_user
from .charts import bar_chart
from .exports import self_report_workbook
from .forms import ReviewForm, SelfReportForm
from .models import DIRECTION_LABELS, DIRECTIONS, SelfReportStatus
from .selectors.dashboard import dashboard_figures
from .selectors.rating import latest_build, rating_groups
from .selectors.self_reports import (
    academic_years_reported,
    self_report_content,
    self_report_roster,
    self_report_status_counts,
    self_reports_of_teacher,
)
from .services import (
    academic_year_ensure,
    self_report_accept,
    self_report_get_or_create,
    self_report_return,
    self_report_save,
    self_report_submit,
)
from .services import self_report_withdraw as self_report_withdraw_service

RATING_CHART_TOP = 15  # teachers drawn in the dashboard's rating chart
# The dashboard's rating table and attestation list show the first rows; the workbook has them all.
DASHBOARD_RATING_ROWS = 30
DASHBOARD_DUE_ROWS = 20
ROSTER_PAGE_SIZE = 50  # teachers per page of the self-reports list


def _require_reader(request):
    """The head's and the senior educator's pages (the view is already behind login_required)."""
    if not can_read_everything(request.user):
        raise PermissionDenied


@login_required
def dashboard(request):
    """The head's page: the current year's rating (latest version), categories, courses, dues, events."""
    _require_reader(request)
    today = timezone.localdate()
    year = academic.AcademicYear.of(today)
    build = latest_build(year) or latest_build()
    # The first rows by rank, without the per-item points and criteria the table does not show.
    first = list(build.rows.defer("item_points", "criteria")[:DASHBOARD_RATING_ROWS]) if build else []
    groups = rating_groups(first)
    rated = build.teachers_count if build else 0
    figures = dashboard_figures(year=year, as_of=today, figures_only=True, due_rows=DASHBOARD_DUE_ROWS)
    # Each teacher in one category (they add up to the staff); the titles are named within the highest.
    shares = figures.distribution.shares()
    distribution = [
        (category_group_label(c), n, share) for (c, n), share in zip(figures.categories, shares, strict=True)
    ]
    titles = [(Category(t).label, n) for t, n in figures.distribution.titles if n]
    months = figures.months
    top = first[:RATING_CHART_TOP]
    context = {
        "year": year,
        "build": build,
        "groups": groups,
        "rows": [row for _label, group_rows in groups for row in group_rows],
        "rated": rated,
        "direction_labels": [DIRECTION_LABELS[d] for d in DIRECTIONS],
        "distribution": distribution,
        "titles": titles,
        "category_counts": dict(figures.categories),
        "young": figures.young,
        "staff_total": figures.staff_total,
        "covered": figures.covered,
        "coverage_percent": figures.coverage_percent,
        "due": figures.due,
        "due_total": figures.due_total,
        "months": months,
        "category_chart": bar_chart(
            _("Qualification categories"), [(label, n) for label, n, _s in distribution]
        ),
        "events_chart": bar_chart(
            _("Events per month"),
            [(str(MONTHS_3[m.month]).capitalize(), n) for m, n, _attended in months],
            width=560,
        ),
        "rating_chart": bar_chart(
            _("Rating: total points")
            if len(top) == rated
            else _("Rating: total points, the first %(shown)d of %(total)d")
            % {"shown": len(top), "total": rated},
            [(r.teacher_name, r.total) for r in top],
            width=560,
            horizontal=True,
        )
        if top
        else None,
    }
    return render(request, "reports/dashboard.html", context)


def _workbook_response(build):
    if not build.workbook:
        raise Http404
    try:
        handle = build.workbook.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    year = build.academic_year
    filename = f"rating-{year.start.year}-{year.end.year}.xlsx"
    return xlsx_response(handle, filename)


@login_required
def build_workbook(request, pk):
    _require_reader(request)
    return _workbook_response(get_build_for_user(request.user, pk))


@login_required
def latest_workbook(request):
    """The workbook of the latest version of the current year (or of any year, if none this year)."""
    _require_reader(request)
    build = latest_build(academic.AcademicYear.current()) or latest_build()
    if build is None:
        raise Http404
    return _workbook_response(build)


@login_required
def self_reports(request):
    """The senior educator's and the head's list for one academic year (?year=2025/2026, the current
    one by default): every teacher on the staff, with her report or "not started"."""
    _require_reader(request)
    current = academic_year_ensure(year=academic.AcademicYear.current())
    years = list(academic_years_reported(current))
    wanted = request.GET.get("year") or current.label
    year = next((y for y in years if y.label == wanted), None)
    if year is None:
        raise Http404
    page = page_of(request, self_report_roster(year), ROSTER_PAGE_SIZE)
    rows = [(teacher, teacher.year_reports[0] if teacher.year_reports else None) for teacher in page]
    # Every teacher of the roster who has a report of the year is on the roster: the rest have not
    # started. Counted over the whole roster, not the page.
    by_status = self_report_status_counts(year)
    counts = [(_("not started"), page.paginator.count - sum(by_status.values()))]
    counts += [(label, by_status.get(value, 0)) for value, label in SelfReportStatus.choices]
    return render(
        request,
        "reports/self_report_list.html",
        {
            "year": year,
            "years": years,
            "rows": rows,
            "counts": counts,
            "page_obj": page,
            "page_query": urlencode({"year": year.label}),
        },
    )


@login_required
def my_self_report(request):
    """The teacher's report of the current year (started on first visit), and her earlier years."""
    teacher = self_service_teacher(request.user)
    report = self_report_get_or_create(
        teacher=teacher, year=academic_year_ensure(year=academic.AcademicYear.current())
    )
    return redirect("reports:self_report", report.pk)


@login_required
def my_self_reports(request):
    """The teacher's self-reports of every year, newest first (earlier years read-only)."""
    teacher = self_service_teacher(request.user)
    reports = self_reports_of_teacher(teacher).order_by("-academic_year__start_year")
    return render(request, "reports/my_self_reports.html", {"reports": reports})


def _line_facts(line):
    """«12.03.2026 · Публикация · Муниципальный · 72 часа · 1,5 балла»: an entry's line of the report,
    worked out once here rather than through a dozen template conditions per entry."""
    parts = [timezone.datetime.fromisoformat(line["date"]).strftime("%d.%m.%Y")]
    if line["kind"]:
        parts.append(EntryKind(line["kind"]).label)
    if line["level"]:
        parts.append(Level(line["level"]).label)
    if line["result"]:
        parts.append(Result(line["result"]).label)
    if line.get("hours"):
        parts.append(ngettext("%(hours)s hour", "%(hours)s hours", line["hours"]) % {"hours": line["hours"]})
    if line.get("pupils_count"):
        count = line["pupils_count"]
        parts.append(ngettext("%(pupils)s pupil", "%(pupils)s pupils", count) % {"pupils": count})
    parts.append(_("%(points)s pts") % {"points": floatformat(line["points"], 1)})
    return " · ".join(str(part) for part in parts)


def _labelled(content, comments):
    """The content's raw values with their labels, for templates."""
    items = []
    for block in content["items"]:
        items.append(
            {
                **block,
                "label": ReportItem(block["item"]).label,
                "comment": comments.get(block["item"], ""),
                "entries": [{**line, "facts": _line_facts(line)} for line in block["entries"]],
            }
        )
    return items


def _report_context(request, report):
    content = self_report_content(report)
    is_owner = report.teacher.user_id == request.user.pk
    return {
        "report": report,
        "can_withdraw": is_owner
        and report.status == SelfReportStatus.SUBMITTED
        and report.academic_year.is_current,
        "items": _labelled(content, report.comments or {}),
        "total": content["total"],
        "is_owner": is_owner,
        "can_review": is_senior_educator(request.user) and report.status == SelfReportStatus.SUBMITTED,
        "other_years": self_reports_of_teacher(report.teacher).exclude(pk=report.pk) if is_owner else [],
    }


@login_required
def self_report(request, pk):
    """The report; its owner edits it while a draft or returned, and saves or saves and submits it.

    A refused submit still keeps what she typed: saved, and shown again with the reason."""
    report = get_self_report_for_user(request.user, pk)
    is_owner = report.teacher.user_id == request.user.pk
    form = None
    # Her reports of earlier years are for reading: the year is over.
    if is_owner and report.is_editable and report.academic_year.is_current:
        form = SelfReportForm(request.POST or None, report=report)
        if request.method == "POST" and form.is_valid():
            try:
                self_report_save(
                    report=report,
                    by=request.user,
                    comments=form.comments(),
                    reflection=form.cleaned_data["reflection"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if request.POST.get("action") != "submit":
                    messages.success(request, _("Your comments are saved."))
                    return redirect("reports:self_report", report.pk)
                try:
                    self_report_submit(report=report, by=request.user)
                except ValidationError as exc:  # saved all the same; the form shows why, with her text
                    form.add_error(None, exc)
                    # At the top of the page, where she looks after the click: the field's error
                    # may be far below.
                    messages.error(
                        request,
                        _("Your comments are saved, but the self-report is NOT submitted: %(reason)s")
                        % {"reason": " ".join(exc.messages)},
                    )
                else:
                    messages.success(request, _("Your self-report is submitted to the senior educator."))
                    return redirect("reports:self_report", report.pk)
    elif request.method == "POST":
        raise PermissionDenied
    context = _report_context(request, report)
    context["form"] = form
    if form is not None:
        for block in context["items"]:
            block["field"] = form[f"comment_{block['item']}"]
    context["review_form"] = ReviewForm() if context["can_review"] else None
    return render(request, "reports/self_report.html", context)


@require_POST
@login_required
def self_report_withdraw(request, pk):
    """The owner takes her submitted report back to a draft before it is reviewed."""
    report = get_self_report_for_user(request.user, pk)
    try:
        self_report_withdraw_service(report=report, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Your self-report is withdrawn: it is a draft again, submit it when ready.")
        )
    return redirect("reports:self_report", report.pk)


@require_POST
@login_required
def self_report_review(request, pk):
    """The senior educator's decision. A refused one shows the page again with her choice and
    comment kept, so that the next click does not do the other thing."""
    if not is_senior_educator(request.user):
        raise PermissionDenied
    report = get_self_report_for_user(request.user, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                self_report_accept(report=report, reviewer=request.user)
                messages.success(request, _("The self-report is accepted."))
            else:
                self_report_return(report=report, reviewer=request.user, comment=form.cleaned_data["comment"])
                messages.success(request, _("The self-report is returned to the teacher."))
        except ValidationError as exc:
            form.add_error(None, exc)
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect("reports:self_report", report.pk)
    else:
        messages.error(request, _("Choose whether to accept or return the self-report."))
    context = _report_context(request, report)
    context["form"] = None
    context["review_form"] = form if context["can_review"] else None
    return render(request, "reports/self_report.html", context)


@login_required
def self_report_print(request, pk):
    report = get_self_report_for_user(request.user, pk)
    return render(request, "reports/self_report_print.html", _report_context(request, report))


@login_required
def self_report_xlsx(request, pk):
    report = get_self_report_for_user(request.user, pk)
    # The teacher's name in the file name: the office downloads many of them into one folder.
    year = report.academic_year
    filename = _("Self-report %(name)s %(start)d-%(end)d.xlsx") % {
        "name": report.teacher.short_name,
        "start": year.start.year,
        "end": year.end.year,
    }
    return xlsx_response(self_report_workbook(report), filename)
