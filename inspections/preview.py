"""Signed, expiring addresses for previewing an inspection that is not public yet."""

import datetime

from core.tokens import InvalidToken, make_token, read_token

PREVIEW_PURPOSE = "inspections.preview"
# The admin hands out a fresh link on every visit to the edit page.
PREVIEW_MAX_AGE = datetime.timedelta(days=1)


def preview_token(inspection_pk: int | str) -> str:
    """A token naming the inspection, signed with SECRET_KEY and dated."""
    return make_token(PREVIEW_PURPOSE, int(inspection_pk))


def preview_inspection_pk(token: str) -> int | None:
    """The inspection named by a valid, unexpired token, else None."""
    try:
        key = read_token(PREVIEW_PURPOSE, token, max_age=PREVIEW_MAX_AGE).key
    except InvalidToken:
        return None
    return key if isinstance(key, int) else None
