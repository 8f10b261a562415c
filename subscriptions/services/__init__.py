"""Writes to subscriptions: subscribing, confirming, digests, announcements and sending.

Every newsletter email is a Delivery row, unique per (subscriber, digest) or (subscriber,
article). Task workers claim due rows (SKIP LOCKED on PostgreSQL), send them over one SMTP
connection per batch, and mark each one sent once the server accepts it; refusals are
retried with backoff or, when permanent, counted against the address.
"""

from subscriptions.services.newsletters import (
    Announced,
    DigestConflict,
    DigestPlan,
    Prepared,
    announcements_prepare,
    announcements_record,
    deliveries_retry,
    deliveries_sweep,
    digest_prepare,
    digest_send_test,
    newsletters_prepare,
)
from subscriptions.services.sending import BatchReport, deliveries_send_due
from subscriptions.services.subscribing import (
    confirmation_send,
    follow_confirm,
    follow_confirmation_send,
    follow_request,
    subscribers_erase,
    subscribers_resend_confirmation,
    subscription_cancel,
    subscription_confirm,
    subscription_request,
    subscription_update,
)

__all__ = [
    "Announced",
    "BatchReport",
    "DigestConflict",
    "DigestPlan",
    "Prepared",
    "announcements_prepare",
    "announcements_record",
    "confirmation_send",
    "deliveries_retry",
    "deliveries_send_due",
    "deliveries_sweep",
    "digest_prepare",
    "digest_send_test",
    "follow_confirm",
    "follow_confirmation_send",
    "follow_request",
    "newsletters_prepare",
    "subscribers_erase",
    "subscribers_resend_confirmation",
    "subscription_cancel",
    "subscription_confirm",
    "subscription_request",
    "subscription_update",
]
