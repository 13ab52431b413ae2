"""Rating tokens printed on receipts and the ratings citizens gave (no personal data).

* :class:`RatingToken`: one random 128-bit id per dossier; the printed link carries it
  signed (``tokens.py``), so a guessed or altered link is refused before any lookup and
  no token can be derived from a dossier code.
  It also has a short code (``ABCD-EFGH``) printed under the QR for typing at a kiosk.
* :class:`Kiosk`: a counter tablet an administrator enrolled; its browser keeps a signed
  device key in a cookie (``devices.py``), and only such a browser can rate at the counter.
* :class:`Rating`: one per dossier (unique), with the survey's answers, its channel and,
  for the counter, the kiosk it was given on.  No name, phone
  or address is asked, and the client's address is never stored (the rate limiter keys on
  it in the cache only).  The canonical ``ratings`` row is written from it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy


class Channel(models.TextChoices):
    """How a rating reached the site (values of the canonical ``ratings.channel``)."""

    QR = "qr", gettext_lazy("QR code on the appointment slip")
    KIOSK = "kiosk", gettext_lazy("Tablet at the counter")


class RatingToken(models.Model):
    """The rating link of one dossier."""

    dossier_code = models.CharField(gettext_lazy("dossier code"), max_length=128, unique=True)
    token_id = models.CharField(gettext_lazy("random id"), max_length=32, unique=True)
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    used_at = models.DateTimeField(gettext_lazy("used at"), null=True, blank=True)
    short_code = models.CharField(
        gettext_lazy("short code"), max_length=8, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = gettext_lazy("rating token")
        verbose_name_plural = gettext_lazy("rating tokens")

    def __str__(self) -> str:
        return self.dossier_code


class Kiosk(models.Model):
    """A counter tablet enrolled by an administrator (rates dossiers of its unit's subtree)."""

    name = models.CharField(gettext_lazy("device name"), max_length=100)
    unit_code = models.CharField(gettext_lazy("unit code"), max_length=64)
    key = models.CharField(gettext_lazy("device key"), max_length=32, unique=True)
    enrolled_by = models.CharField(gettext_lazy("enrolled by"), max_length=150)
    enrolled_at = models.DateTimeField(gettext_lazy("enrolled at"), auto_now_add=True)
    revoked_at = models.DateTimeField(gettext_lazy("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = gettext_lazy("counter rating device")
        verbose_name_plural = gettext_lazy("counter rating devices")
        ordering = ("name", "id")

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """A citizen's rating of one dossier (one per dossier)."""

    dossier_code = models.CharField(gettext_lazy("dossier code"), max_length=128, unique=True)
    unit_code = models.CharField(gettext_lazy("unit code"), max_length=64, db_index=True)
    channel = models.CharField(gettext_lazy("channel"), max_length=16, choices=Channel.choices)
    device = models.ForeignKey(
        Kiosk, verbose_name=gettext_lazy("device"), null=True, blank=True, on_delete=models.PROTECT
    )  # None: the citizen's own phone (QR link)
    survey = models.CharField(gettext_lazy("survey form"), max_length=64)
    answers = models.JSONField(gettext_lazy("answers"), default=dict)
    satisfied = models.BooleanField(gettext_lazy("satisfied"))
    rated_at = models.DateTimeField(gettext_lazy("rated at"))

    class Meta:
        verbose_name = gettext_lazy("rating")
        verbose_name_plural = gettext_lazy("ratings")
        ordering = ("-rated_at",)

    def __str__(self) -> str:
        return f"{self.dossier_code} · {self.channel}"
