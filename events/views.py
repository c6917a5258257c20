import calendar as pycalendar
import datetime
from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kindergarten_portal.access.clients import client_address
from kindergarten_portal.access.roles import can_read_everything, role_required
from kindergarten_portal.caching.cache import count_attempt
from kindergarten_portal.caching.pagecache import cached_public_page
from kindergarten_portal.files.media import NO_STORE, file_response
from kindergarten_portal.lists.pagination import page_of
from kindergarten_portal.sheets.xlsx_out import xlsx_response
from kindergarten_portal.tenancy import kindergarten_of, public_list, public_page
from kindergarten_portal.typography import gendered as gendered_message
from kindergarten_portal.typography import inner_quotes
from staff.academic import AcademicYear
from staff.access import self_service_teacher
from staff.dates import add_months
from staff.models import Employee
from staff.services import employee_results_name_consent

from . import documents, selectors, services
from .access import events_visible_to, get_own_participation, teacher_of_certificates_link, teacher_or_none
from .feeds import ResultsFeed, calendar_response
from .forms import EventFilterForm, ExternalRegistrationForm, ResultsNameConsentForm, SharingDoneForm
from .importing import plan_workbook
from .models import CalendarToken, Event, EventPhoto, EventStatus, Participation, ParticipationStatus
from .presentation import event_facts, event_places_line, event_when, signup_for

# Public registration: attempts per client address and event per hour (each may mail a confirmation).
REGISTRATION_LIMIT = settings.EVENT_REGISTRATION_LIMIT
REGISTRATION_WINDOW = 60 * 60
RESULTS_PAGE_SIZE = 20  # published results per page, newest first
# Session key: {event pk: e-mail} of the registrations made in this browser, for the confirmation.
REGISTERED_SESSION_KEY = "events_registered"


# What the sign-up templates read of a teacher's participation, for an event she has none of.
NO_PARTICIPATION = SimpleNamespace(pk=None, status="", is_recommended=False)


def _validation_messages(exc):
    return [str(m) for m in exc.messages]


def _month_or_404(year, month):
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise Http404
    return datetime.date(year, month, 1)


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


# ---------------------------------------------------------------- the plan (signed in)


@login_required
def plan(request):
    """Next month's plan: what teachers choose from at the end of each month."""
    following = add_months(timezone.localdate().replace(day=1), 1)
    url = reverse("events:month", args=[following.year, following.month])
    if request.GET:
        url += "?" + request.GET.urlencode()
    return redirect(url)


def _month_context(request, year, month, *, list_rows=True):
    """The month's events with what a row shows: the list's time, facts, places and sign-up block,
    or with `list_rows` False (the calendar) only the time of day."""
    first_day = _month_or_404(year, month)
    teacher = teacher_or_none(request.user)
    base = selectors.events_of_month(year=year, month=month, teacher=teacher)
    event_filter = EventFilterForm(request.GET or None)
    events = list(event_filter.filter(base))
    for event in events:
        # Each row's state, worked out once here: the templates look at `my_participation` (a row
        # without one gets NO_PARTICIPATION, so no lookup in the loop fails and raises inside the
        # engine) and print `signup` (events.presentation).
        mine = getattr(event, "my_participations", None)
        event.my_participation = mine[0] if mine else NO_PARTICIPATION
        event.url = reverse("events:detail", args=[event.pk])
        if not list_rows:
            event.time = timezone.localtime(event.start).strftime("%H:%M")
            continue
        event.facts = event_facts(event)
        event.when = event_when(event)
        event.places_line = event_places_line(event)
        if teacher is not None:
            event.signup = signup_for(event, mine[0] if mine else None, request=request)
    previous, following = add_months(first_day, -1), add_months(first_day, 1)
    # Blank choices ("any") in the query are no filter.
    filtered = event_filter.narrows
    return {
        "filtered": filtered,
        "first_day": first_day,
        "year": year,
        "month": month,
        "teacher": teacher,
        "events": events,
        "previous": previous,
        "following": following,
        "query": request.GET.urlencode(),
        "filter_selects": event_filter.selects(),
        "now": timezone.now(),
        "can_export": can_read_everything(request.user),
    }


@login_required
def month(request, year, month):
    context = _month_context(request, year, month)
    return render(request, "events/month.html", context)


@role_required(can_read_everything)
def month_xlsx(request, year, month):
    """The month's plan as a workbook in the import's own layout (imported back, it changes nothing)."""
    _month_or_404(year, month)
    events = selectors.events_of_month(year=year, month=month)
    content = plan_workbook(events, kindergarten=kindergarten_of(request.user))
    return xlsx_response(content, f"plan-{year}-{month:02d}.xlsx")


@login_required
def month_calendar(request, year, month):
    context = _month_context(request, year, month, list_rows=False)
    by_day = {}
    for event in context["events"]:
        by_day.setdefault(timezone.localdate(event.start), []).append(event)
    weeks = [
        [{"day": day, "in_month": day.month == month, "events": by_day.get(day, [])} for day in week]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    context["weeks"] = weeks
    # Phones get the days that have events as a list: seven columns do not fit 390 px.
    context["agenda"] = [{"day": day, "events": by_day[day]} for day in sorted(by_day)]
    context["weekdays"] = [datetime.date(2024, 1, 1) + datetime.timedelta(days=i) for i in range(7)]
    context["today"] = timezone.localdate()
    context["signed_up_word"] = gendered_message("signed up", getattr(context["teacher"], "sex", ""))
    return render(request, "events/calendar.html", context)


@login_required
def month_print(request, year, month):
    """The month's plan to print for the wall: every event of the month on A4, no filters."""
    first_day = _month_or_404(year, month)
    teacher_or_none(request.user)  # a former teacher no longer sees the plan
    events = list(selectors.events_of_month(year=year, month=month))
    return render(
        request,
        "events/month_print.html",
        {
            "first_day": first_day,
            "year": year,
            "month": month,
            "events": events,
            "kindergarten": kindergarten_of(request.user) or selectors.own_kindergarten(),
            "now": timezone.now(),
        },
    )


@login_required
def detail(request, pk):
    teacher = teacher_or_none(request.user)
    try:
        event = selectors.event_for_page(
            pk=pk, teacher=teacher, include_drafts=can_read_everything(request.user)
        )
    except Event.DoesNotExist as exc:
        raise Http404 from exc
    participation = event.my_participations[0] if teacher and event.my_participations else None
    signup = signup_for(event, participation, request=request) if teacher else None
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "teacher": teacher,
            "participation": participation,
            "signup": signup,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def sign_up(request, pk):
    teacher = self_service_teacher(request.user)
    event = get_object_or_404(events_visible_to(request.user), pk=pk)
    try:
        participation = services.participation_sign_up(event=event, teacher=teacher)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
    else:
        if participation.status == ParticipationStatus.WAITING:
            messages.warning(
                request,
                _(
                    "The event is full: you are on the waiting list, place No. %(position)s. The place becomes "
                    "yours automatically only if enough colleagues cancel before the sign-up deadline "
                    "(%(deadline)s); then we tell you by e-mail."
                )
                % {
                    "position": selectors.waiting_position(participation),
                    "deadline": date_format(timezone.localtime(event.deadline), "d.m.Y H:i"),
                },
            )
        else:
            messages.success(
                request, _("You are signed up for «%(title)s».") % {"title": inner_quotes(event.title)}
            )
    return redirect(_safe_next(request, reverse("events:detail", args=[event.pk])))


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request, pk):
    """GET asks for confirmation and says what becomes of the place; POST cancels."""
    teacher = self_service_teacher(request.user)
    participation = get_object_or_404(
        selectors.with_waiting_position(Participation.objects.select_related("event__organizer")),
        event_id=pk,
        teacher=teacher,
    )
    next_url = _safe_next(request, reverse("events:detail", args=[pk]))
    if request.method == "GET":
        event = participation.event
        return render(
            request,
            "events/cancel_confirm.html",
            {
                "event": event,
                "participation": participation,
                "can_cancel": participation.status
                in (ParticipationStatus.SIGNED_UP, ParticipationStatus.WAITING)
                and event.signup_is_open,
                "waiting_count": selectors.waiting_list_length(event),
                "next": next_url,
            },
        )
    try:
        services.participation_cancel(participation=participation)
    except ValidationError as exc:
        for message in _validation_messages(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Your sign-up for «%(title)s» is cancelled.")
            % {"title": inner_quotes(participation.event.title)},
        )
    return redirect(next_url)


# ---------------------------------------------------------------- my events


@login_required
def my_events(request):
    teacher = self_service_teacher(request.user)
    try:
        year = AcademicYear.from_label(request.GET.get("year", ""))
    except ValueError:
        year = None  # the current academic year
    lists = selectors.my_events(teacher=teacher, year=year)
    for participation in lists["recommended"]:
        participation.signup = signup_for(participation.event, participation, request=request)
    return render(
        request,
        "events/my_events.html",
        {"teacher": teacher, "today": timezone.localdate(), **lists},
    )


@login_required
@require_http_methods(["GET", "POST"])
def sharing(request, pk):
    participation = get_own_participation(request.user, pk)
    if participation.sharing_due is None:
        raise Http404
    form = SharingDoneForm(request.POST or None)
    if request.method == "POST" and participation.sharing_done is None and form.is_valid():
        try:
            services.sharing_mark_done(
                participation=participation,
                done_on=form.cleaned_data["done_on"],
                account=form.cleaned_data["account"],
                form=form.cleaned_data["form"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you: the experience sharing is recorded. The portfolio entry waits for the "
                    "senior educator's review."
                ),
            )
            return redirect("events:my")
    return render(request, "events/sharing_form.html", {"participation": participation, "form": form})


@login_required
def my_calendar(request):
    teacher = self_service_teacher(request.user)
    token = services.calendar_token_get(employee=teacher)
    feed_url = request.build_absolute_uri(reverse("events:personal_ics", args=[token.token]))
    # Phones open a webcal:// address in their calendar app, which subscribes to it.
    webcal_url = "webcal://" + feed_url.split("://", 1)[1]
    return render(
        request,
        "events/my_calendar.html",
        {"feed_url": feed_url, "webcal_url": webcal_url, "token": token},
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar_regenerate(request):
    """GET asks for confirmation (the calendars subscribed to the old address stop updating);
    POST makes the new address."""
    teacher = self_service_teacher(request.user)
    if request.method == "POST":
        services.calendar_token_regenerate(employee=teacher)
        messages.success(request, _("A new address is made; the old one no longer works."))
        return redirect("events:my_calendar")
    return render(request, "events/my_calendar_regenerate.html")


@public_page
def personal_ics(request, token):
    """A teacher's own events; the secret address is the only key (calendar apps cannot sign in)."""
    # The address stops working once she is no longer on the staff.
    tokens = CalendarToken.objects.filter(employee__in=Employee.objects.current())
    token = get_object_or_404(tokens.select_related("employee"), token=token)
    events = selectors.events_of_teacher_calendar(teacher=token.employee)
    name = _("My events — %(name)s") % {"name": token.employee.short_name}
    response = calendar_response(request, events, name=name, public=False)
    response["Cache-Control"] = NO_STORE  # hers alone, reached by its secret address
    return response


@login_required
def my_certificate(request, pk):
    """The teacher's own certificate of an attended event (issued on the first download)."""
    participation = get_own_participation(request.user, pk)
    if participation.status != ParticipationStatus.ATTENDED:
        raise Http404
    certificate = services.certificate_issue(participation=participation)
    if certificate.is_revoked:
        raise Http404
    certificate = selectors.certificates_with_holders().get(pk=certificate.pk)
    content = documents.certificates_pdf([certificate], request=request)
    return documents.pdf_response(content, f"certificate-{certificate.number}.pdf")


# ---------------------------------------------------------------- public pages


@public_page
def external_certificate(request, token):
    """An external participant's certificate: the secret address is the key (she has no account).
    The link is meant for her e-mail."""
    certificates = selectors.certificates_with_holders().filter(
        external_participant__isnull=False, external_participant__attended=True, revoked_at__isnull=True
    )
    certificate = get_object_or_404(certificates, token=token)
    content = documents.certificates_pdf([certificate], request=request)
    return documents.pdf_response(content, f"certificate-{certificate.number}.pdf")


def _secret_link_answer(response):
    """A page or file reached by a teacher's signed link: hers alone, so kept by no proxy or shared
    browser, and never indexed (a link may end up in a search engine through a forwarded mail)."""
    response["Cache-Control"] = NO_STORE
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _certificates_link_unknown(request):
    return _secret_link_answer(render(request, "events/teacher_certificates_unknown.html", status=404))


@public_page
def teacher_certificates(request, token):
    """A teacher's own certificates by the signed link e-mailed when her dismissal date is entered:
    no sign-in, since her account no longer opens her pages. Read live: a certificate of attendance
    marked after she left is here too."""
    teacher = teacher_of_certificates_link(token)
    if teacher is None:
        return _certificates_link_unknown(request)
    certificates = services.teacher_certificates_issue(teacher=teacher)
    return _secret_link_answer(
        render(
            request,
            "events/teacher_certificates.html",
            {"teacher": teacher, "token": token, "certificates": certificates},
        )
    )


@public_page
def teacher_certificate(request, token, pk):
    """One certificate (PDF) from a teacher's certificates page; not a revoked one, nor anyone else's."""
    teacher = teacher_of_certificates_link(token)
    if teacher is None:
        return _certificates_link_unknown(request)
    certificates = selectors.teacher_certificates(teacher=teacher).filter(revoked_at__isnull=True)
    certificate = get_object_or_404(certificates, pk=pk)
    content = documents.certificates_pdf([certificate], request=request)
    return _secret_link_answer(documents.pdf_response(content, f"certificate-{certificate.number}.pdf"))


@public_page
def certificate_verify(request, number, code):
    """What the QR code of a certificate opens: that it is genuine (or revoked), with the holder's
    initials and surname, the event and its date — nothing more."""
    certificate = selectors.certificates_with_holders().filter(number=number, check_code=code).first()
    if certificate is None:
        # Said plainly, with the status of a missing page: a made-up number or code is no certificate.
        return render(request, "events/certificate_unknown.html", {"number": number}, status=404)
    return render(
        request,
        "events/certificate_verify.html",
        {
            "certificate": certificate,
            "holder": documents.certificate_holder_short(certificate),
            "event": documents.certificate_event(certificate),
        },
    )


@cached_public_page()
@public_list
def open_events(request):
    events = list(selectors.upcoming_open_events())
    return render(request, "events/open_list.html", {"events": events, "now": timezone.now()})


def _over_rate_limit(request, event):
    """Count this registration attempt for the client address and the event; True once over the
    hourly limit. Per event, so one busy event does not close registration for the others."""
    key = f"events:register:{event.pk}:{client_address(request)}"
    attempts = count_attempt(key, window=REGISTRATION_WINDOW)
    return attempts > REGISTRATION_LIMIT


@public_page
@require_http_methods(["GET", "POST"])
def open_event_detail(request, pk):
    event = get_object_or_404(selectors.with_places(selectors.public_open_events()), pk=pk)
    form = ExternalRegistrationForm(
        request.POST or None, operator=selectors.personal_data_operator(event.host)
    )
    status = 200
    if request.method == "POST":
        if _over_rate_limit(request, event):
            form.add_error(None, _("Too many registrations from your address. Please try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.external_register(
                    event=event,
                    full_name=data["full_name"],
                    organization=data["organization"],
                    position=data["position"],
                    email=data["email"],
                    consent=data["consent"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                # Post/redirect/get: reloading the confirmation must not submit again. The address
                # stays in the session, not in the URL.
                registered = request.session.get(REGISTERED_SESSION_KEY, {})
                registered[str(event.pk)] = data["email"]
                request.session[REGISTERED_SESSION_KEY] = registered
                return redirect("events:open_registered", pk=event.pk)
    return render(
        request,
        "events/open_detail.html",
        {"event": event, "form": form, "signup_open": event.is_signup_open()},
        status=status,
    )


@public_page
def open_registered(request, pk):
    """The confirmation of a registration made in this session; there is nothing to show otherwise."""
    email = request.session.get(REGISTERED_SESSION_KEY, {}).get(str(pk))
    if email is None:
        raise Http404
    event = get_object_or_404(selectors.public_open_events(), pk=pk)
    return render(request, "events/open_registered.html", {"event": event, "email": email})


@cached_public_page()
@public_list
def open_ics(request):
    return calendar_response(request, selectors.open_calendar_events(), name=_("Open events"), public=True)


# The results' Atom feed: a public list like the one it follows.
results_feed = cached_public_page()(public_list(ResultsFeed()))


@cached_public_page("page")
@public_list
def results(request):
    page = page_of(request, selectors.published_results(), RESULTS_PAGE_SIZE)
    events = selectors.name_participants_publicly(list(page), on=timezone.localdate())
    return render(request, "events/results.html", {"events": events, "page_obj": page})


@public_page
@cached_public_page()
def result_detail(request, pk):
    event = get_object_or_404(selectors.published_results(), pk=pk)
    selectors.name_participants_publicly([event], on=timezone.localdate())
    return render(request, "events/result_detail.html", {"event": event})


def photo(request, pk):
    """A photo of an event: public once the results are published, else for the office only."""
    published = Q(event__status=EventStatus.HELD, event__results_published=True)
    if can_read_everything(request.user):
        # Her kindergarten's photos (the request's scope), and the published ones of any.
        published |= Q(pk__in=EventPhoto.objects.values("pk"))
    event_photo = get_object_or_404(EventPhoto.objects.with_scopes_disabled().filter(published), pk=pk)
    return file_response(event_photo.image, content_type="image/jpeg")


@login_required
@require_http_methods(["GET", "POST"])
def my_results_name_consent(request):
    """Her consent to her name in published event results: given or withdrawn with one button."""
    employee = self_service_teacher(request.user)
    form = ResultsNameConsentForm(
        request.POST if request.method == "POST" else None,  # an unticked box posts nothing
        initial={"consent": bool(employee.results_name_consent_at)},
        operator=selectors.personal_data_operator(employee.organization),
    )
    if request.method == "POST" and form.is_valid():
        given = form.cleaned_data["consent"]
        employee_results_name_consent(employee=employee, given=given)
        if given:
            messages.success(request, _("Your name will be shown in published event results."))
        else:
            messages.success(
                request, _("Your name is taken off published event results: they show your position only.")
            )
        return redirect("staff:my_page")
    return render(request, "events/results_name_consent.html", {"form": form, "employee": employee})
