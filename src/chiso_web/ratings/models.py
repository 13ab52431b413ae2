"""Rating tokens printed on receipts and the ratings citizens gave (no personal data).

* :class:`RatingToken`: one random 128-bit id per dossier; the printed link carries it
  signed (``tokens.py``), so a guessed or altered link is refused before any lookup and
  no token can be derived from a dossier code.
* :class:`Rating`: one per dossier (unique), with the survey's answers.  No name, phone
  or address is asked, and the client's address is never stored (the rate limiter keys on
  it in the cache only).  The canonical ``ratings`` row is written from it.
"""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    """How a rating reached the site (values of the canonical ``ratings.channel``)."""

    QR = "qr", "Mã QR trên giấy hẹn"
    KIOSK = "kiosk", "Máy tính bảng tại quầy"


class RatingToken(models.Model):
    """The rating link of one dossier."""

    dossier_code = models.CharField("mã hồ sơ", max_length=128, unique=True)
    token_id = models.CharField("mã ngẫu nhiên", max_length=32, unique=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    used_at = models.DateTimeField("đã dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "mã đánh giá"

    def __str__(self) -> str:
        return self.dossier_code


class Rating(models.Model):
    """A citizen's rating of one dossier (one per dossier)."""

    dossier_code = models.CharField("mã hồ sơ", max_length=128, unique=True)
    unit_code = models.CharField("mã đơn vị", max_length=64, db_index=True)
    channel = models.CharField("kênh", max_length=16, choices=Channel.choices)
    survey = models.CharField("phiếu", max_length=64)
    answers = models.JSONField("câu trả lời", default=dict)
    satisfied = models.BooleanField("hài lòng")
    rated_at = models.DateTimeField("đánh giá lúc")

    class Meta:
        verbose_name = "đánh giá"
        ordering = ("-rated_at",)

    def __str__(self) -> str:
        return f"{self.dossier_code} · {self.channel}"
