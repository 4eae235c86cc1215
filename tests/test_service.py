"""villagepolicy serve over real HTTP on 127.0.0.1: the service answers exactly what the library answers,
and refuses what it should (401, 404, 413, 422, 504, 500) without a traceback or a hint of what exists."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from livekit import LiveServer, multipart  # noqa: E402

import villagepolicy as vp  # noqa: E402
from villagepolicy.commands.explain import explain  # noqa: E402
from villagepolicy.packtest import find_test_files, read_cases  # noqa: E402
from villagepolicy.roster import check, read_roster  # noqa: E402
from villagepolicy.roster.report import to_json  # noqa: E402
from villagepolicy.roster.sample import generate, write_csv_folder  # noqa: E402
from villagepolicy.service import ServiceConfig  # noqa: E402
from villagepolicy.service.problems import split_message  # noqa: E402
from villagepolicy.service.uploads import private_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-token-0123456789abcdef"
Q = "/v1/jurisdictions/{}/questions/{}"
LEAVE = Q.format("shiquan", "leave_approval")
CASES = [c for f in find_test_files([ROOT / "rules-tests"]) for c in read_cases(f)]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory):
    uploads = tmp_path_factory.mktemp("uploads")
    config = ServiceConfig(max_body=64 * 1024, tmp_dir=str(uploads), job_threshold=100)
    with LiveServer(config) as server:
        server.uploads = uploads  # type: ignore[attr-defined]
        yield server


@pytest.fixture(scope="module")
def guarded():
    with LiveServer(ServiceConfig(max_body=4096), token=TOKEN) as server:
        yield server


# ── the same answers as the library ──
def test_every_pack_test_case_gets_the_library_answer_over_http(live: LiveServer) -> None:
    assert len(CASES) > 100
    for case in CASES:
        body = {"facts": case.facts, "on": case.on, "engine": case.engine}
        got = live.call("POST", Q.format(case.jurisdiction, case.question) + "/decide", body)
        try:
            want = vp.decide(case.jurisdiction, case.question, case.facts, case.on, engine=case.engine)
        except vp.FactError as e:
            assert got.status == 422, case.where
            problems = [(p["field"], p["message"]) for p in got.json()["problems"]]
            assert problems == e.problems, case.where
            continue
        assert got.status == 200, (case.where, got.body[:300])
        assert got.json() == json.loads(json.dumps(want.to_dict())), case.where


def test_decide_many_answers_as_vp_decide_many(live: LiveServer) -> None:
    cases = [{"role": r, "days": d} for r in ("first_secretary", "team_member") for d in (1, 5, 6, 10, 11, 31)]
    got = live.call("POST", LEAVE + "/decide-many", {"cases": cases, "on": "2024-05-01"})
    assert got.status == 200
    want = vp.decide_many("shiquan", "leave_approval", cases, "2024-05-01")
    assert got.json() == {"decisions": [d.to_dict() for d in want]}


def test_decide_many_names_every_bad_row_and_decides_nothing(live: LiveServer) -> None:
    cases = [{"role": "first_secretary", "days": 3}, {"role": "first_secretary", "days": 0}, {"days": 4}]
    got = live.call("POST", LEAVE + "/decide-many", {"cases": cases})
    assert got.status == 422
    fields = [p["field"] for p in got.json()["problems"]]
    assert fields == ["[1].days", "[2].role"]


def test_explain_answers_as_the_explain_command(live: LiveServer) -> None:
    facts = {"role": "team_member", "days": 12}
    got = live.call("POST", LEAVE + "/explain", {"facts": facts, "on": "2024-05-01"})
    assert got.status == 200
    _, want, _ = explain(vp.jurisdiction("shiquan"), "leave_approval", facts, "2024-05-01", "durable")
    assert got.json() == json.loads(json.dumps(want, default=str))
    assert got.json()["decision"]["trace"] == ["sq-leave-member-10plus"] or got.json()["decision"]["trace"]


def test_lists_name_every_jurisdiction_pack_and_question(live: LiveServer) -> None:
    js = live.call("GET", "/v1/jurisdictions").json()["jurisdictions"]
    assert [j["id"] for j in js] == vp.jurisdictions()
    assert js[0]["questions"] == vp.jurisdiction(js[0]["id"]).questions()
    assert live.call("GET", "/v1/jurisdictions/shiquan").json()["name_zh"] == vp.jurisdiction("shiquan").name_zh
    packs = live.call("GET", "/v1/packs").json()["packs"]
    assert {p["id"] for p in packs} == set(vp.default_library().packs)
    questions = live.call("GET", "/v1/questions").json()["questions"]
    assert sorted(q["name"] for q in questions) == sorted(vp.default_library().questions())  # declared too


def test_facts_schema_is_the_pydantic_models_and_accepts_a_pack_case(live: LiveServer) -> None:
    import jsonschema

    from villagepolicy.service.openapi import with_enums

    got = live.call("GET", "/v1/questions/leave_approval/facts-schema")
    assert got.status == 200
    schema = got.json()
    assert schema.pop("$schema").endswith("2020-12/schema")
    # the pydantic model's schema, with an enum for each open-vocabulary field (role) for client generators
    # the shipped ids, then those the served packs declare (yangban's 乡村振兴指导员)
    declared = vp.default_library().declared()
    assert schema == with_enums(vp.QUESTIONS["leave_approval"].facts_model.model_json_schema(), declared)
    assert schema["properties"]["role"]["enum"] == [*vp.ROLES, *declared["role"]]
    for name in vp.QUESTIONS:
        s = live.call("GET", f"/v1/questions/{name}/facts-schema").json()
        jsonschema.Draft202012Validator.check_schema(s)
    case = next(c for c in CASES if c.question == "leave_approval" and "error" not in c.expect)
    jsonschema.validate(case.facts, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"role": "first_secretary", "days": "seven"}, schema)


# ── refusals ──
def test_bad_facts_get_422_with_the_fact_error_problems_in_both_languages(live: LiveServer) -> None:
    facts = {"role": "first_secretary", "days": 0, "colour": "red"}
    got = live.call("POST", LEAVE + "/decide", {"facts": facts})
    assert got.status == 422
    body = got.json()
    assert body["error"] == "bad_facts"
    with pytest.raises(vp.FactError) as e:
        vp.decide("shiquan", "leave_approval", facts)
    assert [(p["field"], p["message"]) for p in body["problems"]] == e.value.problems
    unknown = next(p for p in body["problems"] if p["field"] == "colour")
    assert unknown["message_zh"].startswith("未知字段") and unknown["message_zh"] == unknown["message"]
    assert unknown["message_en"] == "unknown field 'colour'; valid: role, days, written_request"


def test_a_malformed_request_gets_422_in_the_same_shape(live: LiveServer) -> None:
    broken = live.call("POST", LEAVE + "/decide", raw=b'{"facts": ', headers={"content-type": "application/json"})
    assert broken.status == 422 and broken.json()["error"] == "bad_request"
    assert broken.json()["problems"][0]["field"] == ""
    misspelt = live.call("POST", LEAVE + "/decide", {"facts": {}, "date": "2024-01-01"})
    assert misspelt.status == 422
    assert [p["field"] for p in misspelt.json()["problems"]] == ["date"]
    assert live.call("POST", LEAVE + "/decide", {"facts": {}, "engine": "fast"}).status == 422


def test_issue16_item6_a_body_nested_20000_deep_gets_a_bilingual_400_not_a_crash(live: LiveServer) -> None:
    deep = b'{"facts": {"role": "team_member", "days": ' + b"[" * 20_000 + b"]" * 20_000 + b"}}"
    r = live.call("POST", LEAVE + "/decide", raw=deep, headers={"content-type": "application/json"})
    assert r.status == 400 and r.json()["error"] == "bad_request" and "嵌套过深" in r.json()["message_zh"]


def test_issue19_a_missing_calendar_year_gets_422_calendar_missing_with_the_year(live: LiveServer) -> None:
    facts = {"role": "team_member", "start_date": "2025-03-01", "handover_start": "2027-02-01"}
    path = "/v1/jurisdictions/shiquan/questions/term_and_handover/decide"
    r = live.call("POST", path, {"facts": facts, "on": "2027-02-01"})
    assert r.status == 422 and r.json()["error"] == "calendar_missing" and r.json()["year"] == 2027


def test_unknown_jurisdiction_or_question_gets_404_listing_the_known_ids(live: LiveServer) -> None:
    got = live.call("POST", Q.format("atlantis", "leave_approval") + "/decide", {"facts": {}})
    assert got.status == 404
    assert got.json()["error"] == "unknown_jurisdiction" and got.json()["known"] == vp.jurisdictions()
    got = live.call("POST", Q.format("shiquan", "weather") + "/decide", {"facts": {}})
    assert got.status == 404
    assert got.json()["known"] == vp.jurisdiction("shiquan").questions()
    assert live.call("GET", "/v1/questions/weather/facts-schema").status == 404
    assert live.call("GET", "/v1/nothing/here").json()["error"] == "not_found"


def test_a_body_over_the_limit_gets_413_whether_announced_or_chunked(guarded: LiveServer) -> None:
    import http.client

    big = {"facts": {"role": "first_secretary", "days": 3, "pad": "x" * 5000}}
    got = guarded.call("POST", LEAVE + "/decide", big, token=TOKEN)
    assert got.status == 413 and got.json()["error"] == "too_large"
    conn = http.client.HTTPConnection("127.0.0.1", guarded.port, timeout=30)
    chunks = (b"x" * 1024 for _ in range(8))  # no Content-Length: counted as it arrives
    conn.request(
        "POST",
        LEAVE + "/decide",
        body=chunks,
        headers={"authorization": f"Bearer {TOKEN}", "content-type": "application/json"},
        encode_chunked=True,
    )
    r = conn.getresponse()
    assert r.status == 413 and json.loads(r.read())["error"] == "too_large"
    conn.close()


def test_without_the_token_every_path_gets_the_same_401(guarded: LiveServer) -> None:
    paths = [("GET", "/health"), ("GET", "/v1/jurisdictions"), ("GET", "/v1/openapi.json"), ("GET", "/v1/nothing"),
             ("POST", LEAVE + "/decide"), ("GET", "/admin")]  # fmt: skip
    bodies = set()
    for method, path in paths:
        for token in (None, "wrong-token-0123456789", TOKEN + "x", TOKEN[:-1]):
            got = guarded.call(method, path, {"facts": {}} if method == "POST" else None, token=token)
            assert got.status == 401, (path, token)
            assert got.headers["www-authenticate"].startswith("Bearer")
            bodies.add(got.body)
        basic = guarded.call(method, path, headers={"authorization": f"Basic {TOKEN}"})
        assert basic.status == 401
        bodies.add(basic.body)
    assert len(bodies) == 1
    assert b"shiquan" not in bodies.pop()
    # Unauthenticated, even an oversized body is refused as 401, before it is read.
    assert guarded.call("POST", LEAVE + "/decide", {"pad": "x" * 10000}).status == 401


def test_with_the_token_requests_are_answered(guarded: LiveServer) -> None:
    assert guarded.call("GET", "/health", token=TOKEN).json()["status"] == "ok"
    got = guarded.call("POST", LEAVE + "/decide", {"facts": {"role": "first_secretary", "days": 3}}, token=TOKEN)
    assert got.status == 200 and got.json()["approvers"] == ["town_party_committee"]
    lower = guarded.call("GET", "/v1/packs", headers={"authorization": f"bearer {TOKEN}"})
    assert lower.status == 200  # the scheme is case-insensitive


def test_a_request_over_the_time_limit_gets_504() -> None:
    with LiveServer(ServiceConfig(timeout=1e-6)) as server:
        got = server.call("POST", LEAVE + "/decide", {"facts": {"role": "first_secretary", "days": 3}})
        assert got.status == 504
        assert got.json()["error"] == "timeout"


def test_an_internal_error_gets_500_with_an_id_and_no_traceback(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with LiveServer() as server:
        lib = server.app.state.service.library

        def broken(jid: str):
            raise RuntimeError("secret internal detail")

        monkeypatch.setattr(lib, "jurisdiction", broken)
        got = server.call("POST", LEAVE + "/decide", {"facts": {"role": "first_secretary", "days": 3}})
    assert got.status == 500
    body = got.json()
    assert body["error"] == "internal_error" and len(body["error_id"]) == 16
    assert b"secret" not in got.body and b"Traceback" not in got.body and b"RuntimeError" not in got.body
    assert body["error_id"] in caplog.text  # logged server-side under the id


# ── the OpenAPI document ──
def test_the_openapi_document_validates_and_suits_client_generators(live: LiveServer) -> None:
    from openapi_spec_validator import validate

    doc = live.call("GET", "/v1/openapi.json").json()
    validate(doc)
    ops = [op for item in doc["paths"].values() for op in item.values()]
    ids = [op["operationId"] for op in ops]
    assert len(ids) == len(set(ids)) and all(i.isidentifier() for i in ids)
    assert {"decide", "decideMany", "explain", "checkRoster", "getJob", "listJurisdictions", "getFactsSchema"} <= set(
        ids
    )
    for op in ops:  # every JSON body, asked or answered, is a named schema
        bodies = [op.get("requestBody", {})] + list(op["responses"].values())
        for b in bodies:
            for media, content in b.get("content", {}).items():
                schema = content["schema"]
                if media in ("application/json", "multipart/form-data") and schema.get("type") != "object":
                    assert "$ref" in schema, (op["operationId"], media, schema)
        for code, r in op["responses"].items():
            if code >= "400":
                assert r["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    # Each question's facts and decision are named schemas a generator makes classes of.
    questions = doc["x-villagepolicy-questions"]
    assert sorted(questions) == sorted(vp.default_library().questions())  # declared questions too
    for refs in questions.values():
        for ref in refs.values():
            assert ref.removeprefix("#/components/schemas/") in doc["components"]["schemas"], ref
    assert questions["leave_approval"]["facts"] == "#/components/schemas/LeaveFacts"


# ── rosters ──
def _report(path: Path, shown: str, as_of: str, attendance: Path | None = None) -> dict:
    report = check(read_roster(path, attendance), vp.default_library(), vp.library.as_date(as_of), jobs=1)
    report.roster = shown
    return json.loads(to_json(report))


def test_an_uploaded_workbook_gets_the_json_report_of_check(live: LiveServer) -> None:
    book = ROOT / "examples/rosters/shiquan.xlsx"
    body, ctype = multipart({"as_of": "2023-01-01"}, {"roster": ("shiquan.xlsx", book.read_bytes())})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 200, got.body[:500]
    assert got.json() == _report(book, "shiquan.xlsx", "2023-01-01")
    assert got.json()["counts"]["violation"] > 0
    assert list(live.uploads.iterdir()) == []  # type: ignore[attr-defined]


def _zipped(folder: Path, inside: str = "") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f"{inside}{f.name}")
    return buf.getvalue()


def test_a_zipped_csv_folder_with_parquet_attendance_gets_the_same_report(live: LiveServer, tmp_path: Path) -> None:
    pa_csv = pytest.importorskip("pyarrow.csv")
    pq = pytest.importorskip("pyarrow.parquet")
    folder = tmp_path / "county"
    write_csv_folder(generate("tongwei", 12, 2019, seed=3), folder)
    want = _report(folder, "county.zip", "2020-01-01")
    body, ctype = multipart({"as_of": "2020-01-01"}, {"roster": ("county.zip", _zipped(folder, "county/"))})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 200, got.body[:500]
    assert got.json()["subjects"] == want["subjects"] and got.json()["counts"] == want["counts"]
    # The attendance table as Parquet, sent beside the zip of the other tables.
    pq.write_table(pa_csv.read_csv(folder / "attendance.csv"), tmp_path / "attendance.parquet")
    (folder / "attendance.csv").unlink()
    files = {
        "roster": ("county.zip", _zipped(folder)),
        "attendance": ("attendance.parquet", (tmp_path / "attendance.parquet").read_bytes()),
    }
    body, ctype = multipart({"as_of": "2020-01-01"}, files)
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 200, got.body[:500]
    assert got.json()["counts"] == want["counts"]
    assert list(live.uploads.iterdir()) == []  # type: ignore[attr-defined]


def test_a_bad_roster_gets_422_naming_cells_by_the_uploaded_name_and_leaves_no_files(
    live: LiveServer, tmp_path: Path
) -> None:
    folder = tmp_path / "r"
    write_csv_folder(generate("shiquan", 3, 2022, seed=1), folder)
    people = (folder / "people.csv").read_text().splitlines()
    people[1] = people[1].replace("shiquan", "atlantis")
    (folder / "people.csv").write_text("\n".join(people) + "\n")
    body, ctype = multipart({"as_of": "2023-01-01"}, {"roster": ("mine.zip", _zipped(folder))})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 422 and got.json()["error"] == "bad_roster"
    assert got.json()["problems"][0]["field"] == "mine.zip/people.csv:people:2:jurisdiction"
    assert str(live.uploads) not in got.body.decode()  # type: ignore[attr-defined]
    assert list(live.uploads.iterdir()) == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "member",
    ["../people.csv", "/etc/people.csv", "a/b/people.csv", "people.sh"],
)
def test_an_unsafe_zip_is_refused_and_nothing_lands_outside(live: LiveServer, member: str) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, "person_id\n")
    body, ctype = multipart({"as_of": "2023-01-01"}, {"roster": ("r.zip", buf.getvalue())})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 422
    assert list(live.uploads.iterdir()) == []  # type: ignore[attr-defined]
    assert not (live.uploads.parent / "people.csv").exists()  # type: ignore[attr-defined]


def test_a_check_with_period_from_after_as_of_gets_422_naming_the_form_field(live: LiveServer) -> None:
    book = ROOT / "examples/rosters/shiquan.xlsx"
    fields = {"as_of": "2023-01-01", "period_from": "2023-02-01"}
    body, ctype = multipart(fields, {"roster": ("shiquan.xlsx", book.read_bytes())})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 422 and [p["field"] for p in got.json()["problems"]] == ["period_from"]
    body, ctype = multipart({"as_of": "2023-01-01", "question": ["weather"]}, {"roster": ("s.xlsx", book.read_bytes())})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 422 and "weather" in got.json()["message_zh"] and "weather" in got.json()["message_en"]
    assert live.call("GET", LEAVE + "/decide").status == 405
    assert list(live.uploads.iterdir()) == []  # type: ignore[attr-defined]


def test_a_zip_that_swells_past_its_bound_gets_413_and_leaves_no_files(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("attendance.csv", "person_id,date,kind\n" + "0" * 300_000)  # ~300 KB in ~1 KB
    assert len(buf.getvalue()) < 5_000
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    with LiveServer(ServiceConfig(max_extracted=100_000, tmp_dir=str(uploads))) as server:
        body, ctype = multipart({"as_of": "2023-01-01"}, {"roster": ("bomb.zip", buf.getvalue())})
        got = server.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 413 and got.json()["error"] == "too_large"
    assert list(uploads.iterdir()) == []


def test_a_zip_holding_a_link_is_refused(live: LiveServer) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("people.csv")
        info.external_attr = 0o120777 << 16  # a symbolic link to /etc/passwd
        zf.writestr(info, "/etc/passwd")
    body, ctype = multipart({"as_of": "2023-01-01"}, {"roster": ("r.zip", buf.getvalue())})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 422 and "not a regular file" in got.json()["problems"][0]["message"]


def test_uploads_are_read_in_a_folder_only_the_service_user_can_open(tmp_path: Path) -> None:
    with private_folder(str(tmp_path)) as folder:
        assert folder.stat().st_mode & 0o777 == 0o700
    assert not folder.exists()
    with pytest.raises(ValueError), private_folder(str(tmp_path)) as folder:
        raise ValueError("an error while reading")
    assert not folder.exists()


def test_a_large_roster_is_checked_as_a_job_with_the_same_report(live: LiveServer) -> None:
    book = ROOT / "examples/rosters/tongwei.xlsx"
    body, ctype = multipart({"as_of": "2020-01-01", "job": "true"}, {"roster": ("tongwei.xlsx", book.read_bytes())})
    got = live.call("POST", "/v1/checks", raw=body, headers={"content-type": ctype})
    assert got.status == 202, got.body[:300]
    job = got.json()
    assert got.headers["location"] == job["status_url"]
    deadline = time.monotonic() + 120
    while (status := live.call("GET", job["status_url"]).json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert status["status"] == "done", status
    result = live.call("GET", job["result_url"])
    assert result.status == 200
    assert result.json() == _report(book, "tongwei.xlsx", "2020-01-01")
    assert list(live.uploads.iterdir()) == []  # type: ignore[attr-defined]
    assert live.call("GET", "/v1/jobs/AAAAAAAAAAAAAAAAAAAAAA").status == 404
    assert live.call("GET", "/v1/jobs/..%2F..%2Fetc").status == 404


# ── the decision log ──
def test_each_decision_is_logged_as_one_json_line_with_its_id(tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    with LiveServer(ServiceConfig(decision_log=str(log))) as server:
        got = server.call("POST", LEAVE + "/decide", {"facts": {"role": "first_secretary", "days": 3}})
        many = [{"role": "team_member", "days": d} for d in (2, 20)]
        server.call("POST", LEAVE + "/decide-many", {"cases": many})
    lines = [json.loads(x) for x in log.read_text().splitlines()]
    assert len(lines) == 3
    assert lines[0]["decision_id"] == got.headers["x-decision-id"]
    assert lines[0]["input"] == {"role": "first_secretary", "days": 3}
    assert lines[0]["result"] == got.json()
    assert [x["input"] for x in lines[1:]] == many
    assert os.stat(log).st_mode & 0o777 == 0o600


def test_split_message_cuts_the_library_messages_at_the_language_change() -> None:
    assert split_message("缺少 missing") == ("缺少", "missing")
    assert split_message("不是日期 not a date (YYYY-MM-DD): 'x'") == ("不是日期", "not a date (YYYY-MM-DD): 'x'")
    assert split_message("Input should be a valid integer") == ("Input should be a valid integer",) * 2
