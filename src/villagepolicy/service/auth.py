"""Bearer-token authentication for every request, in the manner of OPA's `--authentication=token`.

The check runs before routing, so a caller without the token learns nothing: every path, known or
not, gets the same 401 body. Tokens are compared as SHA-256 digests in constant time, so neither
their content nor their length shows in the timing.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import sys
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from ..errors import VillagePolicyError
from .problems import UNAUTHORIZED

MIN_TOKEN_LENGTH = 16


def read_token(path: str | Path) -> str:
    """The token in `path` (surrounding whitespace dropped). Too short or unreadable: a clear error."""
    p = Path(path)
    try:
        token = p.read_text(encoding="utf-8").strip()
        mode = p.stat().st_mode
    except (OSError, UnicodeDecodeError) as e:
        reason = getattr(e, "strerror", None) or str(e)
        raise VillagePolicyError(f"无法读取令牌文件 cannot read the token file {p}: {reason}") from None
    if len(token) < MIN_TOKEN_LENGTH or any(c.isspace() for c in token):
        raise VillagePolicyError(
            f"令牌文件 {p} 应含一个至少 {MIN_TOKEN_LENGTH} 个字符、不含空白的令牌 the token file must hold one token "
            f"of at least {MIN_TOKEN_LENGTH} characters without spaces"
        )
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        print(
            f"注意 note: 令牌文件他人可读 the token file {p} is readable by others (chmod 600 {p})",
            file=sys.stderr,
        )
    return token


def _digest(value: bytes) -> bytes:
    return hashlib.sha256(value).digest()


class BearerAuth:
    """ASGI middleware: requests without `Authorization: Bearer <token>` get 401 and go no further."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.expected = _digest(token.encode("utf-8"))

    def allowed(self, header: bytes) -> bool:
        scheme, _, given = header.partition(b" ")
        ok_scheme = scheme.lower() == b"bearer"  # the scheme is case-insensitive (RFC 9110 11.1)
        ok_token = hmac.compare_digest(_digest(given.strip()), self.expected)
        return ok_scheme & ok_token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan events carry no request
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope["headers"] if k == b"authorization"), b"")
        if self.allowed(header):
            await self.app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(UNAUTHORIZED)).encode()),
                    (b"www-authenticate", b'Bearer realm="villagepolicy"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": UNAUTHORIZED})


def token_from_env() -> str | None:
    """The token handed to worker processes by `villagepolicy serve --workers N` (never on the command line)."""
    return os.environ.get("VILLAGEPOLICY_SERVICE_TOKEN") or None
