"""Pages kept in the cache: the public pages and feeds, and each signed-in user's own main pages.

Every stored page is keyed by a data version that any write to the portal's tables replaces: each
database connection watches its own statements (`watch_writes`), so an INSERT, UPDATE or DELETE,
whether from a model's save, a queryset's update, a bulk insert or raw SQL, forgets every stored
page at once and again when its transaction commits (a page read in between is never kept under
the new version). The tables of sessions, sign-in attempts and the cache itself are not data a
page shows. A page also expires after PAGE_TIMEOUT, which bounds what depends on the clock alone
(an event that has started leaves the open list), and, with a cache per worker process, how long
another worker may serve an old public page (share the cache, see README).

Public pages (`cached_public_page`) are served from the cache only to visitors without a session
or pending messages: a signed-in user's frame names her.

A signed-in user's own pages (`cached_personal_page`) are kept per user, session, language, day
and address, and only where the cache is shared by every worker (settings.PERSONAL_PAGE_CACHE, on
with Redis): a teacher who signs up and is sent back to the month must never get an old page from
another worker. A request with pending messages is neither served from nor stored in the cache,
since the frame shows them; only the query parameters a view names are cached, so no address made
up by hand fills the cache.

The one per-visitor piece of a page, the CSRF token of its forms, is stored as a placeholder and
filled in for each request, so a token is never handed to another visitor. Every stored page
carries an ETag: calendar and feed readers polling with If-None-Match get a 304.
"""

import hashlib
import re
import uuid
from functools import wraps

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language

VERSION_KEY = "public-pages:version"
PAGE_TIMEOUT = 5 * 60
CSRF_PLACEHOLDER = b"csrf-token-placeholder"
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
# Response headers a stored page keeps (the rest are set again on the way out by the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")
# Where django.contrib.messages keeps pending messages: a cookie, or the session.
MESSAGES_COOKIE = "messages"
MESSAGES_SESSION_KEY = "_messages"
# The table a write names (Django quotes every name it writes).
WRITTEN_TABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"([^"]+)"', re.IGNORECASE)
# Tables no page shows: the sessions, django-axes' sign-in attempts, the database cache.
UNSHOWN_TABLE_PREFIXES = ("django_session", "axes_")


cache = caches["pages"]  # see settings.CACHES: Redis, or this process's memory


def data_changed():
    """Forget every stored page: the data one of them shows has changed."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def _version():
    version = cache.get(VERSION_KEY)
    if version is None:  # first use, or evicted: a fresh one, never an old one reused
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def _shown(table):
    """Whether a page may show what `table` holds (the database cache's table is not data)."""
    if table.startswith(UNSHOWN_TABLE_PREFIXES):
        return False
    return not any(
        config["BACKEND"].endswith("DatabaseCache") and config["LOCATION"] == table
        for config in settings.CACHES.values()
    )


def _on_write(connection):
    data_changed()
    if connection.in_atomic_block and not any(
        func is data_changed for _sids, func, _robust in connection.run_on_commit
    ):
        # Again once it commits: a page read before the commit may have been stored meanwhile.
        transaction.on_commit(data_changed, using=connection.alias)


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
        written = WRITTEN_TABLE.match(sql)
        if written is None or _shown(written[1]):
            _on_write(context["connection"])
    return result


def watch_writes(sender=None, connection=None, **kwargs):
    """Receiver of `connection_created` (kindergarten_portal.apps): every write on this connection
    forgets the stored pages. First in the list, so that a `connection.execute_wrapper()` block
    around the first query, which pops the last wrapper when it ends, removes its own."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


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


def _storable(request, response):
    session = getattr(request, "session", None)
    return not (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or (session and session.modified)
    )


def _cached(view, key_of):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = key_of(request)
        if key is None:
            return view(request, *args, **kwargs)
        page = cache.get(key)
        if page is None:
            response = view(request, *args, **kwargs)
            if not _storable(request, response):
                return response
            page = _stored(response)
            cache.set(key, page, PAGE_TIMEOUT)
        return _served(request, page)

    return wrapper


def _address_key(kind, request, *parts):
    address = "|".join(
        (f"{request.scheme}://{request.get_host()}{request.get_full_path()}", get_language(), *parts)
    )
    return f"{kind}:{_version()}:{hashlib.sha256(address.encode()).hexdigest()}"


def _public_key(request):
    if request.method not in ("GET", "HEAD"):
        return None
    cookies = request.COOKIES
    # A session may be signed in or hold messages; messages may wait in their own cookie.
    if settings.SESSION_COOKIE_NAME in cookies or cookies.get(MESSAGES_COOKIE):
        return None
    return _address_key("public-page", request)


def cached_public_page(view):
    """View decorator: serve the page from the cache to anonymous visitors (see the module's text).

    Only for pages without a form of their own: a form's page answers POSTs and errors."""
    return _cached(view, _public_key)


def cached_personal_page(*params):
    """View decorator: serve a signed-in user's page from her own cache (see the module's text).

    `params`: the query parameters the page reads; an address with any other is not cached. Only
    for pages whose GET changes nothing; a form's POST is never cached."""

    def key_of(request):
        if (
            not settings.PERSONAL_PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or request.COOKIES.get(MESSAGES_COOKIE)  # an emptied cookie may still come back
            or any(name not in params for name in request.GET)
        ):
            return None
        session = request.session
        user_id = session.get(SESSION_KEY)
        if user_id is None or MESSAGES_SESSION_KEY in session:
            return None
        # Her day, as the pages count it ("today", what is due); the session's hash of her password
        # so that a session ended by a password change never reads what it stored.
        return _address_key(
            "personal-page",
            request,
            str(user_id),
            session.get(HASH_SESSION_KEY, ""),
            timezone.localdate().isoformat(),
        )

    def decorate(view):
        return _cached(view, key_of)

    return decorate
