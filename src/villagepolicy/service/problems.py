"""Error answers: one JSON shape for every error, bilingual, never a traceback.

The library writes each message Chinese first, then English, in one string ("缺少 missing");
`split_message` cuts it there so that a client can show either language, and the whole message
is kept beside the halves.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any

import orjson
from starlette.responses import Response

from ..errors import EngineError, FactError, VillagePolicyError, WorkerError
from ..roster.read import RosterError

log = logging.getLogger("villagepolicy.service")

# CJK ideographs and full-width punctuation: the Chinese half of a message ends at the last of these.
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def split_message(message: str) -> tuple[str, str]:
    """(Chinese, English) halves of a library message; a message with no Chinese is both."""
    last = None
    for m in _CJK.finditer(message):
        last = m
    if last is None:
        return message, message
    zh, en = message[: last.end()].strip(), message[last.end() :].strip(" ：:;；")
    return zh, en or zh


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    # orjson: UTF-8 without escaping Chinese, and dates as ISO strings.
    return Response(orjson.dumps(data), status_code=status, media_type="application/json", headers=headers)


def error_body(
    error: str, message_zh: str, message_en: str, problems: list[tuple[str, str]] | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"error": error, "message_zh": message_zh, "message_en": message_en, "problems": []}
    for fld, msg in problems or []:
        zh, en = split_message(msg)
        body["problems"].append({"field": fld, "message": msg, "message_zh": zh, "message_en": en})
    body.update({k: v for k, v in extra.items() if v is not None})
    return body


def error_response(status: int, *args: Any, headers: dict[str, str] | None = None, **kw: Any) -> Response:
    return json_response(error_body(*args, **kw), status, headers)


UNAUTHORIZED = orjson.dumps(
    error_body("unauthorized", "需要有效的令牌", "a valid bearer token is required (Authorization: Bearer <token>)")
)
NOT_FOUND = ("not_found", "没有这个地址", "no such path")


def internal_error(exc: BaseException) -> Response:
    """A 500 answer naming only an id; the traceback goes to the server's log under that id."""
    error_id = secrets.token_hex(8)
    log.error("internal error %s", error_id, exc_info=exc)
    return error_response(
        500,
        "internal_error",
        f"内部错误，已记录，编号 {error_id}",
        f"internal error, logged as {error_id}",
        error_id=error_id,
    )


def located(problem: str) -> tuple[str, str]:
    """A roster problem "file:sheet:row:column: message" as (place, message)."""
    place, sep, message = problem.partition(": ")
    return (place, message) if sep and " " not in place else ("", problem)


def error_of(e: BaseException) -> dict[str, Any]:
    """A background job's failure as the error body the same failure gets in a request."""
    if isinstance(e, RosterError):
        return error_body(
            "bad_roster",
            "名册有误，未核查",
            "the roster has problems; nothing was checked",
            [located(p) for p in e.problems],
        )
    if isinstance(e, FactError):
        return error_body("bad_facts", "事实有误", "bad facts", e.problems)
    if isinstance(e, VillagePolicyError) and not isinstance(e, EngineError | WorkerError):
        zh, en = split_message(str(e))
        return error_body("bad_input", zh, en)
    return orjson.loads(internal_error(e).body)
