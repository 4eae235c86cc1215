"""The OpenAPI document, with each question's facts and decision models as named schemas.

The decide routes take facts as a JSON object (each question validates its own, with the date as
context), so the document would otherwise say nothing about them. Every question's facts model and
decision model are added under components/schemas, and `x-villagepolicy-questions` maps each question
to them: a client generator (openapi-generator for Java, NSwag for .NET) makes a class for each.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic.json_schema import models_json_schema

from ..questions import QUESTIONS

REF = "#/components/schemas/{model}"


def question_schemas(questions: dict[str, Any] | None = None) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """(schemas by name, {question: {"facts": ref, "decision": ref}}) of `questions` (default: the built-in ones;
    the service passes its library's, with the questions its packs declare)."""
    questions = QUESTIONS if questions is None else questions
    models: list[tuple[Any, Any]] = []
    for q in questions.values():
        models.append((q.facts_model, "validation"))
        models.append((q.decision_model, "serialization"))
    keys, top = models_json_schema(models, ref_template=REF)
    refs = {
        name: {
            "facts": keys[(q.facts_model, "validation")]["$ref"],
            "decision": keys[(q.decision_model, "serialization")]["$ref"],
        }
        for name, q in sorted(questions.items())
    }
    return top.get("$defs", {}), refs


def with_enums(schema: Any, declared: dict[str, list[str]]) -> Any:
    """The schema with each open-vocabulary field (role, authority, action: `x-vocabulary`) given an `enum`
    of the shipped ids and those the served packs declare, so a client generator still makes an enum type
    and a county's own ids are in it. Changes `schema` in place and returns it."""
    if isinstance(schema, dict):
        kind = schema.get("x-vocabulary")
        if isinstance(kind, str) and "type" in schema:
            schema["enum"] = [*schema.get("examples", []), *(i for i in declared.get(kind, ()))]
        for v in schema.values():
            with_enums(v, declared)
    elif isinstance(schema, list):
        for v in schema:
            with_enums(v, declared)
    return schema


def install(app: FastAPI) -> None:
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        doc = generate()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        defs, refs = question_schemas(app.state.service.library.questions())
        for name, schema in defs.items():
            # The routes' own schemas (Decision, Citation, Finding) are the same models: keep theirs.
            schemas.setdefault(name, schema)
        doc["x-villagepolicy-questions"] = refs
        with_enums(schemas, app.state.service.library.declared())
        app.openapi_schema = doc
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


__all__ = ["install", "question_schemas"]
