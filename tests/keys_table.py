"""Every key a pack file may hold, per part of the file and per question, generated from the models that read them.

docs/pack-format.md shows the tables between `<!-- keys:begin -->` and `<!-- keys:end -->`; tests/test_pack_docs.py
fails when they are not what this script produces, so a key added to a model is documented the day it is added.
Each key of `then` names a shipped rule that uses it, so a reader can open a real example. Regenerate with

    python tests/keys_table.py --write
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import doc_markers
import yaml
from pydantic import BaseModel

from villagepolicy.packs.parameters import Parameter
from villagepolicy.packs.schema import (
    Clause,
    Interpretation,
    JurisdictionFile,
    NotApplied,
    NotEncodable,
    PackFile,
    PackMeta,
    PackRef,
    Requirement,
    Rule,
    Term,
)
from villagepolicy.questions import _discover
from villagepolicy.questions.declared import ChecksSpec, DeriveSpec, FactSpec, FieldType, QuestionSpec, RosterSpec
from villagepolicy.vocabulary import Vocab, ids, kinds

DOC = doc_markers.DOCS / "pack-format.md"
BEGIN, END = "<!-- keys:begin -->", "<!-- keys:end -->"
RULES = Path(__file__).resolve().parents[1] / "rules"

# (heading, model) for the parts of a pack and a jurisdiction file, in the order of the file.
PARTS: list[tuple[str, type[BaseModel]]] = [
    ("规则包文件顶层 a pack file's top level", PackFile),
    ("`pack:` 文件信息 the document", PackMeta),
    ("`clauses:` 条款 a clause", Clause),
    ("`not_encodable:` 不可编码 a clause not encoded", NotEncodable),
    ("`interpretations:` 解释 an interpretation", Interpretation),
    ("`parameters:` 参数 a parameter", Parameter),
    ("`requires:` 必需的事实 facts a document needs", Requirement),
    ("`rules:` 规则 a rule", Rule),
    ("`vocabulary:` 县里自己的编号 an id a pack declares", Term),
    ("`questions:` 自定义问题 a question a pack declares", QuestionSpec),
    ("`questions.*.facts` 事实 a fact of a declared question", FactSpec),
    ("`questions.*.facts.*.fields` 记录的数值项 a number a record carries", FieldType),
    ("`questions.*.derive` 推导值 a derived value", DeriveSpec),
    ("`questions.*.checks` 逐项检查的结论 outcomes of `decide: checks`", ChecksSpec),
    ("`questions.*.roster` 名册检查 how `check` asks it of a roster", RosterSpec),
    ("辖区文件 a jurisdiction file", JurisdictionFile),
    ("`packs:` 辖区的规则包 a pack of a jurisdiction", PackRef),
    ("`not_applied:` 未采用的规则包 a pack not applied", NotApplied),
]


def _kind_of(values: tuple[Any, ...]) -> str | None:
    shown = set(values) - {"not_covered"}
    return next((k for k in kinds() if shown and shown == set(ids(k))), None)


def _type(t: Any) -> str:
    """A field's type in a few words a policy official can read."""
    origin, args = typing.get_origin(t), typing.get_args(t)
    if origin is typing.Annotated:
        vocab = next((m for m in t.__metadata__ if isinstance(m, Vocab)), None)
        return f"{vocab.kind} 编号 id" if vocab else _type(args[0])
    if origin in (typing.Union, types.UnionType):
        return " / ".join(_type(a) for a in args if a is not type(None))
    if origin is typing.Literal:
        kind = _kind_of(args)
        return f"{kind} 编号 id" if kind else " \\| ".join(f"`{a}`" for a in args)
    if origin in (list, tuple, set, frozenset):
        return f"[{_type(args[0])}]" if args else "[…]"
    if origin is dict:
        return f"{{{_type(args[0])}: {_type(args[1])}}}" if args else "{…}"
    if isinstance(t, type) and issubclass(t, BaseModel):
        return "{…}"
    name = getattr(t, "__name__", str(t))
    return {"str": "文本 text", "int": "整数 integer", "float": "数 number", "bool": "true/false", "date": "日期 date",
            "Decimal": "数 number", "Any": "任意 any"}.get(name, name)


def _models(t: Any) -> Iterator[type[BaseModel]]:
    if isinstance(t, type) and issubclass(t, BaseModel):
        yield t
    for a in typing.get_args(t):
        yield from _models(a)


def _rows(model: type[BaseModel], prefix: str, examples: dict[str, str], seen: set[type] | None) -> list[str]:
    """One row per key; with `seen`, the keys of nested models too (None: the nested parts have tables of their own)."""
    out = []
    for name, f in model.model_fields.items():
        key = f.alias or name
        path = f"{prefix}{key}"
        need = "必填 required" if f.is_required() else ""
        desc = (f.description or "").replace("|", "\\|")
        example = examples.get(path, "")
        out.append(f"| `{path}` | {_type(f.annotation)} | {need} | {desc} | {example} |")
        for sub in _models(f.annotation) if seen is not None else ():
            if sub not in seen:
                inner = f"{path}[]." if _type(f.annotation).startswith("[") else f"{path}."
                out += _rows(sub, inner, examples, seen | {sub})
    return out


def _paths(v: Any, prefix: str = "") -> Iterator[str]:
    if isinstance(v, dict):
        for k, x in v.items():
            yield f"{prefix}{k}"
            yield from _paths(x, f"{prefix}{k}.")
    elif isinstance(v, list):
        for x in v:
            yield from _paths(x, prefix[:-1] + "[]." if prefix else "")


def _examples() -> dict[str, dict[str, str]]:
    """question -> key path of `then` -> the first shipped rule (pack: rule id) that uses it."""
    out: dict[str, dict[str, str]] = {}
    for path in sorted(RULES.glob("*.yaml")):
        pack = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in pack.get("rules", []):
            seen = out.setdefault(rule["question"], {})
            for key in _paths(rule.get("then", {})):
                seen.setdefault(key, f"{path.stem}: `{rule['id']}`")
    return out


def table() -> str:
    head = ["| 键 key | 取值 value | | 说明 meaning | 示例 shipped example |", "|---|---|---|---|---|"]
    out = [BEGIN, "<!-- Generated by `python tests/keys_table.py --write` from the models that read the files. -->", ""]
    for title, model in PARTS:
        out += [f"**{title}**", "", *head, *_rows(model, "", {}, None), ""]
    examples = _examples()
    for name, q in _discover().items():
        case = ", ".join(f"`{k}`" for k in q.case_model.model_fields)
        out += [f"**{q.title_zh} `{name}`**", "", f"`when` 可检验 may test: {case}", "", *head]
        out += _rows(q.effect_model, "", examples.get(name, {}), {q.effect_model})
        out.append("")
    out.append(END)
    return "\n".join(out)


def current() -> str:
    return doc_markers.current(DOC, BEGIN, END)


if __name__ == "__main__":
    doc_markers.main(DOC, BEGIN, END, table, "keys_table.py")
