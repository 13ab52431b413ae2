"""Public pages: published results only (no account needed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def index(request: HttpRequest) -> HttpResponse:
    """Published monthly results (the publications app fills this page)."""
    return render(request, "public/index.html", {"publications": []})
