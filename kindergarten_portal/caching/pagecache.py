"""The public pages and feeds, kept whole in the cache every app process shares.

A stored page is keyed by the public pages' version, a value in the same cache. The services that
change what a public page shows (a mini-site published or taken down, consent withdrawn, a teacher
dismissed, an event or its results published, a certificate revoked, personal data purged) call
`bump_public_pages()`, and so do the receivers of the models' saves (the admin's edits): every
process then misses the old pages at once, and a calendar or browser revalidating with the old
ETag (which names the version) gets the new answer. A write that bypasses the portal's code (psql)
is seen after PAGE_TIMEOUT, or at once after `manage.py bump_public_pages`.

Only anonymous visitors are served from the cache (a signed-in user's frame names her; messages
wait in the session or their cookie), only GET and HEAD, only 200 answers, and only addresses
whose query has just the parameters a view names (`cached_public_page("page")`), each once and
short: an address made up by hand with any other is rendered, never stored. The CSRF token of a form on a page is stored as a
placeholder and filled in for each request.

The cache is settings.CACHES["pages"]: Redis when REDIS_URL is set, else a table of the database,
never a process's own memory (a page taken down must be gone from every process).
"""

import hashlib
import re
import uuid
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"
# An upper bound on a stored page's age: what depends on the clock alone (an event that has started
# leaves the open list) and writes made outside the portal's code.
PAGE_TIMEOUT = 5 * 60
CSRF_PLACEHOLDER = b"csrf-token-placeholder"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Response headers a stored page keeps (the rest are set again on the way out by the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# The longest value of a query parameter served from the cache (a page number, a slug).
MAX_VALUE_LENGTH = 10
# Where django.contrib.messages keeps pending messages when not in the session.
MESSAGES_COOKIE = "messages"


def page_cache():
    return caches["pages"]


def _new_version():
    page_cache().set(VERSION_KEY, uuid.uuid4().hex, None)


def bump_public_pages():
    """What a public page shows has changed: every process serves it afresh from now on, and again
    once the current transaction commits (a page read before the commit may have been stored)."""
    _new_version()
    if not transaction.get_autocommit():
        transaction.on_commit(_new_version)


def public_pages_version():
    version = page_cache().get(VERSION_KEY)
    if version is None:  # first use, or evicted: a fresh one, never an old one reused
        fresh = uuid.uuid4().hex
        page_cache().add(VERSION_KEY, fresh, None)
        version = page_cache().get(VERSION_KEY, fresh)  # another process's, if it came first
    return version


def _page_key(request, params, version):
    query = urlencode(sorted(request.GET.items()))
    # The day too: what a page shows may change with it (a teacher dismissed from today on).
    day = timezone.localdate().isoformat()
    address = "|".join((request.scheme, request.get_host(), request.path, query, get_language(), day))
    return f"public-page:{version}:{hashlib.sha256(address.encode()).hexdigest()}"


def _stored(response, version):
    """The response as stored: body with the CSRF token taken out, kept headers, ETag."""
    body = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    etag = f'"{version[:16]}-{hashlib.sha256(body).hexdigest()[:32]}"'
    return {"body": body, "headers": headers, "etag": etag}


def _served(request, page):
    response = get_conditional_response(request, etag=page["etag"])
    if response is None:
        body = page["body"]
        if CSRF_PLACEHOLDER in body:
            body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body)
        for name, value in page["headers"].items():
            response[name] = value
    response["ETag"] = page["etag"]
    # Browsers and feed readers ask again each time (a 304 while nothing changed).
    patch_cache_control(response, no_cache=True)
    return response


def _storable(request, response):
    session = getattr(request, "session", None)
    return not (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or (session is not None and session.modified)
    )


def _cacheable(request, params):
    """An anonymous GET whose query names only `params`, each once and short (a page's links may
    repeat the query: a stored page must not carry one visitor's made-up parameters to another)."""
    cookies = request.COOKIES
    # A session may be signed in or hold messages; messages may wait in their own cookie.
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and not cookies.get(MESSAGES_COOKIE)
        and all(
            name in params and len(values) == 1 and len(values[0]) <= MAX_VALUE_LENGTH
            for name, values in request.GET.lists()
        )
    )


def cached_public_page(*params):
    """View decorator: serve the page from the shared cache to anonymous visitors (see the module's
    text). `params`: the query parameters the view reads. Only for pages without a form of their
    own: a form's page answers POSTs and errors."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request, params):
                return view(request, *args, **kwargs)
            version = public_pages_version()
            key = _page_key(request, params, version)
            page = page_cache().get(key)
            if page is None:
                response = view(request, *args, **kwargs)
                if not _storable(request, response):
                    return response
                page = _stored(response, version)
                page_cache().set(key, page, PAGE_TIMEOUT)
            return _served(request, page)

        return wrapper

    return decorate
