"""The Content-Security-Policy header (Django 5.2 has none built in).

The pages carry no inline scripts, event handlers or style attributes: scripts and styles come from
our static files, so the policy in settings.CONTENT_SECURITY_POLICY can forbid everything inline.
"""

from django.conf import settings


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
