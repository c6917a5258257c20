from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kindergarten_portal.media import NO_STORE, file_response

from .access import get_employee_for_user, get_training_for_user
from .forms import ContactsForm
from .selectors import employee_for_user
from .services import employee_contacts_save


@login_required
def my_page(request):
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("Your account is not linked to a staff record."))
    return render(request, "staff/my_page.html", {"employee": employee})


@login_required
@require_http_methods(["GET", "POST"])
def my_contacts_edit(request):
    employee = employee_for_user(request.user)
    if employee is None:
        raise Http404(_("Your account is not linked to a staff record."))
    form = ContactsForm(request.POST or None, request.FILES or None, instance=employee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee_contacts_save(
            employee=employee,
            phone=data["phone"],
            email=data["email"],
            photo=data["photo"],
            remove_photo=data.get("remove_photo", False),
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
