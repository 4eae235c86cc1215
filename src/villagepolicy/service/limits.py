"""Bounds on a request: its body size (413) and its time (504), so one caller cannot hold the service."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .problems import error_body, json_response

T = TypeVar("T")


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException so that FastAPI's body parsing lets it through."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=limit)
        self.limit = limit


def too_large_body(limit: int) -> dict[str, Any]:
    return error_body(
        "too_large",
        f"请求体过大，上限 {limit} 字节",
        f"request body too large; the limit is {limit} bytes",
    )


class BodyLimit:
    """ASGI middleware: 413 when Content-Length or the bytes actually sent pass the limit for the path.

    Uploads (paths under `upload_prefix`) have their own, larger limit.
    """

    def __init__(self, app: ASGIApp, limit: int, upload_limit: int, upload_prefix: str) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.upload_prefix = upload_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_limit if scope["path"].startswith(self.upload_prefix) else self.limit
        length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if length is not None and (not length.isdigit() or int(length) > limit):
            await json_response(too_large_body(limit), 413)(scope, receive, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:  # a chunked body, or one longer than its Content-Length said
                    raise BodyTooLarge(limit)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await json_response(too_large_body(limit), 413)(scope, receive, send)


class RequestTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


async def in_thread(seconds: float, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run the (CPU-bound, blocking) library call in a worker thread; RequestTimeout after `seconds`.

    A thread cannot be stopped: on timeout the caller gets its answer at once and the thread is left
    to finish on its own (its clean-up, e.g. of an upload's folder, still runs).
    """
    try:
        with anyio.fail_after(seconds):
            return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), abandon_on_cancel=True)
    except TimeoutError:
        raise RequestTimeout(seconds) from None
