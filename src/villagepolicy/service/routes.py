"""The endpoints, under /v1 (and /health). Each calls the library as a Python caller would.

Library calls are CPU-bound and blocking: they run in worker threads, bounded in time
(limits.in_thread). Answers are the library's own JSON (Decision.to_dict()), byte for byte the
same data a Python caller gets.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import FileResponse, Response

from .. import __version__
from ..decision import Decision
from ..errors import FactError, UnknownQuestion
from ..questions import QUESTIONS
from ..roster.check import FAIL_ON
from ..roster.read import RosterError
from .limits import in_thread
from .models import (
    CheckReportBody,
    DecideManyRequest,
    DecideManyResponse,
    DecideRequest,
    Engine,
    ErrorBody,
    ExplainResponse,
    Health,
    JobAccepted,
    JobStatus,
    JurisdictionInfo,
    JurisdictionList,
    PackList,
    QuestionList,
)
from .openapi import with_enums
from .problems import error_of, error_response, json_response

UPLOAD_PREFIX = "/v1/checks"
router = APIRouter()

_ERR = {"model": ErrorBody}
# 422 is declared everywhere so that FastAPI's own validation-error schema never appears (ours replaces it).
_COMMON: dict[int | str, dict[str, Any]] = {401: _ERR, 413: _ERR, 422: _ERR, 500: _ERR, 504: _ERR}
_DECIDING = _COMMON | {404: _ERR}
_Q = "/v1/jurisdictions/{jurisdiction}/questions/{question}"


def _service(request: Request) -> Any:
    return request.app.state.service


@router.get("/health", operation_id="health", response_model=Health, responses=_COMMON, tags=["service"])
async def health() -> Response:
    """Alive and serving (needs the token too when the service has one)."""
    return json_response({"status": "ok", "version": __version__})


# ── what exists ──
def _jurisdiction_info(j: Any) -> dict[str, Any]:
    return {
        "id": j.id,
        "name_zh": j.name_zh,
        "level": j.spec.level,
        "packs": [{"pack": r.pack, "role": r.role, "from": r.from_, "until": r.until} for r in j.spec.packs],
        "questions": j.questions(),
    }


@router.get(
    "/v1/jurisdictions",
    operation_id="listJurisdictions",
    response_model=JurisdictionList,
    responses=_COMMON,
    tags=["packs"],
)
async def list_jurisdictions(request: Request) -> Response:
    """Every jurisdiction: its packs in precedence order and the questions it answers."""
    lib = _service(request).library
    return json_response({"jurisdictions": [_jurisdiction_info(lib.jurisdiction(j)) for j in lib.jurisdictions()]})


@router.get(
    "/v1/jurisdictions/{jurisdiction}",
    operation_id="getJurisdiction",
    response_model=JurisdictionInfo,
    responses=_COMMON | {404: _ERR},
    tags=["packs"],
)
async def get_jurisdiction(request: Request, jurisdiction: str) -> Response:
    return json_response(_jurisdiction_info(_service(request).library.jurisdiction(jurisdiction)))


@router.get("/v1/packs", operation_id="listPacks", response_model=PackList, responses=_COMMON, tags=["packs"])
async def list_packs(request: Request) -> Response:
    """Every loaded pack: its title, the questions it answers, how many clauses and rules it holds."""
    packs = _service(request).library.packs
    return json_response(
        {
            "packs": [
                {
                    "id": pid,
                    "title_zh": p.meta.title_zh,
                    "questions": sorted(p.questions()),
                    "clauses": len(p.clauses),
                    "rules": len(p.rules),
                }
                for pid, p in sorted(packs.items())
            ]
        }
    )


@router.get(
    "/v1/questions", operation_id="listQuestions", response_model=QuestionList, responses=_COMMON, tags=["packs"]
)
async def list_questions(request: Request) -> Response:
    # the built-in questions, then those the served packs declare in YAML
    known = _service(request).library.questions()
    order = [*sorted(QUESTIONS), *sorted(n for n in known if n not in QUESTIONS)]
    return json_response(
        {
            "questions": [
                {"name": n, "title_zh": q.title_zh, "facts_schema": f"/v1/questions/{n}/facts-schema"}
                for n, q in ((n, known[n]) for n in order)
            ]
        }
    )


@router.get(
    "/v1/questions/{question}/facts-schema",
    operation_id="getFactsSchema",
    response_model=dict[str, Any],
    responses=_COMMON | {404: _ERR},
    tags=["packs"],
)
async def facts_schema(request: Request, question: str) -> Response:
    """The JSON Schema (2020-12) of the question's facts, from its pydantic model.

    Cross-field rules (e.g. an end date after a start date) are checked on decide, not in the schema.
    """
    lib = _service(request).library
    known = lib.questions()
    q = known.get(question)
    if q is None:
        raise UnknownQuestion(question, sorted(known))
    schema = with_enums(q.facts_model.model_json_schema(), lib.declared())
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json_response(schema, headers={"content-type": "application/schema+json"})


# ── deciding ──
def _decide(service: Any, path: str, jurisdiction: str, question: str, body: DecideRequest) -> Response:
    d = service.library.jurisdiction(jurisdiction).decide(question, body.facts, body.on, engine=body.engine)
    data = d.to_dict()
    headers = None
    if service.decision_log:
        (decision_id,) = service.decision_log.write(path, jurisdiction, question, body.engine, [(body.facts, data)])
        headers = {"x-decision-id": decision_id}
    return json_response(data, headers=headers)


@router.post(
    f"{_Q}/decide",
    operation_id="decide",
    response_model=Decision,
    responses=_DECIDING,
    tags=["decisions"],
)
async def decide(request: Request, jurisdiction: str, question: str, body: DecideRequest) -> Response:
    """Decide one case: the answer of vp.decide(jurisdiction, question, facts, on, engine=engine)."""
    service = _service(request)
    return await in_thread(service.config.timeout, _decide, service, request.url.path, jurisdiction, question, body)


def _decide_many(service: Any, path: str, jurisdiction: str, question: str, body: DecideManyRequest) -> Response:
    decisions = service.library.jurisdiction(jurisdiction).decide_many(
        question, body.cases, body.on, engine=body.engine
    )
    data = [d.to_dict() for d in decisions]
    if service.decision_log:
        service.decision_log.write(path, jurisdiction, question, body.engine, list(zip(body.cases, data, strict=True)))
    return json_response({"decisions": data})


@router.post(
    f"{_Q}/decide-many",
    operation_id="decideMany",
    response_model=DecideManyResponse,
    responses=_DECIDING,
    tags=["decisions"],
)
async def decide_many(request: Request, jurisdiction: str, question: str, body: DecideManyRequest) -> Response:
    """Decide many cases in one request, in order: the answers of vp.decide_many. A bad row fails the
    whole request (422) naming every bad row as `[row].field`, and nothing is decided."""
    service = _service(request)
    return await in_thread(
        service.config.timeout, _decide_many, service, request.url.path, jurisdiction, question, body
    )


def _explain(service: Any, jurisdiction: str, question: str, body: DecideRequest) -> Response:
    from ..commands.explain import explain as explain_data

    j = service.library.jurisdiction(jurisdiction)
    _, data, _ = explain_data(j, question, body.facts, body.on, body.engine)
    return json_response(data)


@router.post(
    f"{_Q}/explain",
    operation_id="explain",
    response_model=ExplainResponse,
    responses=_DECIDING,
    tags=["decisions"],
)
async def explain(request: Request, jurisdiction: str, question: str, body: DecideRequest) -> Response:
    """Every rule of the question, pack by pack: its condition, whether it fired, the clauses it cites."""
    service = _service(request)
    return await in_thread(service.config.timeout, _explain, service, jurisdiction, question, body)


# ── roster checks ──
FailOn = Literal[FAIL_ON]  # as --fail-on (roster.check.FAIL_ON)


def _check_report(
    service: Any,
    roster: UploadFile,
    attendance: UploadFile | None,
    as_of: dt.date,
    period_from: dt.date | None,
    questions: list[str] | None,
    fail_on: str,
    engine: str,
    force_job: bool,
) -> Response:
    """Read the upload in a private folder, then check it here or hand it to a background job.

    Whoever ends up holding the folder (this call or the job) removes it, errors or not.
    """
    from ..commands.roster import check_questions
    from ..roster import check, read_roster
    from ..roster.report import json_chunks
    from .uploads import place_attendance, place_roster, private_folder, shown_as

    config = service.config
    try:
        check_questions(questions)
    except FactError as e:  # named as the form names the field
        raise FactError([("question", m) for _, m in e.problems]) from None
    if period_from is not None and period_from > as_of:  # named as the form names it, not as the CLI's --from
        raise FactError([("period_from", f"{period_from} 晚于 is after as_of {as_of}")])
    folder_cm = private_folder(config.tmp_dir)
    folder = folder_cm.__enter__()
    handed_over = False
    try:
        names: dict[Path, str] = {}
        try:
            path, shown = place_roster(roster.file, roster.filename, folder, config.max_upload, config.max_extracted)
            names[path] = shown
            att = None
            if attendance is not None:
                att = place_attendance(attendance.file, attendance.filename, folder, config.max_upload)
                names[att] = Path(att.name).name.removeprefix("attendance-")
            data = read_roster(path, att)
        except RosterError as e:
            raise RosterError(shown_as(e.problems, folder, names)) from None
        data.path = shown

        def run() -> bytes:
            try:
                report = check(
                    data, service.library, as_of, period_from=period_from, engine=engine,
                    questions=questions, progress=False, jobs=1, release_rows=True,
                )  # fmt: skip
            except RosterError as e:
                raise RosterError(shown_as(e.problems, folder, names)) from None
            return b"".join(json_chunks(report, fail_on))

        if force_job or len(data.people) > config.job_threshold:

            def job() -> bytes:
                try:
                    return run()
                finally:
                    folder_cm.__exit__(None, None, None)

            status = service.jobs.submit(job, error_of)
            handed_over = True
            return json_response(_job_links(status), 202, headers={"location": f"/v1/jobs/{status['job']}"})
        return Response(run(), media_type="application/json")
    finally:
        if not handed_over:
            folder_cm.__exit__(None, None, None)


def _unknown_job() -> Response:
    return error_response(404, "unknown_job", "没有这个任务（或已过期）", "no such job (or it has expired)")


def _job_links(status: dict[str, Any]) -> dict[str, Any]:
    job = status["job"]
    return {
        "job": job,
        "status": status["status"],
        "status_url": f"/v1/jobs/{job}",
        "result_url": f"/v1/jobs/{job}/result",
    }


@router.post(
    UPLOAD_PREFIX,
    operation_id="checkRoster",
    response_model=CheckReportBody,
    responses=_COMMON | {202: {"model": JobAccepted, "description": "checked as a background job"}},
    tags=["rosters"],
)
async def check_roster(
    request: Request,
    roster: Annotated[
        UploadFile, File(description="roster.xlsx, or a .zip of a CSV folder (attendance may be .parquet)")
    ],
    as_of: Annotated[dt.date, Form(description="the date of the check YYYY-MM-DD (packs in force that day)")],
    # Optional fields are typed without `| None` so that the form's schema has no anonymous unions.
    attendance: Annotated[UploadFile, File(description="attendance table as .csv or .parquet")] = None,  # type: ignore[assignment]
    period_from: Annotated[
        dt.date, Form(description="start of the attendance period (default: a year before as_of)")
    ] = None,  # type: ignore[assignment]  # noqa: E501
    question: Annotated[list[str], Form(description="check only these questions (default: all)")] = None,  # type: ignore[assignment]
    fail_on: Annotated[FailOn, Form(description="lowest severity that makes exit_code 1")] = "violation",
    engine: Annotated[Engine, Form()] = "durable",
    job: Annotated[bool, Form(description="check as a background job whatever the roster's size")] = False,
) -> Response:
    """Check an uploaded roster: the JSON report of `villagepolicy check --format json`, or, for a roster
    of more people than the service's job threshold, 202 with a job to poll."""
    service = _service(request)
    return await in_thread(
        service.config.timeout,
        _check_report,
        service,
        roster,
        attendance,
        as_of,
        period_from,
        question,
        fail_on,
        engine,
        job,
    )


@router.get(
    "/v1/jobs/{job}", operation_id="getJob", response_model=JobStatus, responses=_COMMON | {404: _ERR}, tags=["rosters"]
)
async def get_job(request: Request, job: str) -> Response:
    status = _service(request).jobs.status(job)
    if status is None:
        return _unknown_job()
    return json_response(_job_links(status) | {k: status[k] for k in ("created", "finished", "error")})


@router.get(
    "/v1/jobs/{job}/result",
    operation_id="getJobResult",
    response_model=CheckReportBody,
    responses=_COMMON | {404: _ERR, 409: _ERR},
    tags=["rosters"],
)
async def get_job_result(request: Request, job: str) -> Response:
    """The job's report once it is done; 409 while it runs or when it failed (GET /v1/jobs/{job} says why)."""
    jobs = _service(request).jobs
    status = jobs.status(job)
    if status is None:
        return _unknown_job()
    if status["status"] != "done":
        return error_response(
            409, f"job_{status['status']}", f"任务尚未完成：{status['status']}", f"the job is {status['status']}"
        )
    return FileResponse(jobs.result_path(job), media_type="application/json")
