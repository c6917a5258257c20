"""Bad input in a query string is answered, never a server error: every URL of the access matrix,
asked by each persona with out-of-range dates, years, months, pages and choices in the parameters
the portal's views and admin pages read.

A view that reads a parameter answers a bad value with its page and a message, or a 400/404; a view
that reads none ignores it. What no view may do is fail with a 500.
"""

import pytest
from django.db import transaction
from django.test import Client

from tests.test_access_matrix import MATRIX

# The parameters read anywhere (grep request.GET, the filter forms, the admin's own), each with
# values past its range: the first or last day a date can have, years without dates, pages beyond
# any list, choices that do not exist, a NUL byte, a very long text. Two queries: low and high.
BAD_QUERIES = {
    "low": "on=01.01.0001&date=0001-01-01&month=0000-00&year=0%2F1&page=-1&p=-1&o=-99"
    "&format=nope&level=%00&direction=-1&status=x&kind=%D0%B9&q=%00",
    "high": "on=31.12.9999&date=9999-12-31&month=9999-13&year=9998%2F9999&page=99999999999999999999"
    "&p=99999999999999999999&o=99.x&direction=99999999999999999999&all=1&q=" + "я" * 2000,
}


@pytest.mark.parametrize("query", BAD_QUERIES, ids=list(BAD_QUERIES))
def test_bad_query_values_are_not_a_server_error(personas, query):
    """Every URL, asked by every persona it is open to (the others are turned away before any
    parameter is read, as the access matrix checks). One test walks them all: the personas and
    their objects are made once."""
    clients = {}
    for persona, user in personas.items():
        clients[persona] = Client(raise_request_exception=False)
        if user is not None:
            clients[persona].force_login(user)
    failures = []
    for _name, url, expected in MATRIX:
        # What a row's builder makes is undone after it: builders of the matrix each run in a
        # test of their own there, and some make the same named objects.
        with transaction.atomic():
            if callable(url):
                url = url(personas)
            asked = f"{url}{'&' if '?' in url else '?'}{BAD_QUERIES[query]}"
            for persona in [persona for persona, status in expected.items() if status == 200]:
                status = clients[persona].get(asked).status_code
                if status >= 500:
                    failures.append(f"{persona} GET {asked}: {status}")
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)
