"""The transactional mails fleetadmin sends, by name: the texts (keys) each language of a template gives and the
variables its texts may use. listMailTemplateNames lists these names; a template's texts are checked against its
variables when saved (apps.mail.rendering)."""
from __future__ import annotations

from dataclasses import dataclass, field

# Every text of every template may use these (the rider the mail goes to, the brand it is sent under).
COMMON_VARIABLES = ("firstname", "lastname", "app_name", "website")
# The keys of a template's content: `subject` is plain text, `preheader` the inbox preview line, `body` HTML.
KEYS = ("subject", "preheader", "body")
REQUIRED_KEYS = ("subject", "body")
# What the layout (the base every template is wrapped in) may use; `content` is the template's rendered body.
LAYOUT_VARIABLES = ("content", "subject", "preheader", "app_name", "website", "year", "unsubscribe_url")


@dataclass(frozen=True)
class MailTemplateSpec:
    name: str
    description: str
    variables: tuple[str, ...]
    # Values for previews and test mails when the caller gives none.
    sample: dict = field(default_factory=dict)

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(COMMON_VARIABLES + self.variables)


_SPECS = [
    MailTemplateSpec("welcome", "After sign-up.", (), {}),
    MailTemplateSpec("email-verification", "Confirms the rider's address.", ("verification_url",),
                     {"verification_url": "https://example.org/verify/SAMPLE"}),
    MailTemplateSpec("password-reset", "A link to choose a new password.", ("reset_url", "expires_in_minutes"),
                     {"reset_url": "https://example.org/reset/SAMPLE", "expires_in_minutes": 30}),
    MailTemplateSpec("trip-receipt", "The receipt of a finished trip.",
                     ("trip_id", "started_at", "ended_at", "duration_minutes", "distance_km", "amount", "currency",
                      "invoice_url"),
                     {"trip_id": 1042, "started_at": "2026-05-04 08:12", "ended_at": "2026-05-04 08:31",
                      "duration_minutes": 19, "distance_km": "4.2", "amount": "2.85", "currency": "EUR",
                      "invoice_url": "https://example.org/invoices/SAMPLE.pdf"}),
    MailTemplateSpec("refund", "A refund was made.", ("amount", "currency", "reason"),
                     {"amount": "5.00", "currency": "EUR", "reason": "Vehicle fault"}),
    MailTemplateSpec("payment-failed", "A payment was declined.", ("amount", "currency", "retry_url"),
                     {"amount": "12.40", "currency": "EUR", "retry_url": "https://example.org/pay/SAMPLE"}),
    MailTemplateSpec("pass-purchased", "A pass or subscription was bought.",
                     ("pass_name", "valid_until", "amount", "currency"),
                     {"pass_name": "Monthly pass", "valid_until": "2026-06-04", "amount": "19.90", "currency": "EUR"}),
    MailTemplateSpec("account-blocked", "The account was blocked.", ("reason",), {"reason": "Unpaid trips"}),
    MailTemplateSpec("terms-of-use", "New terms of use to accept.", ("version", "pdf_url"),
                     {"version": 3, "pdf_url": "https://example.org/terms/v3.pdf"}),
    MailTemplateSpec("support-message", "A message from the support team.", ("message",),
                     {"message": "Your report was handled, thank you."}),
    MailTemplateSpec("organization-enrolment", "An organization answered an enrolment request.",
                     ("organization_name", "accepted"), {"organization_name": "ACME", "accepted": True}),
]
TEMPLATES: dict[str, MailTemplateSpec] = {spec.name: spec for spec in _SPECS}
COMMON_SAMPLE = {"firstname": "Camille", "lastname": "Martin", "app_name": "Vélo+", "website": "https://example.org"}

# Newsletters' texts may use these; `unsubscribe_url` is empty for legal newsletters (no unsubscribing from those).
NEWSLETTER_VARIABLES = frozenset(COMMON_VARIABLES + ("unsubscribe_url",))
