"""Background tasks of the ground floor (django-tasks; `manage.py db_worker` runs them)."""

from django_tasks import task

from core.email import Email, email_deliver


@task()
def send_email(email: dict, attempt: int = 1) -> bool:
    """Send one email (core.email.Email as a dict); failures are retried with backoff."""
    return email_deliver(Email(**email), attempt=attempt)
