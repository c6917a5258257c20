"""The ground's one model: the e-mail outbox every app queues its messages in (see outbox.py)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("not sent")


class OutboxMessage(models.Model):
    """One e-mail. `key` is unique, so the same message is never queued twice. Only the sender
    (`send_mail_queue`) sends it and marks it sent once the mail server took it; a refused send
    stays queued until `next_attempt_at`, and is given up (failed) after OUTBOX_MAX_ATTEMPTS.
    No foreign keys: every app queues here, and the key names what the message is about
    (e.g. "reminder:<participation>:<date>")."""

    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("key"), max_length=200, unique=True)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    # The account whose set-password link the body holds as a placeholder: the sender makes the
    # token when it sends, so no usable link is ever stored (nor in a backup).
    link_user_id = models.PositiveIntegerField(_("account of the set-password link"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus, default=OutboxStatus.QUEUED)
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
