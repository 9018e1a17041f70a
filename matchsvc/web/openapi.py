"""The OpenAPI 3 document of the JSON API (`GET /api/v1/openapi.json`), checked against the running
app by schemathesis in `tests/test_openapi.py`: every answer the API gives must match it."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from flask import Blueprint, jsonify

from ..stats.aid import AID_LINES
from ..stats.items import KEYS, MONEY_KEYS

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "请求含不允许的字符（如 NUL）",
        401: "未登录且未提供有效的访问令牌，或登录已超时",
        403: "角色无权使用该接口",
        404: "对象不存在，或不在调用者的管辖范围内",
        422: "参数不合法",
    }
    return {
        str(c): {"description": text[c], "content": {"application/json": {"schema": _ERROR}}}
        for c in codes
    }


def _ok(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "200": {"description": description, "content": {"application/json": {"schema": schema}}}
    }


def _id_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "integer", "minimum": 1},
    }


def _limit(maximum: int, default: int) -> dict[str, Any]:
    return {
        "name": "limit",
        "in": "query",
        "description": f"条数（1–{maximum}）",
        "schema": {"type": "integer", "minimum": 1, "maximum": maximum, "default": default},
    }


_RANKED = {
    "fit": {"type": "number", "minimum": 0, "maximum": 100, "description": "契合度 0–100"},
    "components": {
        "type": "object",
        "additionalProperties": {"type": "number"},
        "description": "契合度各部分（专业、学历、地区、技能、意愿）",
    },
    "rules": {"type": "array", "items": {"type": "string"}, "description": "适用的优先规则"},
    "reason": {"type": "string", "description": "推荐理由（中文）"},
}


def document() -> dict[str, Any]:
    items = {
        key: {"type": "number" if key in MONEY_KEYS else "integer", "minimum": 0} for key in KEYS
    }
    # items 01–05: a province's entered figures (persons whole, amounts in 万元), when there
    items |= {
        line.key: {"type": "number" if line.unit == "万元" else "integer", "minimum": 0}
        for line in AID_LINES
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "matchsvc 接口",
            "version": version("matchsvc"),
            "description": "困难职工家庭高校毕业生阳光就业行动：统计表、推荐与候选人。"
            "以登录会话或访问令牌（Authorization: Bearer msv_…）调用；只返回调用者管辖范围内的数据。"
            "令牌只能读取签发时给定的范围：stats:read（统计表）、matching:read（推荐与候选人），"
            "超出范围答 403。",
        },
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": {
            "/api/v1/stats": {
                "get": {
                    "operationId": "stats",
                    "summary": "统计表（第06–16项），按 DOMAIN.md 的数据格式",
                    "parameters": [
                        {
                            "name": "campaign",
                            "in": "query",
                            "required": True,
                            "description": "活动年份",
                            "schema": {"type": "integer", "minimum": 2000, "maximum": 2100},
                        },
                        {
                            "name": "org",
                            "in": "query",
                            "description": "组织区划代码（默认全总 000000）",
                            "schema": {"type": "string", "pattern": "^[0-9]{6}$"},
                        },
                        {
                            "name": "cutoff",
                            "in": "query",
                            "description": "截止日期 YYYY-MM-DD（默认活动的统计截止日）",
                            "schema": {"type": "string", "format": "date"},
                        },
                    ],
                    "responses": {
                        **_ok({"$ref": "#/components/schemas/Table"}, "统计表"),
                        **_errors(400, 401, 403, 404, 422),
                    },
                }
            },
            "/api/v1/graduates/{graduate_id}/recommendations": {
                "get": {
                    "operationId": "recommendations",
                    "summary": "毕业生的推荐（岗位、见习、公益性岗位、培训、创业扶持）",
                    "parameters": [
                        _id_param("graduate_id", "毕业生编号"),
                        {
                            "name": "kind",
                            "in": "query",
                            "description": "类别；不填为就业、见习和公益性岗位合在一起",
                            "schema": {
                                "type": "string",
                                "enum": ["job", "internship", "public", "training", "business"],
                            },
                        },
                        _limit(200, 20),
                    ],
                    "responses": {
                        **_ok(
                            {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Recommendation"},
                            },
                            "按优先规则和契合度排序的推荐",
                        ),
                        **_errors(400, 401, 403, 404, 422),
                    },
                }
            },
            "/api/v1/positions/{position_id}/candidates": {
                "get": {
                    "operationId": "candidates",
                    "summary": "岗位的候选人（调用者管辖范围内；用人单位只见遮盖的姓名，除非已推荐或毕业生表示意向）",
                    "parameters": [_id_param("position_id", "岗位编号"), _limit(500, 50)],
                    "responses": {
                        **_ok(
                            {"type": "array", "items": {"$ref": "#/components/schemas/Candidate"}},
                            "按优先规则和契合度排序的候选人",
                        ),
                        **_errors(400, 401, 403, 404, 422),
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "description": "访问令牌"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string", "description": "中文说明"}},
                },
                "Table": {
                    "type": "object",
                    "required": ["org", "org_name", "campaign", "cutoff", "items"],
                    "additionalProperties": False,
                    "properties": {
                        "org": {"type": "string", "pattern": "^[0-9]{6}$"},
                        "org_name": {"type": "string"},
                        "campaign": {"type": "integer"},
                        "cutoff": {"type": "string", "format": "date"},
                        "items": {
                            "type": "object",
                            "required": list(KEYS),
                            "additionalProperties": False,
                            "properties": items,
                        },
                    },
                },
                "Recommendation": {
                    "type": "object",
                    "required": ["kind", "id", "title", "employer", "region", "state", *_RANKED],
                    "additionalProperties": False,
                    "properties": {
                        "kind": {
                            "type": "string",
                            "enum": ["job", "internship", "public", "training", "business"],
                        },
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "employer": {"type": "string"},
                        "region": {"type": "string"},
                        "state": {
                            "type": "string",
                            "description": "毕业生与该岗位的进展（已表示感兴趣、已推荐、面试、录用、"
                            "未录用）；空为尚无进展",
                        },
                        **_RANKED,
                    },
                },
                "Candidate": {
                    "type": "object",
                    "required": ["graduate_id", "name", "major", "degree", "fresh", *_RANKED],
                    "additionalProperties": False,
                    "properties": {
                        "graduate_id": {
                            "type": "integer",
                            "nullable": True,
                            "description": "未向用人单位显示时为 null",
                        },
                        "name": {"type": "string"},
                        "major": {"type": "string"},
                        "degree": {"type": "string"},
                        "fresh": {"type": "boolean", "description": "应届"},
                        **_RANKED,
                    },
                },
            },
        },
    }


@bp.route("/openapi.json")
def openapi_json() -> Any:
    return jsonify(document())
