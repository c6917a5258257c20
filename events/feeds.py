"""Feeds: iCalendar (RFC 5545) for the open events and each teacher's own, Atom for published results."""

import datetime

import icalendar
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import EventStatus, ParticipationStatus
from .selectors import published_results_lean

PRODID = "-//Kindergarten methodological office//Events//RU"


def _utc(moment):
    return moment.astimezone(datetime.UTC)


def calendar_response(request, events, *, name, public):
    """An iCalendar document of `events`; times in UTC so no VTIMEZONE is needed."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", str(name))
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    stamp = _utc(timezone.now())
    host = request.get_host().split(":")[0]
    for event in events:
        item = icalendar.Event()
        item.add("uid", f"event-{event.pk}@{host}")
        item.add("dtstamp", stamp)
        item.add("last-modified", _utc(event.updated_at))
        item.add("dtstart", _utc(event.start))
        if event.end:  # without one, a calendar shows the start alone
            item.add("dtend", _utc(event.end))
        # In the personal feed a place on the waiting list is not a place yet: tentative.
        waiting = getattr(event, "my_status", None) == ParticipationStatus.WAITING
        position = getattr(event, "my_waiting_position", None) if waiting else None
        if position:
            summary = _("%(title)s (waiting list, place No. %(position)s)") % {
                "title": event.title,
                "position": position,
            }
            line = _("You are on the waiting list: place No. %(position)s") % {"position": position}
        elif waiting:
            summary, line = _("%(title)s (waiting list)") % {"title": event.title}, ""
        else:
            summary, line = event.title, ""
        item.add("summary", summary)
        location = event.place or event.online_link
        if location:
            item.add("location", location)
        description = "\n\n".join(
            part for part in (str(line), event.description, str(event.organizer)) if part
        )
        if description:
            item.add("description", description)
        path = reverse("events:open_detail" if public else "events:detail", args=[event.pk])
        item.add("url", request.build_absolute_uri(path))
        if event.status == EventStatus.CANCELLED:
            item.add("status", "CANCELLED")
        else:
            item.add("status", "TENTATIVE" if waiting else "CONFIRMED")
        calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="events.ics"'
    return response


class ResultsFeed(Feed):
    """Atom feed of published event results, newest first."""

    feed_type = Atom1Feed
    size = 30  # the latest results; readers poll for what is new
    title = _("Results of network events")
    subtitle = _("Published results of the events of the kindergarten and its partners.")

    def link(self):
        return reverse("events:results")

    def items(self):
        return published_results_lean()[: self.size]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.results_text or item.description

    def item_link(self, item):
        return reverse("events:result_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.results_published_at or item.finish

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return str(item.organizer)
