"""Password reset with its mail through the outbox, and the requests limited: Django's view and
form, with what this portal changes."""

import hashlib
import uuid

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetConfirmView, PasswordResetView
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from kindergarten_portal.access.clients import client_address
from kindergarten_portal.caching.cache import count_attempt
from kindergarten_portal.mail.outbox import PASSWORD_RESET, outbox_queue, set_password_path


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form whose mail is queued in the outbox (so a mail server that is down or slow
    neither stalls the page nor loses the mail) with its link completed only when it is sent."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        user = context["user"]
        outbox_queue(
            kind=PASSWORD_RESET,
            key=f"password_reset:{user.pk}:{uuid.uuid4().hex}",
            recipient=to_email,
            template="password_reset",
            context={
                "user": user,
                "url": f"{context['protocol']}://{context['domain']}{set_password_path(user)}",
            },
            set_password_for=user,
        )


def _reset_limit_reached(key, limit):
    window = settings.PASSWORD_RESET_WINDOW_MINUTES * 60
    return count_attempt(key, window=window) > limit


class ThrottledPasswordResetView(PasswordResetView):
    """At most PASSWORD_RESET_LIMIT_PER_EMAIL mails per address in the window, whether it has an
    account or not, answered exactly like any other request; past PASSWORD_RESET_LIMIT_PER_CLIENT
    requests from one visitor's address the form asks her to wait."""

    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        client = client_address(self.request)
        if _reset_limit_reached(f"password-reset:client:{client}", settings.PASSWORD_RESET_LIMIT_PER_CLIENT):
            form.add_error(
                None, _("Too many password reset requests from your address. Please try again later.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        email = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()  # no address in the cache's keys
        if _reset_limit_reached(f"password-reset:email:{digest}", settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class UnlockingPasswordResetConfirmView(PasswordResetConfirmView):
    """Django's set-password page, which also lifts a sign-in lockout of the account: the link
    reached her mailbox, so she is its owner, and nobody on a shared address can keep her out."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
