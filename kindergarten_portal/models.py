"""The ground's models: the organizations of the network (the kindergartens on the portal among them,
each the tenant its rows belong to), the roles people hold in them, and the e-mail outbox every app
queues its messages in (see outbox.py)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .typography import slug_of


class OrganizationKind(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("kindergarten")
    LIBRARY = "library", _("library")
    POLYCLINIC = "polyclinic", _("children's polyclinic")
    ADDITIONAL_EDUCATION = "additional_education", _("institution of additional education")
    SCHOOL = "school", _("school")
    IMC = "imc", _("city methodological centre (IMC)")
    GMO = "gmo", _("city methodological association (GMO)")
    OTHER = "other", _("other")


# The name printed while no organization is marked as our kindergarten.
GENERIC_KINDERGARTEN_NAME = "МБДОУ «Детский сад»"


class OrganizationQuerySet(models.QuerySet):
    def own(self):
        """Our kindergarten, the one organization marked as one's own (the portal's tenant while it
        serves one kindergarten), or None while none is on record. One query."""
        return self.filter(is_own=True).first()

    def own_or_create(self):
        """Our kindergarten, created under the generic name the portal prints while none is on record
        (the office corrects it in the admin): every staff record and group belongs to it."""
        own = self.own()
        if own is None:
            own = self.create(
                name=GENERIC_KINDERGARTEN_NAME,
                kind=OrganizationKind.KINDERGARTEN,
                is_own=True,
                slug=slug_of(GENERIC_KINDERGARTEN_NAME),
            )
        return own


class Organization(models.Model):
    """A kindergarten, centre or partner of the network. Those on the portal (kindergartens with an
    office here) are tenants: their staff records, groups and everything reached through them belong to
    them. Partners off the portal (the library, the polyclinic) only organize events."""

    name = models.CharField(pgettext_lazy("organization", "name"), max_length=255, unique=True)
    # Addresses of its public pages (/k/<slug>/) for a kindergarten on the portal; none for a partner.
    slug = models.SlugField(
        _("address on the portal"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Latin letters, digits and hyphens, e.g. ds-12-solnyshko: its public pages' address."),
    )
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    is_own = models.BooleanField(
        _("our kindergarten"),
        default=False,
        help_text=_("The first kindergarten on the portal: the portal's own addresses serve it."),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    head_name = models.CharField(
        _("head"),
        max_length=255,
        blank=True,
        help_text=_("A kindergarten on the portal: the head who signs its certificates, e.g. Сидорова Е. В."),
    )
    contact_person = models.CharField(_("contact person"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        # The table it had when it lived in `events` (moved to the ground so that staff can use it).
        db_table = "events_organization"
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(fields=["is_own"], condition=Q(is_own=True), name="one_own_organization")
        ]

    def __str__(self):
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        # Our kindergarten always has its address: from its name, made unique.
        if self.is_own and not self.slug:
            slug = slug_of(self.name) or "kindergarten"
            taken = Organization.objects.filter(slug=slug).exclude(pk=self.pk).exists()
            self.slug = f"{slug}-{Organization.objects.count() + 1}" if taken else slug
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)
        if self.is_own:
            from .access.roles import office_roles_sync

            office_roles_sync()  # the office's roles are in our kindergarten


def kindergarten_key(related_name, verbose_name=None, *, city_default=False):
    """The foreign key of a row a kindergarten owns (its staff records, groups, events, rating builds…),
    set by every writer and never edited in a form. Required, except for a table a kindergarten may
    have its own of and the city has a default of (`city_default`: empty means the city's)."""
    return models.ForeignKey(
        Organization,
        verbose_name=verbose_name or _("kindergarten"),
        on_delete=models.PROTECT,
        null=city_default,
        blank=city_default,
        editable=False,
        related_name=related_name,
    )


class NetworkMembership(models.Model):
    """One period of an organization's membership in the network; history is never deleted."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="memberships"
    )
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)
    agreement_number = models.CharField(_("agreement number"), max_length=50, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)

    class Meta:
        db_table = "events_networkmembership"
        ordering = ["-joined"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network membership")
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=F("joined")), name="membership_left_after_joined"
            )
        ]

    def __str__(self):
        left = f"{self.left:%d.%m.%Y}" if self.left else "…"
        return f"{self.organization}: {self.joined:%d.%m.%Y} – {left}"

    # The admin's inline formset compares the periods as edited there (one may be shortened while
    # another is added in the same save), so it turns the comparison with the stored ones off.
    check_stored_overlaps = True

    def clean(self):
        if self.left and self.joined and self.left < self.joined:
            raise ValidationError({"left": _("An organization cannot leave before it joined.")})
        if self.check_stored_overlaps and self.joined and self.organization_id:
            others = NetworkMembership.objects.filter(organization_id=self.organization_id).exclude(
                pk=self.pk
            )
            clash = next((other for other in others if self.overlaps(other)), None)
            if clash is not None:
                raise ValidationError(overlap_error(clash))

    def overlaps(self, other):
        """True when the two periods share at least one day (an open end runs on forever)."""
        return (other.left is None or self.joined <= other.left) and (
            self.left is None or other.joined <= self.left
        )

    def is_active_on(self, day):
        return self.joined <= day and (self.left is None or self.left >= day)


def overlap_error(other):
    left = f"{other.left:%d.%m.%Y}" if other.left else "…"
    return _(
        "This period overlaps the membership period %(joined)s – %(left)s of the same organization: "
        "end that one first."
    ) % {"joined": f"{other.joined:%d.%m.%Y}", "left": left}


class RoleKind(models.TextChoices):
    SENIOR_EDUCATOR = "senior_educator", _("Senior educator")
    HEAD = "head", _("Head")


class Role(models.Model):
    """Where a person works in an office role: the senior educator or the head *of a kindergarten*.
    Django's groups still say what the admin lets her do (model permissions); a role row says in which
    kindergarten, as pretix's and pretalx's teams do. A teacher's kindergarten is her staff record's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("account"), on_delete=models.CASCADE, related_name="roles"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("kindergarten"), on_delete=models.PROTECT, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)

    class Meta:
        ordering = ["organization", "role", "user"]
        verbose_name = _("role in a kindergarten")
        verbose_name_plural = _("roles in kindergartens")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "role"], name="one_role_per_kindergarten")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_role_display()}, {self.organization}"


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
