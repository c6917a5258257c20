from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .access import get_employee_for_user, self_service_teacher
from .forms import ContactsForm
from .selectors import employee_page
from .services import employee_contacts_save


@login_required
def my_page(request):
    employee = employee_page(self_service_teacher(request.user))
    return render(request, "staff/my_page.html", {"employee": employee})


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
        )
        messages.success(request, _("Your contacts are saved."))
        return redirect("staff:my_page")
    return render(request, "staff/contacts_form.html", {"form": form, "employee": employee})


@login_required
def photo(request, pk):
    employee = get_employee_for_user(request.user, pk)
    if not employee.photo:
        raise Http404
    try:
        handle = employee.photo.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, content_type="image/jpeg")
