"""The app factory: the library, the limits, authentication and the error answers around the routes."""

from __future__ import annotations

import os
import tempfile
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .. import __version__
from ..calendar import CalendarMissing
from ..errors import (
    EngineError,
    FactError,
    UnknownJurisdiction,
    UnknownQuestion,
    VillagePolicyError,
    WorkerError,
)
from ..library import Library, default_library, load
from ..roster.read import RosterError
from .auth import BearerAuth, token_from_env
from .config import ENV_CONFIG, ServiceConfig
from .decisionlog import DecisionLog
from .jobs import JobStore
from .limits import BodyLimit, BodyTooLarge, RequestTimeout, too_large_body
from .openapi import install as install_openapi
from .problems import NOT_FOUND, error_response, internal_error, json_response, located, split_message
from .routes import UPLOAD_PREFIX, router
from .uploads import UploadTooLarge


@dataclass
class Service:
    """What the routes share: the loaded packs, the settings, the job store and the decision log."""

    library: Library
    config: ServiceConfig
    jobs: JobStore
    decision_log: DecisionLog | None


def _operation_id(route: APIRoute) -> str:
    # Every route names its operationId; this only covers a route that forgot (stable, not path-derived).
    return route.name


def create_app(config: ServiceConfig | None = None, token: str | None = None) -> FastAPI:
    """The ASGI app. With `token`, every request needs `Authorization: Bearer <token>`."""
    config = config or ServiceConfig()
    library = load(config.packs) if config.packs else default_library()
    own_jobs_dir = config.jobs_dir is None
    jobs_root = Path(config.jobs_dir or tempfile.mkdtemp(prefix="villagepolicy-jobs-"))

    @asynccontextmanager
    async def lifespan(app: FastAPI):  # type: ignore[no-untyped-def]
        yield
        service: Service = app.state.service
        service.jobs.close()
        if service.decision_log:
            service.decision_log.close()
        if own_jobs_dir:
            import shutil

            shutil.rmtree(jobs_root, ignore_errors=True)

    app = FastAPI(
        title="villagepolicy",
        version=__version__,
        summary="驻村工作队/第一书记政策判定服务 village work-team policy decisions, each citing its clauses",
        description="Decisions, explanations and roster checks under the YAML rule packs; see docs/service.md.",
        openapi_url="/v1/openapi.json",
        # The interactive pages load scripts from a CDN: a county's closed network has none.
        docs_url=None,
        redoc_url=None,
        generate_unique_id_function=_operation_id,
        separate_input_output_schemas=False,
        lifespan=lifespan,
    )
    app.state.service = Service(
        library=library,
        config=config,
        jobs=JobStore(jobs_root, config.job_keep_seconds),
        decision_log=DecisionLog(config.decision_log) if config.decision_log else None,
    )
    app.include_router(router)
    install_openapi(app)
    _add_error_answers(app)
    # The middleware added last runs first: authentication, then the body limit, then routing.
    app.add_middleware(BodyLimit, limit=config.max_body, upload_limit=config.max_upload, upload_prefix=UPLOAD_PREFIX)
    if token:
        app.add_middleware(BearerAuth, token=token)
    return app


def app_from_env() -> FastAPI:
    """The factory uvicorn's worker processes call (`villagepolicy serve --workers N`)."""
    config = ServiceConfig.model_validate_json(os.environ.get(ENV_CONFIG, "{}"))
    return create_app(config, token_from_env())


def _problems_of_validation(e: RequestValidationError) -> list[tuple[str, str]]:
    out = []
    for err in e.errors():
        loc = [str(p) for p in err.get("loc", ())]
        if loc and loc[0] in ("body", "query", "path", "header"):
            loc = loc[1:]
        kind = err.get("type")
        msg = "缺少 missing" if kind == "missing" else str(err.get("msg", ""))
        if kind == "extra_forbidden":
            msg = "未知字段 unknown field"
        elif kind == "json_invalid":  # the location is a character offset, not a field
            at = loc[0] if loc else "?"
            loc, msg = [], f"JSON 语法错误 JSON syntax error at character {at}: {err.get('ctx', {}).get('error', '')}"
        out.append((".".join(loc), msg))
    return out


def _add_error_answers(app: FastAPI) -> None:
    async def fact_error(request: Request, e: Exception) -> Response:
        assert isinstance(e, FactError)
        return error_response(422, "bad_facts", "事实有误", "bad facts", e.problems)

    async def roster_error(request: Request, e: Exception) -> Response:
        assert isinstance(e, RosterError)
        problems = [located(p) for p in e.problems]
        return error_response(
            422, "bad_roster", "名册有误，未核查", "the roster has problems; nothing was checked", problems
        )

    async def unknown(request: Request, e: Exception) -> Response:
        # Written here rather than split from the library's message, which interleaves the languages.
        if isinstance(e, UnknownJurisdiction):
            kind_zh, kind_en, given = "辖区", "jurisdiction", e.jurisdiction
        else:
            assert isinstance(e, UnknownQuestion)
            kind_zh, kind_en, given = "问题", "question", e.question
        known = ", ".join(e.known)
        return error_response(
            404,
            f"unknown_{kind_en}",
            f"未知的{kind_zh} {given}；已知：{known}",
            f"unknown {kind_en} {given!r}; known: {known}",
            known=e.known,
        )

    async def bad_request(request: Request, e: Exception) -> Response:
        assert isinstance(e, RequestValidationError)
        return error_response(422, "bad_request", "请求有误", "bad request", _problems_of_validation(e))

    async def http_error(request: Request, e: Exception) -> Response:
        assert isinstance(e, StarletteHTTPException)
        if isinstance(e, BodyTooLarge):
            return json_response(too_large_body(e.limit), 413)
        if e.status_code == 404:
            return error_response(404, *NOT_FOUND)
        if e.status_code == 405:
            return error_response(405, "method_not_allowed", "不支持此方法", "method not allowed for this path")
        detail = str(e.detail)
        if detail == "There was an error parsing the body":  # Starlette's words for bad or too deeply nested JSON
            zh = "请求体无法解析：不是有效的 JSON，或嵌套过深"
            return error_response(e.status_code, "bad_request", zh, "the body cannot be parsed: not JSON, or too deep")
        return error_response(e.status_code, "http_error", detail, detail)

    async def timeout(request: Request, e: Exception) -> Response:
        assert isinstance(e, RequestTimeout)
        return error_response(
            504,
            "timeout",
            f"请求超过 {e.seconds:g} 秒未完成；名册较大时请以后台任务提交（job=true）",
            f"the request took longer than {e.seconds:g} s; submit a large roster as a job (job=true)",
        )

    async def upload_too_large(request: Request, e: Exception) -> Response:
        assert isinstance(e, UploadTooLarge)
        zh, en = split_message(str(e))
        return error_response(413, "too_large", zh, en)

    async def calendar_missing(request: Request, e: Exception) -> Response:
        assert isinstance(e, CalendarMissing)
        zh, en = split_message(str(e))
        # 422 like other input the service cannot judge; `error` and `year` tell a client it is the calendar
        return error_response(422, "calendar_missing", zh, en, year=e.year, question=e.question)

    async def library_error(request: Request, e: Exception) -> Response:
        if isinstance(e, EngineError | WorkerError):
            return internal_error(e)
        zh, en = split_message(str(e))
        return error_response(422, "bad_input", zh, en)

    async def anything(request: Request, e: Exception) -> Response:
        return internal_error(e)

    app.add_exception_handler(FactError, fact_error)
    app.add_exception_handler(RosterError, roster_error)
    app.add_exception_handler(UnknownJurisdiction, unknown)
    app.add_exception_handler(UnknownQuestion, unknown)
    app.add_exception_handler(RequestValidationError, bad_request)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestTimeout, timeout)
    app.add_exception_handler(UploadTooLarge, upload_too_large)
    app.add_exception_handler(CalendarMissing, calendar_missing)
    app.add_exception_handler(VillagePolicyError, library_error)
    app.add_exception_handler(Exception, anything)
