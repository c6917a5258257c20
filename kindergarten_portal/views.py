from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import render
from django.utils.translation import gettext as _

from staff.selectors import employee_for_user


@login_required
def home(request):
    return render(request, "home.html", {"employee": employee_for_user(request.user)})


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
            "operator": settings.KINDERGARTEN_NAME,
            "keep_days": settings.EXTERNAL_PERSONAL_DATA_KEEP_DAYS,
        },
    )
