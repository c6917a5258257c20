import math

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from staff.access import current_teacher, staff_record


@login_required
def home(request):
    employee = current_teacher(request.user)
    # A dismissed teacher is told why her own pages are gone.
    former = staff_record(request.user) if employee is None else None
    return render(request, "home.html", {"employee": employee, "former_employee": former})


class SignOutView(LogoutView):
    """Django's sign-out, saying that it happened on the sign-in page it leads to."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout answer (AXES_LOCKOUT_CALLABLE), on the site's and the admin's sign-in:
    how many minutes are left until this account may try again from this address."""
    username = get_client_username(request, credentials)
    last_failure = AccessAttempt.objects.filter(
        username=username, ip_address=request.axes_ip_address
    ).aggregate(last=Max("attempt_time"))["last"]
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
