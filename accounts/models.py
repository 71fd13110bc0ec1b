import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.fields import EncryptedTextField
from accounts.roles import OrganisationKind, Role, role_allowed_for_kind


class EmailUserManager(UserManager):
    """Users sign in with their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):  # type: ignore[override]
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)
    phone_number = models.CharField(
        max_length=20, blank=True, help_text="A UK mobile number, for text message notifications."
    )
    prefers_sms = models.BooleanField("send me text messages as well as emails", default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = EmailUserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if self.prefers_sms and not self.phone_number:
            raise ValidationError({"phone_number": "Enter a mobile number to get text messages"})


class OrganisationQuerySet(models.QuerySet):
    def councils(self) -> "OrganisationQuerySet":
        return self.filter(kind=OrganisationKind.COUNCIL)

    def active(self) -> "OrganisationQuerySet":
        return self.filter(is_active=True)

    def within_council(self, council: "Organisation") -> "OrganisationQuerySet":
        """The council itself and the organisations that registered with it."""
        return self.filter(Q(pk=council.pk) | Q(council=council))


class Organisation(models.Model):
    """A council, provider, broker organisation or NHS body.

    Providers and their offers are shared across councils; ``council`` names the council an
    organisation registered with, whose administrators look after its accounts.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    council = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_organisations",
        limit_choices_to={"kind": OrganisationKind.COUNCIL},
        help_text="The council this organisation registered with. Empty for councils.",
    )
    ons_code = models.CharField(
        "ONS area code", max_length=9, blank=True, help_text="For councils, e.g. E08000026 for Coventry."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=OrganisationKind.COUNCIL, council__isnull=True) | ~Q(kind=OrganisationKind.COUNCIL),
                name="council_has_no_parent_council",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_council(self) -> bool:
        return self.kind == OrganisationKind.COUNCIL

    @property
    def owning_council(self) -> "Organisation | None":
        return self if self.is_council else self.council

    def clean(self) -> None:
        super().clean()
        if self.is_council and self.council_id:
            raise ValidationError({"council": "A council does not register with another council"})
        if not self.is_council and self.council_id is None:
            raise ValidationError({"council": "Choose the council this organisation registers with"})
        if self.council_id and self.council and not self.council.is_council:
            raise ValidationError({"council": "Choose a council"})


class MembershipQuerySet(models.QuerySet):
    def active(self) -> "MembershipQuerySet":
        return self.filter(is_active=True, organisation__is_active=True, user__is_active=True)

    def with_roles(self, *roles: str) -> "MembershipQuerySet":
        return self.filter(role__in=roles)


class Membership(models.Model):
    """A user's role in an organisation. A user may hold several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=40, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="one_membership_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.organisation}"

    @property
    def council(self) -> Organisation | None:
        return self.organisation.owning_council

    def clean(self) -> None:
        super().clean()
        if self.organisation_id and not role_allowed_for_kind(self.role, self.organisation.kind):
            kind = self.organisation.get_kind_display().lower()
            raise ValidationError({"role": f"A {kind} cannot have the role {self.get_role_display().lower()}"})


class AuditEvent(models.Model):
    """An immutable record of who did what to which record, and why.

    Written only through ``accounts.events.audit_record``. ``council`` scopes the row so that each
    council sees only its own history.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    council = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    summary = models.CharField(max_length=300)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return self.summary


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a user needs to know or act on; also sent by email (and text message if chosen)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=500, blank=True, help_text="A path within the site to act on it.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    sms_sent_at = models.DateTimeField(null=True, blank=True)
    delivery_error = models.CharField(max_length=300, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class CouncilSignOn(models.Model):
    """A council's own identity provider, through which its staff sign in (OpenID Connect).

    One per council, looked after by the council's administrator (accounts/sso, docs/sign-in.md). The
    client secret is encrypted at rest; pages show only ``client_secret_hint``.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    council = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="sign_on",
        limit_choices_to={"kind": OrganisationKind.COUNCIL},
    )
    issuer_url = models.URLField(
        "issuer URL",
        max_length=500,
        help_text="The identity provider's issuer; its settings are read from /.well-known/openid-configuration.",
    )
    client_id = models.CharField("client ID", max_length=255)
    client_secret = EncryptedTextField()
    client_secret_hint = models.CharField(max_length=20, blank=True, editable=False)
    allowed_email_domains = models.JSONField(
        default=list, help_text="Work email domains, e.g. coventry.gov.uk, whose staff may sign in this way."
    )
    password_sign_in_allowed = models.BooleanField(
        "staff may still sign in with a password",
        default=True,
        help_text="When off, the council's staff can only sign in through the identity provider.",
    )
    is_enabled = models.BooleanField("single sign-on is on", default=False)
    last_tested_at = models.DateTimeField(null=True, blank=True)
    last_test_succeeded = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council__name"]
        verbose_name = "council single sign-on"

    def __str__(self) -> str:
        return f"Single sign-on for {self.council}"

    def allows_email(self, email: str) -> bool:
        domain = email.rpartition("@")[2].strip().lower()
        return bool(domain) and domain in self.allowed_email_domains
