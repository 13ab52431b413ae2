"""The OpenAPI 3.1 document of the push API, served at ``/api/openapi.json``.

Hand-written so that it says what the code does: the field list comes from the canonical
dossier table, the limits from :mod:`chiso_web.api.views`, the error shape and the other
shared pieces from :mod:`chiso_web.schemas` (the same ones the site's published JSON
Schemas are built from).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from chiso.api import REQUIRED, TABLES, ColumnType
from chiso_web.schemas import BOOL, ERROR, INT, NUM, TEXT, answer

MAX_DOSSIERS = 5_000  # keep equal to views.MAX_DOSSIERS (a test checks)
_FIELD_TYPES: dict[ColumnType, dict[str, Any]] = {
    ColumnType.STRING: TEXT,
    ColumnType.TIMESTAMP: {
        **TEXT,
        "description": "Giờ địa phương, không múi giờ: 2026-10-01T08:00:00, 01/10/2026 08:00 "
        "hoặc 01/10/2026.",
        "examples": ["2026-10-01T08:00:00"],
    },
    ColumnType.DATE: {**TEXT, "examples": ["2026-10-01"]},
    ColumnType.INTEGER: {"type": ["integer", "string", "null"]},
    ColumnType.NUMBER: {
        "type": ["number", "string", "null"],
        "description": "Số; dạng chữ theo kiểu Việt Nam cũng được (1.229.100 hoặc 98,32).",
    },
    ColumnType.BOOLEAN: {
        "type": ["boolean", "string", "null"],
        "description": "true/false; nhãn như Có/Không, x cũng được.",
    },
}
_CHOICES = {
    "channel": ["direct", "online", "postal"],
    "status": [
        "received",
        "processing",
        "supplement",
        "finished",
        "returned",
        "rejected",
        "withdrawn",
    ],
    "payment": None,
}


def _dossier_in() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for column, ctype in TABLES["dossiers"].items():
        prop = dict(_FIELD_TYPES[ctype])
        if _CHOICES.get(column):
            prop["description"] = "Mã chuẩn (" + ", ".join(_CHOICES[column] or []) + ") hoặc nhãn"
        properties[column] = prop
    properties["unit_name"] = {"type": "string", "description": "Thay cho unit_code: tên đơn vị"}
    properties["receiving_point"]["description"] = (
        "Nơi tiếp nhận hồ sơ (từ 1/7/2025 có thể là trung tâm khác trong tỉnh): mã hoặc tên "
        "một đơn vị đã biết. Điểm và phạm vi của mã truy cập vẫn tính theo unit_code (đơn "
        "vị giải quyết). Bỏ trống: lấy theo mã hồ sơ khi mã đó là của một đơn vị đã biết."
    )
    properties["procedure_name"] = {
        "type": "string",
        "description": "Thay cho procedure_code: tên thủ tục",
    }
    properties["dossier_code"] = {"type": "string", "minLength": 1, "maxLength": 200}
    return {
        "type": "object",
        "description": "Một hồ sơ theo các cột chuẩn (docs/data-model.md). Kiểm tra như khi "
        "nhập tệp: cùng quy tắc, cùng lời giải thích.",
        "required": ["dossier_code", "channel", "received_at"],
        "properties": properties,
        "additionalProperties": False,
        "example": {
            "dossier_code": "000.00.27.H17-261001-0001",
            "unit_code": "03158",
            "procedure_code": "1.002918",
            "channel": "online",
            "received_at": "2026-10-01T08:00:00",
            "due_at": "2026-10-03T17:00:00",
            "status": "processing",
        },
    }


def _dossier_out() -> dict[str, Any]:
    types = {
        ColumnType.STRING: TEXT,
        ColumnType.TIMESTAMP: TEXT,
        ColumnType.DATE: TEXT,
        ColumnType.INTEGER: INT,
        ColumnType.NUMBER: NUM,
        ColumnType.BOOLEAN: BOOL,
    }
    return {
        "type": "object",
        "required": list(REQUIRED["dossiers"]),
        "properties": {c: types[t] for c, t in TABLES["dossiers"].items()},
    }


ACCEPTED = {
    "type": "object",
    "required": ["ok", "status", "received", "new", "changed", "unchanged", "merged", "pending"],
    "properties": {
        **answer(202),
        "received": {"type": "integer", "minimum": 1},
        "new": {"type": "integer", "description": "Mã hồ sơ chưa từng gửi"},
        "changed": {"type": "integer", "description": "Đã gửi trước đó, nay khác"},
        "unchanged": {"type": "integer", "description": "Giống hệt lần gửi trước: bỏ qua"},
        "merged": {"type": "boolean", "description": "Đã gộp vào dữ liệu trước khi trả lời"},
        "pending": {"type": "integer", "description": "Hồ sơ còn chờ gộp (vài giây)"},
    },
}
DOSSIER_ANSWER = {
    "type": "object",
    "required": ["ok", "status", "dossier", "push"],
    "properties": {
        **answer(200),
        "dossier": {"$ref": "#/components/schemas/Dossier"},
        "push": {
            "type": ["object", "null"],
            "required": ["state", "received_at", "merged_at"],
            "properties": {
                "state": {"enum": ["pending", "merged"]},
                "received_at": {"type": "string"},
                "merged_at": TEXT,
            },
        },
    },
}


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
                "DossierIn": _dossier_in(),
                "Dossier": _dossier_out(),
                "Accepted": ACCEPTED,
                "DossierAnswer": DOSSIER_ANSWER,
                "Error": ERROR,
            },
        },
    }
