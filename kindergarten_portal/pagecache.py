"""Public pages and feeds kept in the cache: they are the same for every anonymous visitor.

A page is stored under its address, host and language together with a version that every change
of the data the public pages show replaces (`public_pages_changed`, called by the receivers of the
apps), so an edit shows at once; a page also expires after PAGE_TIMEOUT, which bounds what depends
on the clock alone (an event that has started leaves the open list) and, with a cache per worker
process, how long another worker may serve the old page (share the cache, see README).

Only visitors without a session or pending messages are served from the cache: a signed-in user's
frame names her. The one per-visitor piece of a public page, the CSRF token of the language switch,
is stored as a placeholder and filled in for each visitor, so a token is never handed to another.
Every stored page carries an ETag: calendar and feed readers polling with If-None-Match get a 304.
"""

import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"
PAGE_TIMEOUT = 5 * 60
CSRF_PLACEHOLDER = b"csrf-token-placeholder"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Response headers a stored page keeps (the rest are set again on the way out by the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


cache = caches["pages"]  # see settings.CACHES: Redis, or this process's memory


def public_pages_changed():
    """Forget every stored public page: the data one of them shows has changed."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:  # first use, or evicted: a fresh one, never an old one reused
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _servable_from_cache(request):
    if request.method not in ("GET", "HEAD"):
        return False
    cookies = request.COOKIES
    # A session may be signed in or hold messages; messages may wait in their own cookie.
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{get_language()}"
    return f"public-page:{_version()}:{hashlib.sha256(address.encode()).hexdigest()}"


def _stored(response):
    """The response as stored: body with the CSRF token taken out, kept headers, ETag."""
    body = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return {"body": body, "headers": headers, "etag": etag}


def _served(request, page):
    not_modified = get_conditional_response(request, etag=page["etag"])
    if not_modified is not None:
        return not_modified
    body = page["body"]
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body)
    for name, value in page["headers"].items():
        response[name] = value
    response["ETag"] = page["etag"]
    return response


def cached_public_page(view):
    """View decorator: serve the page from the cache to anonymous visitors (see the module's text).

    Only for pages without a form of their own: a form's page answers POSTs and errors."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _servable_from_cache(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        page = cache.get(key)
        if page is None:
            response = view(request, *args, **kwargs)
            session = getattr(request, "session", None)
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or (session and session.modified)
            ):
                return response
            page = _stored(response)
            cache.set(key, page, PAGE_TIMEOUT)
        return _served(request, page)

    return wrapper
