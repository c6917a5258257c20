from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from kindergarten_portal.admin_messages import FEMININE, MASCULINE, NEUTER, AgreeingMessagesMixin
from kindergarten_portal.kindergartens import kindergarten_create
from kindergarten_portal.lists.admin_lists import LongListMixin, RelatedSearchMixin
from kindergarten_portal.models import NetworkMembership, Organization, overlap_error
from kindergarten_portal.sheets.imports import ImportAdminMixin
from kindergarten_portal.sheets.xlsx_out import xlsx_response
from kindergarten_portal.tenancy import KindergartenRecordMixin, kindergarten_of, office_kindergarten
from kindergarten_portal.typography import full_stop, inner_quotes
from staff.admin import EmployeeAdmin as StaffEmployeeAdmin
from staff.dates import add_months
from staff.models import Employee

from . import documents
from .forms import (
    AttendanceForm,
    CertificateRevokeForm,
    EventPhotoForm,
    KindergartenCreateForm,
    ParticipantsAddForm,
    RecommendForm,
)
from .importing import event_import, event_import_template, plan_workbook
from .models import (
    Direction,
    Event,
    EventCertificate,
    EventPhoto,
    ExternalParticipant,
    Participation,
    ParticipationStatus,
    PublishedPlan,
    Series,
)
from .selectors import (
    NOT_SIGNED_UP,
    attendance_rows,
    organizations_with_membership,
    sign_in_sheet_rows,
    with_places,
)
from .services import (
    attendance_check_started,
    attendance_mark,
    attendance_unmark,
    certificate_revoke,
    certificates_link_refusal,
    certificates_link_send,
    event_attendance_record,
    event_certificates_issue,
    event_copy,
    event_fill_from_waiting_list,
    external_attendance_mark,
    participants_add,
    plan_publish,
    recommend_events,
)

# Links typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


def _local(moment):
    return date_filter(timezone.localtime(moment), "d.m.Y H:i") if moment else "—"


class NetworkMembershipInlineFormSet(BaseInlineFormSet):
    """Refuses overlapping periods, compared as edited on the page (the inline lists them all)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.instance.check_stored_overlaps = False

    def clean(self):
        super().clean()
        periods = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data") and not form.errors and form.cleaned_data.get("joined")
        ]
        for n, form in enumerate(periods):
            for earlier in periods[:n]:
                if form.instance.overlaps(earlier.instance):
                    form.add_error("joined", overlap_error(earlier.instance))
                    break


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    formset = NetworkMembershipInlineFormSet
    extra = 0
    fields = ["joined", "left", "agreement_number", "agreement_date"]

    def has_delete_permission(self, request, obj=None):
        # Membership history is kept: a partner that leaves gets a «left» date instead.
        return False


class MembershipFilter(admin.SimpleListFilter):
    title = _("network membership")
    parameter_name = "member"

    def lookups(self, request, model_admin):
        return (("yes", _("in the network now")), ("no", _("not in the network now")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(active_periods__gt=0)
        if self.value() == "no":
            return queryset.filter(active_periods=0)
        return queryset


@admin.register(Organization)
class OrganizationAdmin(AgreeingMessagesMixin, admin.ModelAdmin):
    gender = FEMININE
    counted = ngettext_lazy("%(count)d organization", "%(count)d organizations", "count")
    formfield_overrides = URL_FIELDS
    list_display = ["name", "kind", "is_own", "member_column", "contact_person", "phone"]
    list_filter = [MembershipFilter, "kind", "is_own"]
    search_fields = ["name", "short_name", "contact_person", "email"]
    inlines = [NetworkMembershipInline]
    fieldsets = [
        (None, {"fields": [("name", "short_name"), ("kind", "is_own")]}),
        # Our kindergarten's name, address and head print on the month's plan, sign-in sheets,
        # certificates and consent texts: edited here, in one place.
        (_("Our kindergarten"), {"fields": ["head_name", "slug"]}),
        (_("Contacts"), {"fields": ["address", ("contact_person", "phone"), ("email", "website")]}),
    ]

    def get_queryset(self, request):
        return organizations_with_membership()

    @admin.display(description=_("in the network now"), boolean=True, ordering="active_periods")
    def member_column(self, obj):
        return obj.active_periods > 0

    def has_delete_permission(self, request, obj=None):
        # Partners join and leave; nothing of their history is deleted.
        return False

    def has_kindergarten_create_permission(self, request):
        """Putting a kindergarten on the portal is the city administrator's (a superuser's)."""
        return request.user.is_superuser

    def get_urls(self):
        own = [
            path(
                "add-kindergarten/",
                self.admin_site.admin_view(self.kindergarten_create_view),
                name="kindergarten_portal_organization_add_kindergarten",
            ),
        ]
        return own + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_add_kindergarten": self.has_kindergarten_create_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def kindergarten_create_view(self, request):
        """A kindergarten on the portal with its first senior educator, e-mailed her set-password link."""
        if not self.has_kindergarten_create_permission(request):
            raise PermissionDenied
        form = KindergartenCreateForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                made = kindergarten_create(**form.cleaned_data, base_url=request.build_absolute_uri("/"))
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    _(
                        "The kindergarten «%(name)s» is on the portal at the address %(slug)s; its senior "
                        "educator %(username)s is e-mailed a link to set her password."
                    )
                    % {
                        "name": inner_quotes(made.kindergarten.name),
                        "slug": made.kindergarten.slug,
                        "username": made.senior_educator.username,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:kindergarten_portal_organization_change", made.kindergarten.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add a kindergarten to the portal"),
            "form": form,
            "media": self.media + form.media,
        }
        return render(request, "admin/kindergarten_portal/organization/kindergarten_add.html", context)


@admin.register(Direction)
class DirectionAdmin(AgreeingMessagesMixin, admin.ModelAdmin):
    gender = NEUTER
    counted = ngettext_lazy(
        "%(count)d direction of interaction", "%(count)d directions of interaction", "count"
    )
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Series)
class SeriesAdmin(KindergartenRecordMixin, AgreeingMessagesMixin, admin.ModelAdmin):
    kindergarten_field = "host"
    gender = MASCULINE
    counted = ngettext_lazy("%(count)d year-long series", "%(count)d year-long series", "count")
    list_display = ["theme", "academic_year_column", "lead", "direction"]
    list_filter = ["academic_year", "direction"]
    list_select_related = ["lead", "direction"]
    search_fields = ["theme"]
    autocomplete_fields = ["lead"]
    filter_horizontal = ["initiative_group"]

    @admin.display(description=_("academic year"), ordering="academic_year")
    def academic_year_column(self, obj):
        return obj.academic_year_display


class LoadedRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id input labelled from the object its row already loaded (`loaded`), where Django's
    own widget runs one query per row to find the label."""

    loaded = None

    def label_and_url_for_value(self, value):
        obj = self.loaded
        if obj is None or str(obj.pk) != str(value):
            return super().label_and_url_for_value(value)
        try:
            url = reverse(
                f"{self.admin_site.name}:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk]
            )
        except NoReverseMatch:
            url = ""
        return Truncator(obj).words(14), url


# A status the admin may choose that is attendance: it is marked by services.attendance_mark
# (the "event has started" rule, the experience-sharing follow-up), never saved as typed.
ATTENDANCE = {ParticipationStatus.ATTENDED: True, ParticipationStatus.ABSENT: False}


def _status_by_service(form):
    """The new status when the form marks attendance (attended, absent) or takes «attended» back
    (services.attendance_unmark, which drops the experience-sharing follow-up), else None."""
    if "status" not in form.changed_data or form.cleaned_data.get("DELETE"):
        return None
    status = form.cleaned_data.get("status")
    if status in ATTENDANCE or form["status"].initial == ParticipationStatus.ATTENDED:
        return status
    return None


def _attendance_in(form):
    """True (attended) or False (absent) when the form changes the status to attendance, else None."""
    return ATTENDANCE.get(_status_by_service(form))


def _hold_back_attendance(forms):
    """Keep the previous status in the rows about to be saved; returns the rows per new status,
    for the services to set after."""
    marks = {}
    for form in forms:
        status = _status_by_service(form)
        if status is not None:
            form.instance.status = form["status"].initial
            marks.setdefault(status, []).append(form.instance)
    return marks


def _mark_held_back_attendance(marks):
    for status, rows in marks.items():
        participations = Participation.objects.filter(pk__in=[row.pk for row in rows])
        if status in ATTENDANCE:
            attendance_mark(participations=participations, attended=ATTENDANCE[status])
        else:
            attendance_unmark(participations=participations, status=status)


class ParticipationAdminForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        teacher = self.fields.get("teacher")
        if teacher is not None and isinstance(teacher.widget, LoadedRawIdWidget) and self.instance.teacher_id:
            teacher.widget.loaded = self.instance.teacher

    def clean(self):
        cleaned = super().clean()
        # On the event's page the event is the inline's parent: ParticipationInlineFormSet checks it.
        event = cleaned.get("event")
        if event is not None and _attendance_in(self) is not None:
            try:
                attendance_check_started(events=[event])
            except ValidationError as exc:
                self.add_error("status", exc)
        return cleaned


class ParticipationInlineFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.forms:
            if hasattr(form, "cleaned_data") and _attendance_in(form) is not None:
                try:
                    attendance_check_started(events=[self.instance])  # with the start as just edited
                except ValidationError as exc:
                    form.add_error("status", exc)


class ParticipationInline(admin.TabularInline):
    model = Participation
    form = ParticipationAdminForm
    formset = ParticipationInlineFormSet
    extra = 0
    fields = [
        "teacher",
        "role",
        "status",
        "recommendation_reason",
        "recommendation_area",
        "sharing_due",
        "sharing_done",
    ]
    # Not autocomplete: its widget looks up the chosen teacher once per row.
    raw_id_fields = ["teacher"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "teacher":
            kwargs["widget"] = LoadedRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # Each row shows the participation's name, which reads the teacher and the event.
        return super().get_queryset(request).select_related("teacher", "event")


class ExternalParticipantInline(admin.TabularInline):
    model = ExternalParticipant
    extra = 0
    fields = ["full_name", "organization", "position", "email", "consent_at", "attended"]
    readonly_fields = ["consent_at"]

    def has_add_permission(self, request, obj=None):
        # They register themselves on the public page, giving their consent there.
        return False


class EventPhotoInline(admin.TabularInline):
    model = EventPhoto
    form = EventPhotoForm
    extra = 0


class OrganizerKindFilter(admin.SimpleListFilter):
    title = _("organizer")
    parameter_name = "internal"

    def lookups(self, request, model_admin):
        return (("yes", _("our kindergarten")), ("no", _("external")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(organizer=F("host"))
        if self.value() == "no":
            return queryset.exclude(organizer=F("host"))
        return queryset


@admin.register(Event)
class EventAdmin(
    KindergartenRecordMixin, AgreeingMessagesMixin, LongListMixin, ImportAdminMixin, admin.ModelAdmin
):
    kindergarten_field = "host"
    gender = NEUTER
    counted = ngettext_lazy("%(count)d event", "%(count)d events", "count")
    import_service = staticmethod(event_import)
    import_template = staticmethod(event_import_template)
    import_template_filename = "events-plan-template.xlsx"
    import_title = _("Import a month's plan from Excel")
    import_page = "admin/events/event/import.html"
    change_form_template = "admin/events/event/change_form.html"
    formfield_overrides = URL_FIELDS
    change_list_template = "admin/events/event/change_list.html"
    change_form_template = "admin/events/event/change_form.html"
    list_display = [
        "title",
        "start_column",
        "format",
        "level",
        "organizer",
        "status",
        "places_column",
        "is_open",
        "results_published",
    ]
    list_filter = ["status", "format", "level", OrganizerKindFilter, "is_open", "series", "direction"]
    search_fields = ["title", "description", "place"]
    date_hierarchy = "start"
    inlines = [ParticipationInline, ExternalParticipantInline, EventPhotoInline]
    filter_horizontal = ["co_organizers"]
    autocomplete_fields = ["organizer", "series"]
    actions = ["copy_events", "recommend_action", "mark_attended", "publish_plans", "export_plan"]
    fieldsets = [
        (None, {"fields": ["title", ("format", "level"), "status", ("organizer", "co_organizers")]}),
        (_("When and where"), {"fields": [("start", "end", "hours"), "place", "online_link"]}),
        (_("Sign-up"), {"fields": [("capacity", "signup_deadline"), "is_open", "audience", "responsible"]}),
        (_("About"), {"fields": ["description", ("series", "direction")]}),
        (_("Results"), {"fields": ["results_text", "results_published", "unnamed_participants"]}),
    ]
    readonly_fields = ["unnamed_participants"]

    def get_queryset(self, request):
        return with_places(super().get_queryset(request).select_related("organizer"))

    @admin.display(description=_("shown without their name"))
    def unnamed_participants(self, obj):
        """Who the published results will not name: attended, but without her consent to it (or
        dismissed). The office sees it before it publishes."""
        if obj.pk is None:
            return "—"
        today = timezone.localdate()
        attended = obj.participations.filter(status=ParticipationStatus.ATTENDED).select_related("teacher")
        unnamed = [p.teacher.short_name for p in attended if not p.teacher.name_is_public(today)]
        if not unnamed:
            return _("Everyone who attended consented to their name in the published results.")
        return _("%(names)s: the published results show their position and kindergarten instead.") % {
            "names": ", ".join(unnamed)
        }

    @admin.display(description=_("start"), ordering="start")
    def start_column(self, obj):
        return _local(obj.start)

    @admin.display(description=_("places taken"))
    def places_column(self, obj):
        taken = obj.places_taken
        return f"{taken} / {obj.capacity}" if obj.capacity is not None else str(taken)

    def save_formset(self, request, form, formset, change):
        if formset.model is ExternalParticipant:
            super().save_formset(request, form, formset, change)
            # Ticked as attended here: her certificate is issued and its link e-mailed to her.
            came = [f.instance for f in formset.forms if "attended" in f.changed_data and f.instance.attended]
            external_attendance_mark(externals=came)
            return None
        if formset.model is not Participation:
            return super().save_formset(request, form, formset, change)
        marks = _hold_back_attendance(formset.forms)
        super().save_formset(request, form, formset, change)
        _mark_held_back_attendance(marks)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A larger capacity or a cancellation entered here frees places for the waiting list.
        promoted = event_fill_from_waiting_list(event=form.instance)
        if promoted:
            names = ", ".join(p.teacher.short_name for p in promoted)
            messages.info(
                request, full_stop(_("From the waiting list, now signed up: %(names)s") % {"names": names})
            )

    def participants_add_view(self, request, pk):
        """Walk-ins by name: several teachers at once, with their role, marked attended if she says so."""
        event = self.get_object(request, str(pk))
        if event is None:
            raise Http404
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        form = ParticipantsAddForm(request.POST or None, admin_site=self.admin_site)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                added = participants_add(
                    event=event, teachers=data["teachers"], role=data["role"], attended=data["attended"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(
                    request,
                    full_stop(
                        _("Participants added: %(names)s")
                        % {"names": ", ".join(p.teacher.short_name for p in added)}
                    ),
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:events_event_change", args=[event.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add participants by name"),
            "event": event,
            "form": form,
            "media": self.media + form.media,
        }
        return render(request, "admin/events/event/participants_add.html", context)

    def attendance_view(self, request, pk):
        """The event's attendance in one list of ticks, walk-ins found by name, one save that marks
        everyone and issues the certificates (services.event_attendance_record)."""
        event = self.get_object(request, str(pk))
        if event is None:
            raise Http404
        if not (
            self.has_change_permission(request, event)
            and request.user.has_perm("events.change_participation")
        ):
            raise PermissionDenied
        form = AttendanceForm(
            # Everyone unticked is a valid answer, and it sends no field.
            request.POST if request.method == "POST" else None,
            rows=attendance_rows(event=event),
            admin_site=self.admin_site,
        )
        if request.method == "POST" and form.is_valid():
            try:
                record = event_attendance_record(
                    event=event,
                    attended=form.cleaned_data["attended"],
                    walk_ins=form.cleaned_data["walk_ins"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                self.message_user(request, _attendance_message(record), messages.SUCCESS)
                return redirect("admin:events_event_attendance", event.pk)
        ticked = form.ticked()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Mark attendance"),
            "event": event,
            "form": form,
            "rows": [(row, row.pk in ticked, row.status in NOT_SIGNED_UP) for row in form.rows],
            "all_ticked": bool(form.rows) and all(row.pk in ticked for row in form.rows),
            "not_started": event.start > timezone.now(),
            "can_print": any(row.status == ParticipationStatus.ATTENDED for row in form.rows),
            "media": self.media + form.media,
        }
        return render(request, "admin/events/event/attendance.html", context)

    @admin.action(
        description=_("Export selected events to Excel (the import's layout)"), permissions=["view"]
    )
    def export_plan(self, request, queryset):
        events = queryset.select_related("organizer", "series", "direction").order_by("start", "pk")
        content = plan_workbook(events, kindergarten=kindergarten_of(request.user))
        return xlsx_response(content, f"plan-{timezone.localdate():%Y-%m-%d}.xlsx")

    @admin.action(description=_("Copy selected events (as drafts)"), permissions=["add"])
    def copy_events(self, request, queryset):
        copies = [event_copy(event=event) for event in queryset.prefetch_related("co_organizers")]
        self.message_user(
            request,
            ngettext("%(count)d draft copy made.", "%(count)d draft copies made.", len(copies))
            % {"count": len(copies)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Recommend selected events to teachers"), permissions=["change"])
    def recommend_action(self, request, queryset):
        events = list(queryset.order_by("start"))
        form = RecommendForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                recommend_events(
                    events=events,
                    teachers=data["teachers"],
                    reason=data["reason"],
                    area=data["area"],
                    comment=data["comment"],
                    recommended_by=request.user,
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                _("Recommended %(events)s %(teachers)s; they are notified by e-mail.")
                % {
                    "events": self.counted % {"count": len(events)},
                    "teachers": ngettext(
                        "to %(count)d teacher", "to %(count)d teachers", len(data["teachers"])
                    )
                    % {"count": len(data["teachers"])},
                },
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Recommend events to teachers"),
            "events": events,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/events/event/recommend.html", context)

    @admin.action(description=_("Mark everyone signed up as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        participations = Participation.objects.filter(
            event__in=queryset, status=ParticipationStatus.SIGNED_UP
        )
        try:
            count = attendance_mark(participations=participations, attended=True)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, _("Attendance marked: %(count)d.") % {"count": count}, messages.SUCCESS)

    @admin.action(
        description=_("Publish the plan of the selected events' months (e-mail it to teachers)"),
        permissions=["publish_plans"],
    )
    def publish_plans(self, request, queryset):
        starts = (timezone.localtime(start) for start in queryset.values_list("start", flat=True))
        months = sorted({(start.year, start.month) for start in starts})
        for year, month in months:
            self._publish(request, year, month)

    def has_publish_plans_permission(self, request):
        return request.user.has_perm("events.add_publishedplan")

    def _publish(self, request, year, month):
        plan, created = plan_publish(
            year=year, month=month, published_by=request.user, organization=office_kindergarten(request.user)
        )
        month_name = date_filter(plan.first_day, "F Y")
        if created:
            self.message_user(
                request,
                _("The plan of %(month)s is published: teachers get it by e-mail shortly.")
                % {"month": month_name},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("The plan of %(month)s was already published on %(date)s.")
                % {"month": month_name, "date": date_filter(timezone.localtime(plan.published_at), "d.m.Y")},
                messages.WARNING,
            )

    def changelist_view(self, request, extra_context=None):
        following = add_months(timezone.localdate().replace(day=1), 1)
        extra_context = {
            **(extra_context or {}),
            "next_plan_month": following,
            "next_plan_published": PublishedPlan.objects.filter(
                year=following.year, month=following.month
            ).first(),
            "can_publish_plan": self.has_publish_plans_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def publish_next_plan_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_publish_plans_permission(request):
            raise PermissionDenied
        following = add_months(timezone.localdate().replace(day=1), 1)
        self._publish(request, following.year, following.month)
        return redirect("admin:events_event_changelist")

    def get_urls(self):
        own = [
            path(
                "publish-next-plan/",
                self.admin_site.admin_view(self.publish_next_plan_view),
                name="events_event_publish_next_plan",
            ),
            path(
                "<int:pk>/participants/",
                self.admin_site.admin_view(self.participants_add_view),
                name="events_event_participants_add",
            ),
            path(
                "<int:pk>/attendance/",
                self.admin_site.admin_view(self.attendance_view),
                name="events_event_attendance",
            ),
            path(
                "<path:object_id>/sign-in-sheet/",
                self.admin_site.admin_view(self.sign_in_sheet_view),
                name="events_event_sign_in_sheet",
            ),
            path(
                "<path:object_id>/certificates/",
                self.admin_site.admin_view(self.certificates_view),
                name="events_event_certificates",
            ),
        ]
        return own + super().get_urls()

    def sign_in_sheet_view(self, request, object_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        event = get_object_or_404(Event.objects.select_related("organizer", "host"), pk=object_id)
        participations, externals = sign_in_sheet_rows(event=event)
        content = documents.sign_in_sheet_pdf(event=event, participations=participations, externals=externals)
        return documents.pdf_response(content, f"sign-in-sheet-{event.pk}.pdf")

    def certificates_view(self, request, object_id):
        """Every attendance certificate of the event in one PDF (issuing those not issued yet)."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        event = get_object_or_404(Event, pk=object_id)
        certificates = event_certificates_issue(event=event)
        if not certificates:
            messages.warning(
                request, _("No one is marked as attended yet: there are no certificates to print.")
            )
            return redirect("admin:events_event_change", event.pk)
        content = documents.certificates_pdf(certificates, request=request)
        return documents.pdf_response(content, f"certificates-{event.pk}.pdf")


def _attendance_message(record):
    """«Отмечено посещение: 10 педагогов. Отсутствовали: 2 педагога. Сертификатов к печати: 10.»"""
    parts = [
        ngettext(
            "Attendance marked: %(count)d teacher.",
            "Attendance marked: %(count)d teachers.",
            len(record.attended),
        )
        % {"count": len(record.attended)}
    ]
    if record.absent:
        parts.append(
            ngettext("Absent: %(count)d teacher.", "Absent: %(count)d teachers.", len(record.absent))
            % {"count": len(record.absent)}
        )
    parts.append(_("Certificates to print: %(count)d.") % {"count": len(record.certificates)})
    return " ".join(parts)


class SharingOwedFilter(admin.SimpleListFilter):
    title = _("experience sharing")
    parameter_name = "sharing"

    def lookups(self, request, model_admin):
        return (
            ("owed", _("still owed")),
            ("overdue", _("overdue")),
            ("done", _("done")),
        )

    def queryset(self, request, queryset):
        if self.value() == "owed":
            return queryset.filter(sharing_due__isnull=False, sharing_done__isnull=True)
        if self.value() == "overdue":
            return queryset.filter(sharing_due__lt=timezone.localdate(), sharing_done__isnull=True)
        if self.value() == "done":
            return queryset.filter(sharing_done__isnull=False)
        return queryset


@admin.register(Participation)
class ParticipationAdmin(AgreeingMessagesMixin, LongListMixin, RelatedSearchMixin, admin.ModelAdmin):
    gender = NEUTER
    counted = ngettext_lazy("%(count)d participation record", "%(count)d participation records", "count")
    form = ParticipationAdminForm
    list_display = [
        "teacher",
        "event",
        "event_start_column",
        "role",
        "status",
        "recommendation_column",
        "sharing_due",
        "sharing_done",
    ]
    list_filter = [SharingOwedFilter, "status", "role", "recommendation_reason", "event__level"]
    list_select_related = ["teacher", "event"]
    search_fields = ["teacher__surname", "teacher__name", "event__title"]
    autocomplete_fields = ["event", "teacher"]
    readonly_fields = ["recommended_by", "recommended_at", "created_at", "status_changed_at"]
    actions = ["mark_attended", "mark_absent"]
    fieldsets = [
        (None, {"fields": ["event", "teacher", ("role", "status"), ("created_at", "status_changed_at")]}),
        (
            _("Recommendation"),
            {
                "fields": [
                    ("recommendation_reason", "recommendation_area"),
                    "recommendation_comment",
                    ("recommended_by", "recommended_at"),
                ]
            },
        ),
        (
            _("Experience sharing"),
            {"fields": [("sharing_due", "sharing_done"), "sharing_format", "sharing_account"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        marks = _hold_back_attendance([form])
        super().save_model(request, obj, form, change)
        _mark_held_back_attendance(marks)

    @admin.display(description=_("event start"), ordering="event__start")
    def event_start_column(self, obj):
        return _local(obj.event.start)

    @admin.display(description=_("recommendation"), ordering="recommendation_reason")
    def recommendation_column(self, obj):
        if not obj.recommendation_reason:
            return "—"
        area = obj.get_recommendation_area_display()
        return format_html(
            "{}{}", obj.get_recommendation_reason_display(), f": {area}" if obj.recommendation_area else ""
        )

    def _mark(self, request, queryset, attended):
        try:
            count = attendance_mark(participations=queryset, attended=attended)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return
        self.message_user(request, _("Attendance marked: %(count)d.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._mark(request, queryset, True)

    @admin.action(description=_("Mark as absent"), permissions=["change"])
    def mark_absent(self, request, queryset):
        self._mark(request, queryset, False)


@admin.register(ExternalParticipant)
class ExternalParticipantAdmin(AgreeingMessagesMixin, LongListMixin, RelatedSearchMixin, admin.ModelAdmin):
    gender = MASCULINE
    counted = ngettext_lazy("%(count)d external participant", "%(count)d external participants", "count")
    list_display = ["full_name", "organization", "position", "email", "event", "created_at", "attended"]
    list_select_related = ["event"]
    list_filter = ["event__status", "attended"]
    search_fields = ["full_name", "organization", "email", "event__title"]
    readonly_fields = ["event", "consent", "consent_at", "created_at"]
    actions = ["mark_attended"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        # Each gets her certificate's download link by e-mail.
        certificates = external_attendance_mark(externals=list(queryset.select_related("event")))
        self.message_user(
            request, _("Attendance marked: %(count)d.") % {"count": len(certificates)}, messages.SUCCESS
        )


@admin.register(EventCertificate)
class EventCertificateAdmin(AgreeingMessagesMixin, LongListMixin, admin.ModelAdmin):
    gender = MASCULINE
    counted = ngettext_lazy("%(count)d certificate", "%(count)d certificates", "count")
    list_display = ["number", "holder_column", "event_column", "issued_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = [
        "number",
        "participation__teacher__surname",
        "external_participant__full_name",
        "participation__event__title",
        "external_participant__event__title",
    ]
    list_select_related = [
        "participation__teacher",
        "participation__event",
        "external_participant__event",
    ]
    fields = ["number", "participation", "external_participant", "issued_at", "revoked_at", "revoked_reason"]
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        # A certificate has no kindergarten of its own: it is its holder's, a participation or an
        # external participant, each read in the request's scope.
        return (
            super()
            .get_queryset(request)
            .filter(
                models.Q(participation__in=Participation.objects.values("pk"))
                | models.Q(external_participant__in=ExternalParticipant.objects.values("pk"))
            )
        )

    def has_add_permission(self, request):
        return False  # issued from the event's page and «My events»

    def has_delete_permission(self, request, obj=None):
        return False  # a number once issued stays taken; revoke instead

    @admin.display(description=_("issued to"))
    def holder_column(self, obj):
        if obj.participation_id:
            return obj.participation.teacher.full_name
        return obj.external_participant.full_name

    @admin.display(description=_("event"))
    def event_column(self, obj):
        return documents.certificate_event(obj)

    @admin.action(description=_("Revoke selected certificates"), permissions=["change"])
    def revoke(self, request, queryset):
        certificates = list(queryset.filter(revoked_at__isnull=True))
        form = CertificateRevokeForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            for certificate in certificates:
                certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"])
            self.message_user(
                request,
                _("Certificates revoked: %(count)d.") % {"count": len(certificates)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Revoke certificates"),
            "certificates": certificates,
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return render(request, "admin/events/eventcertificate/revoke.html", context)


@admin.register(PublishedPlan)
class PublishedPlanAdmin(KindergartenRecordMixin, AgreeingMessagesMixin, admin.ModelAdmin):
    """Which months' plans the senior educator has published (and so e-mailed to the teachers)."""

    gender = MASCULINE
    counted = ngettext_lazy("%(count)d published plan", "%(count)d published plans", "count")

    list_display = ["__str__", "published_at", "published_by"]
    list_select_related = ["published_by"]
    fields = ["year", "month", "published_at", "published_by"]
    readonly_fields = ["published_at", "published_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.published_by = request.user
        super().save_model(request, obj, form, change)


class EmployeeAdmin(StaffEmployeeAdmin):
    """The staff list (staff.admin) with the one action that is the events': a dismissed teacher's
    link to her certificates. Staff knows nothing of events, so the action joins the list here."""

    actions = [*StaffEmployeeAdmin.actions, "send_certificates_link"]

    @admin.action(description=_("Send the link to certificates"), permissions=["change"])
    def send_certificates_link(self, request, queryset):
        """Queue the e-mail with the link to her certificates again now (her address changed, or she
        lost the mail sent on her dismissal)."""
        sent, skipped = [], []
        for teacher in queryset.select_related("user").order_by("surname", "name", "patronymic"):
            reason = certificates_link_refusal(teacher)
            if reason:
                skipped.append(f"{teacher.short_name} ({reason})")
                continue
            certificates_link_send(teacher=teacher, again=True)
            sent.append(f"{teacher.short_name} ({teacher.mail_address})")
        if sent:
            self.message_user(
                request,
                ngettext(
                    "The link to certificates is queued: %(count)d e-mail, to %(names)s.",
                    "The link to certificates is queued: %(count)d e-mails, to %(names)s.",
                    len(sent),
                )
                % {"count": len(sent), "names": ", ".join(sent)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "Not sent: %(count)d teacher — %(names)s.",
                    "Not sent: %(count)d teachers — %(names)s.",
                    len(skipped),
                )
                % {"count": len(skipped), "names": ", ".join(skipped)},
                messages.WARNING,
            )


admin.site.unregister(Employee)
admin.site.register(Employee, EmployeeAdmin)
