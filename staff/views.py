from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kindergarten_portal.access.roles import can_read_everything, role_required
from kindergarten_portal.files.media import NO_STORE, file_response
from kindergarten_portal.sheets.xlsx_out import xlsx_response
from kindergarten_portal.tenancy import kindergarten_of

from .access import get_employee_for_user, get_training_for_user, self_service_teacher
from .exports import self_evaluation_workbook
from .forms import ContactsForm, SelfEvaluationDateForm
from .indicators import self_evaluation_indicators
from .selectors import attestation_state, employee_page
from .services import employee_contacts_save


@login_required
def my_page(request):
    employee = employee_page(self_service_teacher(request.user))
    state = attestation_state(employee, on=timezone.localdate())
    return render(request, "staff/my_page.html", {"employee": employee, "state": state})


@login_required
@require_http_methods(["GET", "POST"])
def my_contacts_edit(request):
    employee = self_service_teacher(request.user)
    form = ContactsForm(request.POST or None, request.FILES or None, instance=employee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee_contacts_save(
            employee=employee,
            phone=data["phone"],
            email=data["email"],
            photo=data["photo"],
            remove_photo=data.get("remove_photo", False),
            plan_mail_opt_out=data["plan_mail_opt_out"],
        )
        messages.success(request, _("Your contacts are saved."))
        return redirect("staff:my_page")
    return render(request, "staff/contacts_form.html", {"form": form, "employee": employee})


@login_required
def photo(request, pk):
    employee = get_employee_for_user(request.user, pk)
    if not employee.photo:
        raise Http404
    return file_response(employee.photo, content_type="image/jpeg")


@role_required(can_read_everything)
def self_evaluation(request):
    """The self-evaluation staff indicators on a chosen date (today unless asked), as a table."""
    form, on = _self_evaluation_date(request)
    evaluation = self_evaluation_indicators(on=on) if on else None
    # A date that is no date, or out of range: the form says why, with the status of bad input.
    status = 200 if on else 400
    return render(
        request, "staff/self_evaluation.html", {"form": form, "evaluation": evaluation}, status=status
    )


@role_required(can_read_everything)
def self_evaluation_xlsx(request):
    form, on = _self_evaluation_date(request)
    if on is None:
        raise Http404(_("Choose a valid date."))
    filename = _("Self-evaluation %(date)s.xlsx") % {"date": on.strftime("%d.%m.%Y")}
    content = self_evaluation_workbook(
        self_evaluation_indicators(on=on), kindergarten=kindergarten_of(request.user)
    )
    return xlsx_response(content, filename)


def _self_evaluation_date(request):
    """The date form and the date it chose: today when none is given, None when the date is invalid."""
    if "on" not in request.GET:
        today = timezone.localdate()
        return SelfEvaluationDateForm(initial={"on": today}), today
    form = SelfEvaluationDateForm(request.GET)
    return form, form.cleaned_data["on"] if form.is_valid() else None


# Scans are stored under a random name ending in what the content check found.
SCAN_CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


@login_required
def training_scan(request, pk):
    """The certificate scan of a course, retraining or degree: the teacher's own, or any for the office."""
    training = get_training_for_user(request.user, pk)
    if not training.scan:
        raise Http404
    extension = training.scan.name.rsplit(".", 1)[-1].lower()
    content_type = SCAN_CONTENT_TYPES.get(extension, "application/octet-stream")
    return file_response(
        training.scan,
        content_type=content_type,
        filename=f"certificate-{training.pk}.{extension}",
        cache=NO_STORE,
    )
