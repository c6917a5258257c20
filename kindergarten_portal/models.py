"""The ground's one model: the e-mail outbox every app queues its messages in (see outbox.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One e-mail. `key` is unique, so the same message is never queued twice; `sent_at` is claimed
    before sending, so it is never sent twice. No foreign keys: every app queues here, and the key
    names what the message is about (e.g. "reminder:<participation>:<date>")."""

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")

    def __str__(self):
        return f"{self.kind} → {self.recipient}"
