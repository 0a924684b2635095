from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from apps.core.models import RestrictedQuerySet


class UserManager(BaseUserManager.from_queryset(RestrictedQuerySet)):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("Users log in with their email; it is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who logs in: operator staff (dashboard, admin) and riders (mobile app). Login is the email."""

    email = models.EmailField(unique=True)
    firstname = models.CharField(max_length=50, blank=True)
    lastname = models.CharField(max_length=50, blank=True)
    phone_number = models.CharField(max_length=32, blank=True)
    is_staff = models.BooleanField(default=False, help_text="May log in to the Django admin.")
    is_active = models.BooleanField(default=True)
    register_at = models.DateTimeField(default=timezone.now)
    last_activity = models.DateTimeField(null=True, blank=True)
    app_label = models.ForeignKey("applabels.AppLabel", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", help_text="The white-label app the rider signed up with.")
    language = models.CharField(max_length=2, blank=True, db_default="", help_text="ISO 639-1; mails and notifications use it "
                                                                    "(empty: the app label's first language).")

    objects = UserManager()

    @classmethod
    def scope_filter(cls, scope):
        # Riders are tenant data through the networks they interact with (apps.riders); staff accounts, which
        # belong to no network, are seen by global grants only.
        from apps.riders.models import rider_scope_filter

        return rider_scope_filter(scope)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["id"]
        # searchUsers and listUsers' e-mail filter match a fragment anywhere, case-insensitively: Django writes
        # UPPER(email) LIKE UPPER('%...%'), served by the trigram index on UPPER(email) that migration
        # accounts.0003 creates in SQL where pg_trgm is available (Django renders that expression index with
        # parentheses PostgreSQL refuses).
        indexes = [models.Index(fields=["register_at", "id"], name="user_register_at_idx")]

    def __str__(self):
        return self.email

    def get_full_name(self):
        return f"{self.firstname} {self.lastname}".strip() or self.email

    def get_short_name(self):
        return self.firstname or self.email


def hash_token(raw: str) -> str:
    # Tokens are 256-bit random values, so a plain SHA-256 is enough: no dictionary to guess from.
    return hashlib.sha256(raw.encode()).hexdigest()


class AuthTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class AuthToken(models.Model):
    """A bearer token. Only its hash is stored; the raw value is shown once, at login."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)

    objects = AuthTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]

    def __str__(self):
        return f"token #{self.pk} of {self.user}"

    @staticmethod
    def new_raw_key() -> str:
        return secrets.token_urlsafe(32)
