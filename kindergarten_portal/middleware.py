"""The Content-Security-Policy header (Django 5.2 has none built in), and the Cache-Control of a
signed-in user's pages.

The pages carry no inline scripts, event handlers or style attributes: scripts and styles come from
our static files, so the policy in settings.CONTENT_SECURITY_POLICY can forbid everything inline.
"""

from django.conf import settings

from kindergarten_portal.files.media import NO_STORE


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


class PrivatePagesMiddleware:
    """Every answer to a signed-in user is hers alone: `Cache-Control: private, no-store`, so no
    proxy keeps it and no browser on a shared computer keeps a copy for the next person. After the
    authentication middleware (it reads request.user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = NO_STORE
        return response
