"""Creating, checking and revoking API tokens. A token reads `okam_<prefix>_<secret>`."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from openkam.api.models import ApiToken
from openkam.team.models import User

TOKEN_SCHEME = "okam"
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # the whole token, shown once and never stored


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _split(raw: str) -> str | None:
    """The prefix of a well-formed token, None otherwise."""
    parts = raw.strip().split("_", 2)  # the secret may contain "_" itself
    if len(parts) != 3 or parts[0] != TOKEN_SCHEME or not parts[1] or not parts[2]:
        return None
    return parts[1]


@transaction.atomic
def token_create(*, user: User, name: str) -> IssuedToken:
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, secret_hash=hash_token(raw)
    )
    return IssuedToken(token=token, secret=raw)


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke once; revoking again keeps the first date."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token (with its active user) that `raw` is, or None. One query, plus one
    write when last_used_at is older than LAST_USED_RESOLUTION."""
    prefix = _split(raw)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw.strip())):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
