"""The OpenAPI 3.1 document of the push API, served at ``/api/openapi.json``.

Written so that it says what the code does: its components are the schemas of pydantic
models — a pushed dossier :data:`chiso_web.api.bodies.DossierIn`, one read back
:data:`~chiso_web.api.bodies.DossierOut` and its answer
:class:`~chiso_web.api.bodies.DossierAnswer` (from the canonical dossier table), the answer
to a batch taken :class:`chiso.contracts.answers.Accepted` and the error answer
:class:`chiso.contracts.answers.ErrorAnswer` (the models the view answers with and the
site's published JSON Schemas are built from); the limits come from
:mod:`chiso_web.api.views`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chiso.api import Accepted, json_schema
from chiso_web.api.bodies import DossierAnswer, DossierIn, DossierOut
from chiso_web.schemas import ERROR

MAX_DOSSIERS = 5_000  # keep equal to views.MAX_DOSSIERS (a test checks)
ACCEPTED = json_schema(Accepted)
DOSSIER_ANSWER = json_schema(DossierAnswer)


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _push_operation() -> dict[str, Any]:
    return {
        "operationId": "pushDossiers",
        "summary": "Gửi một lô hồ sơ (tối đa 5.000), tất cả hoặc không",
        "description": "Lô được kiểm tra như một tệp nhập: có lỗi nào thì trả 422 kèm từng lỗi "
        "(row, field, value, reason, hint) và không nhận hồ sơ nào. Lô hợp lệ được lưu ngay "
        "(202) và gộp vào dữ liệu theo dossier_code trong vài giây; gửi lại cùng lô không "
        "thay đổi gì (idempotent).",
        "security": [{"bearer": []}],
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["dossiers"],
                        "properties": {
                            "dossiers": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": MAX_DOSSIERS,
                                "items": {"$ref": "#/components/schemas/DossierIn"},
                            }
                        },
                    }
                }
            },
        },
        "responses": {
            "202": {
                "description": "Đã nhận; sẽ gộp vào dữ liệu trong vài giây",
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}
                },
            },
            "400": _error("Nội dung không phải JSON hoặc thiếu mảng dossiers"),
            "401": _error("Thiếu, sai hoặc đã thu hồi mã truy cập"),
            "403": _error("Có hồ sơ của đơn vị ngoài phạm vi của mã truy cập"),
            "413": _error("Nội dung lớn hơn 16 MB"),
            "422": _error(
                "Có hồ sơ không hợp lệ (errors liệt kê từng lỗi) hoặc lô quá 5.000 hồ sơ"
            ),
        },
    }


def document(request: HttpRequest | None = None) -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "chiso — API tiếp nhận hồ sơ",
            "version": "1",
            "description": "Hệ thống một cửa của tỉnh gửi hồ sơ hành chính vào chiso. Xác thực "
            "bằng mã truy cập (Authorization: Bearer <mã>) do quản trị viên cấp. Mọi lỗi có "
            "một dạng: {ok, status, error, hint, errors}.",
        },
        "paths": {
            "/api/v1/dossiers": {"post": _push_operation()},
            "/api/v1/dossiers/{code}": {
                "get": {
                    "operationId": "getDossier",
                    "summary": "Đọc lại một hồ sơ (trong phạm vi của mã truy cập)",
                    "security": [{"bearer": []}],
                    "parameters": [
                        {
                            "name": "code",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1, "pattern": "^[^/?#%]+$"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Hồ sơ và trạng thái gộp của lần gửi gần nhất",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/DossierAnswer"}
                                }
                            },
                        },
                        "401": _error("Thiếu, sai hoặc đã thu hồi mã truy cập"),
                        "404": _error("Không có hồ sơ này trong phạm vi của mã truy cập"),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "Mã truy cập API"}
            },
            "schemas": {
                "DossierIn": json_schema(DossierIn),
                "Dossier": json_schema(DossierOut),
                "Accepted": ACCEPTED,
                "DossierAnswer": DOSSIER_ANSWER,
                "Error": ERROR,
            },
        },
    }
