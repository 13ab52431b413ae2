"""Signed, unguessable rating tokens.

A token is ``<id>.<signature>``: ``id`` is 128 random bits (``secrets``) stored in
:class:`RatingToken`, the signature is Django's HMAC-SHA256 of it with the site's secret
key and the salt ``chiso-rating``.  Nothing in a token depends on the dossier code, so
one receipt's link tells nothing about another's; an altered link fails the signature
check before the database is asked.

Each token also has a short code (eight characters of :data:`ALPHABET`, printed
``ABCD-EFGH`` under the QR) for a kiosk without a scanner: about 40 random bits, and the
kiosk counts every code it refuses against its burst limit, so codes cannot be tried in
bulk.  A printed slip works for ``CHISO_RATING_DAYS`` days after it was first made.
"""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from chiso_web.ratings.models import RatingToken

SALT = "chiso-rating"
SIGNER = signing.Signer(salt=SALT, sep=".")
#: A token as it appears in a rating link (also inside a scanned URL).
TOKEN_RE = re.compile(r"([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{20,})")
#: Letters and digits of a short code: none that reads like another (0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_LENGTH = 8


def _new_short_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(SHORT_LENGTH))


def short_code(found: RatingToken) -> str:
    """The token's short code as printed (``ABCD-EFGH``); made on first use."""
    while not found.short_code:
        code = _new_short_code()
        try:
            with transaction.atomic():
                updated = RatingToken.objects.filter(pk=found.pk, short_code__isnull=True).update(
                    short_code=code
                )
        except IntegrityError:  # the same code drawn for another slip: draw again
            continue
        if not updated:  # made at the same moment by another request
            found.refresh_from_db(fields=["short_code"])
        else:
            found.short_code = code
    return f"{found.short_code[:4]}-{found.short_code[4:]}"


def expired(found: RatingToken) -> bool:
    """Whether the slip is older than ``CHISO_RATING_DAYS`` days."""
    days = settings.CHISO["CHISO_RATING_DAYS"]
    return bool(found.created_at + timedelta(days=days) < timezone.now())


def record_for(dossier_code: str) -> RatingToken:
    """The token record of ``dossier_code`` (created on first use, then stable)."""
    found = RatingToken.objects.filter(dossier_code=dossier_code).first()
    if found is None:
        try:
            with transaction.atomic():
                found = RatingToken.objects.create(
                    dossier_code=dossier_code,
                    token_id=secrets.token_urlsafe(16),
                )
        except IntegrityError:  # created at the same moment by another request
            found = RatingToken.objects.get(dossier_code=dossier_code)
    short_code(found)
    return found


def signed(found: RatingToken) -> str:
    """The signed token printed in the rating link."""
    return SIGNER.sign(found.token_id)


def token_for(dossier_code: str) -> str:
    """The signed token of ``dossier_code`` (created on first use, then stable)."""
    return signed(record_for(dossier_code))


def resolve(token: str) -> RatingToken | None:
    """The token's record, or None when the token is forged, altered or unknown."""
    try:
        token_id = SIGNER.unsign(token)
    except signing.BadSignature:
        return None
    return RatingToken.objects.filter(token_id=token_id).first()


def lookup(text: str) -> RatingToken | None:
    """The token typed or scanned at a kiosk: a rating link, a bare token or a short code
    (case, spaces and dashes ignored); None when it is none of them or unknown."""
    token = find_token(text)
    if token is not None:
        return resolve(token)
    code = re.sub(r"[\s-]", "", text).upper()
    if len(code) != SHORT_LENGTH or any(c not in ALPHABET for c in code):
        return None
    return RatingToken.objects.filter(short_code=code).first()


def find_token(text: str) -> str | None:
    """The token inside ``text`` (a scanned rating URL or the bare token), if any."""
    match = TOKEN_RE.search(text)
    return match.group(1) if match else None
