"""Signed, unguessable rating tokens.

A token is ``<id>.<signature>``: ``id`` is 128 random bits (``secrets``) stored in
:class:`RatingToken`, the signature is Django's HMAC-SHA256 of it with the site's secret
key and the salt ``chiso-rating``.  Nothing in a token depends on the dossier code, so
one receipt's link tells nothing about another's; an altered link fails the signature
check before the database is asked.
"""

from __future__ import annotations

import re
import secrets

from django.core import signing
from django.db import IntegrityError, transaction

from chiso_web.ratings.models import RatingToken

SALT = "chiso-rating"
SIGNER = signing.Signer(salt=SALT, sep=".")
#: A token as it appears in a rating link (also inside a scanned URL).
TOKEN_RE = re.compile(r"([A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{20,})")


def token_for(dossier_code: str) -> str:
    """The signed token of ``dossier_code`` (created on first use, then stable)."""
    found = RatingToken.objects.filter(dossier_code=dossier_code).first()
    if found is None:
        try:
            with transaction.atomic():
                found = RatingToken.objects.create(
                    dossier_code=dossier_code, token_id=secrets.token_urlsafe(16)
                )
        except IntegrityError:  # created at the same moment by another request
            found = RatingToken.objects.get(dossier_code=dossier_code)
    return SIGNER.sign(found.token_id)


def resolve(token: str) -> RatingToken | None:
    """The token's record, or None when the token is forged, altered or unknown."""
    try:
        token_id = SIGNER.unsign(token)
    except signing.BadSignature:
        return None
    return RatingToken.objects.filter(token_id=token_id).first()


def find_token(text: str) -> str | None:
    """The token inside ``text`` (a scanned rating URL or the bare token), if any."""
    match = TOKEN_RE.search(text)
    return match.group(1) if match else None
