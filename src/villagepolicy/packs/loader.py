"""Load pack and jurisdiction files into checked, located objects; every fault is reported as file:line:col."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import vocabulary
from ..conditions import ConditionError, parse, with_declared
from ..errors import PackError, Problem
from ..questions import QUESTIONS
from ..questions.declared import QuestionSpec
from ..questions.declared import build as build_question
from ..questions.declared import register as register_questions
from ..suggest import did_you_mean
from .messages import fullwidth_hint, named_path, translate
from .pack import CompiledRequirement, CompiledRule, LoadedPack
from .parameters import substitute
from .readcache import read_pack_yaml
from .schema import ID, Clause, Interpretation, JurisdictionFile, PackFile, Rule
from .yamlread import Located, YamlError, read_bytes_limited

_ID = re.compile(ID)
_QUESTION_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _schema_problems(loc: Located, e: ValidationError, root: type[BaseModel], prefix: tuple = ()) -> list[Problem]:
    """pydantic's errors as Chinese-first messages at file:line:col, the place named 1-based (第2条规则 rules[2])."""
    out = []
    for err in e.errors(include_url=False):
        path = (*prefix, *err["loc"])
        msg = f"{named_path(path)}: {translate(err, root)}"
        out.append(loc.problem(path, msg, at_key=err["type"] == "extra_forbidden"))
    return out


def _unknown_id(what_zh: str, what_en: str, value: str, valid: list[str]) -> str:
    """'规则引用的条款 '13(9)' 不在本规则包中 cited clause not in the pack; did you mean …; valid: …'."""
    shown = valid if len(valid) <= 40 else [*valid[:40], f"… (+{len(valid) - 40})"]
    return f"{what_zh} {value!r} {what_en}" + did_you_mean(value, shown) + fullwidth_hint(value)


def _clauses_outside_cites(loc: Located, here: tuple, r: Rule) -> list[Problem]:
    """A check's, deadline's, form's or duty's clause in `then` must be one the rule cites: the decision's
    citations come from `cites`, so any other clause would be shown without its text."""
    out: list[Problem] = []

    def walk(v: Any, path: tuple) -> None:
        if isinstance(v, dict):
            for k, x in v.items():
                if k == "clause" and isinstance(x, str):
                    refs = [(x, (*path, k))]
                elif k == "cites" and isinstance(x, list):
                    refs = [(c, (*path, k, j)) for j, c in enumerate(x) if isinstance(c, str)]
                else:
                    walk(x, (*path, k))
                    continue
                for cid, at in refs:
                    if cid not in r.cites:
                        text = _unknown_id(
                            "条款", "不在本规则的 cites 中 is not among the rule's cites", cid, list(r.cites)
                        )
                        out.append(loc.problem(at, f"{named_path(at)}: {text}"))
        elif isinstance(v, list):
            for j, x in enumerate(v):
                walk(x, (*path, j))

    walk(r.then, (*here, "then"))
    return out


_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _unfilled_placeholders(loc: Located, here: tuple, r: Rule, fills: frozenset[str]) -> list[Problem]:
    """A `{name}` in a rule's text that nothing fills would reach the reader with its braces: refuse it.
    Only the message_zh/message_en of a question whose effect declares `placeholders` are filled, by those names."""
    out: list[Problem] = []

    def walk(v: Any, path: tuple, names: frozenset[str]) -> None:
        if isinstance(v, str):
            for name in _PLACEHOLDER.findall(v):
                if name not in names:
                    hint = did_you_mean(name, sorted(names)) if names else "; 此处不填入 nothing is filled here"
                    text = f"{{{name}}} 不会被填入，读者会看到花括号 nothing fills this placeholder{hint}"
                    out.append(loc.problem(path, f"{named_path(path)}: {text}"))
        elif isinstance(v, dict):
            for k, x in v.items():
                walk(x, (*path, k), fills if k in ("message_zh", "message_en") else frozenset())
        elif isinstance(v, list):
            for j, x in enumerate(v):
                walk(x, (*path, j), names)

    walk(r.then, (*here, "then"), frozenset())
    if r.note_en:
        walk(r.note_en, (*here, "note_en"), frozenset())
    return out


def _declared_vocabulary(loc: Located, pf: PackFile) -> list[Problem]:
    """A pack's `vocabulary:` adds ids to open kinds only, never re-declares a shipped id, and uses id spelling."""
    out: list[Problem] = []
    known = vocabulary.kinds()
    open_kinds = [k for k in known if vocabulary.is_open(k)]
    for kind, terms in pf.vocabulary.items():
        here = ("vocabulary", kind)
        if kind not in known:
            text = _unknown_id("未知的词表类别", "unknown vocabulary kind", kind, open_kinds)
            out.append(loc.problem(here, f"{named_path(here)}: {text}", at_key=True))
            continue
        if not vocabulary.is_open(kind):
            text = (
                f"{kind} ({known[kind]['label_zh']}) 是封闭词表，规则包不能新增 is a closed kind: "
                f"packs cannot add ids; 可新增 open kinds: {', '.join(open_kinds)}"
            )
            out.append(loc.problem(here, f"{named_path(here)}: {text}", at_key=True))
            continue
        shipped = vocabulary.labels(kind)
        for tid in terms:
            at = (*here, tid)
            if tid in shipped:
                text = f"{tid!r} 已是内置编号 ({shipped[tid]}) is already a shipped id: use it, do not declare it"
                out.append(loc.problem(at, f"{named_path(at)}: {text}", at_key=True))
            elif not _ID.match(tid):
                text = f"编号 {tid!r} 只能用小写字母、数字、_ . - ids use a-z 0-9 _ . - only"
                out.append(loc.problem(at, f"{named_path(at)}: {text}", at_key=True))
    return out


def _declared_questions(
    loc: Located, pf: PackFile, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, QuestionSpec]]:
    """The questions the pack declares in YAML, built; each mistake at its file:line:col."""
    built: dict[str, Any] = {}
    specs: dict[str, QuestionSpec] = {}
    for name, raw in pf.questions.items():
        here = ("questions", name)
        if name in QUESTIONS:
            text = f"{name!r} 是内置问题 is a built-in question: 请另取名 declare yours under another name"
            problems.append(loc.problem(here, f"{named_path(here)}: {text}", at_key=True))
            continue
        if not _QUESTION_ID.match(str(name)):
            text = f"问题编号 {name!r} 只能用小写字母、数字和 _ question ids use a-z 0-9 _ only"
            problems.append(loc.problem(here, f"{named_path(here)}: {text}", at_key=True))
            continue
        try:
            spec = QuestionSpec.model_validate(raw)
        except ValidationError as e:
            problems.extend(_schema_problems(loc, e, QuestionSpec, here))
            continue
        specs[name] = spec
        built[name] = build_question(name, spec)
    return built, specs


def _former_ids(loc: Located, pf: PackFile) -> list[Problem]:
    """A rule's former ids (`was:`) name it alone: no rule has one as its id today, and no two rules share one."""
    ids = {r.id for r in pf.rules}
    owner: dict[str, str] = {}
    out = []
    for i, r in enumerate(pf.rules):
        for j, old in enumerate(r.was):
            at = ("rules", i, "was", j)
            if old in ids:
                text = f"曾用编号 {old!r} 是现有规则的编号 is the id of a rule today: a former id must name no rule"
            elif old in owner:
                text = f"曾用编号 {old!r} 重复 is already a former id of rule {owner[old]!r}"
            else:
                owner[old] = r.id
                continue
            out.append(loc.problem(at, f"{named_path(at)}: {text}"))
    return out


def check_authorities(loc: Located, jf: JurisdictionFile, packs: dict[str, LoadedPack]) -> list[Problem]:
    """A jurisdiction names shipped authorities or ones its own packs declare (with "did you mean")."""
    valid = list(vocabulary.AUTHORITIES)
    for ref in jf.packs:
        if ref.pack in packs:
            valid += [a for a in packs[ref.pack].vocabulary.get("authority", {}) if a not in valid]
    out = []
    for aid in jf.authorities:
        if aid not in valid:
            at = ("authorities", aid)
            text = _unknown_id("未知的机构编号", "unknown authority id (shipped, or declared by its packs)", aid, valid)
            out.append(loc.problem(at, f"{named_path(at)}: {text}", at_key=True))
    return out


def _same_questions(loc: Located, jf: JurisdictionFile, packs: dict[str, LoadedPack]) -> list[Problem]:
    """Packs of one jurisdiction that declare a question of one name declare the same question: its facts
    are validated once, whichever of them is in force."""
    first: dict[str, tuple[str, Any]] = {}
    out = []
    for i, ref in enumerate(jf.packs):
        lp = packs.get(ref.pack)
        for name, spec in (lp.question_specs if lp is not None else {}).items():
            if name not in first:
                first[name] = (ref.pack, spec)
            elif first[name][1] != spec:
                at = ("packs", i, "pack")
                text = (
                    f"{ref.pack} 与 {first[name][0]} 声明的问题 {name} 不同 declare question {name} differently: "
                    "一个辖区内同名问题须相同 one jurisdiction's packs must declare it alike (rename one)"
                )
                out.append(loc.problem(at, f"{named_path(at)}: {text}"))
    return out


def _read(path: Path) -> Located:
    try:
        raw = read_bytes_limited(path)
    except OSError as e:
        raise PackError([Problem(str(path), 1, 1, f"无法读取 cannot read: {e.strerror}")]) from None
    except YamlError as e:
        raise PackError(e.problems) from None
    try:
        return read_pack_yaml(raw, str(path))
    except YamlError as e:
        raise PackError(e.problems) from None


def load_pack(path: Path) -> LoadedPack:
    loc = _read(path)
    # {parameter: name} references become the values they name before anything else reads the rules
    raw_clauses = loc.data.get("clauses") if isinstance(loc.data, dict) else None
    clause_ids = {c.get("id") for c in raw_clauses if isinstance(c, dict)} if isinstance(raw_clauses, list) else set()
    parameters, problems = substitute(loc, clause_ids)
    try:
        pf = PackFile.model_validate(loc.data if loc.data is not None else {})
    except ValidationError as e:
        raise PackError(problems + _schema_problems(loc, e, PackFile)) from None
    if path.name != f"{pf.pack.id}.yaml":
        problems.append(loc.problem(("pack", "id"), f"文件名应为 file should be named {pf.pack.id}.yaml"))
    problems += _declared_vocabulary(loc, pf)
    own_questions, specs = _declared_questions(loc, pf, problems)

    def question(name: str) -> Any:
        return QUESTIONS.get(name) or own_questions.get(name)

    known_questions = [*QUESTIONS, *own_questions]
    broken_questions = set(pf.questions) - set(own_questions)  # reported already: their rules are not checked
    declared = {kind: frozenset(terms) for kind, terms in pf.vocabulary.items()}
    # what the pack's own rules may name: the shipped ids and its declared ones (the check in vocabulary.enum)
    context = {"vocabulary": declared}
    clauses: dict[str, Clause] = {}
    for i, c in enumerate(pf.clauses):
        if c.id in clauses:
            here = ("clauses", i, "id")
            problems.append(loc.problem(here, f"{named_path(here)}: 重复的条款编号 duplicate clause id {c.id!r}"))
        clauses[c.id] = c
    interps: dict[str, Interpretation] = {}
    for i, it in enumerate(pf.interpretations):
        if it.id in interps:
            here = ("interpretations", i, "id")
            problems.append(loc.problem(here, f"{named_path(here)}: 重复的解释编号 duplicate id {it.id!r}"))
        interps[it.id] = it
        for j, cid in enumerate(it.clauses):
            if cid not in clauses:
                at = ("interpretations", i, "clauses", j)
                text = _unknown_id(
                    "解释所指的条款", "不在本规则包的 clauses 中 is not a clause of this pack", cid, list(clauses)
                )
                problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
    requires: list[CompiledRequirement] = []
    for i, req in enumerate(pf.requires):
        here = ("requires", i)
        for j, cid in enumerate(req.cites):
            if cid not in clauses:
                at = (*here, "cites", j)
                text = _unknown_id(
                    "引用的条款", "不在本规则包的 clauses 中 cited clause not in the pack", cid, list(clauses)
                )
                problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
        rq = question(req.question)
        if rq is None and req.question in broken_questions:
            continue
        if rq is None:
            at = (*here, "question")
            text = _unknown_id("未知的问题", "unknown question", req.question, known_questions)
            problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
            continue
        for j, name in enumerate(req.facts):
            if name not in rq.specs:
                at = (*here, "facts", j)
                text = _unknown_id(f"{req.question} 没有此事实", "no such fact", name, list(rq.specs))
                problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
        try:
            requires.append(CompiledRequirement(req, parse(req.when, with_declared(rq.specs, declared))))
        except ConditionError as e:
            at = (*here, "when", *e.path)
            problems.append(loc.problem(at, f"{named_path(at)}: {e.message}"))
    compiled: list[CompiledRule] = []
    seen: set[str] = set()
    for i, r in enumerate(pf.rules):
        here = ("rules", i)
        if r.id in seen:
            problems.append(
                loc.problem((*here, "id"), f"{named_path(here)}: 重复的规则编号 duplicate rule id {r.id!r}")
            )
        seen.add(r.id)
    problems += _former_ids(loc, pf)
    for i, r in enumerate(pf.rules):
        here = ("rules", i)
        for j, cid in enumerate(r.cites):
            if cid not in clauses:
                at = (*here, "cites", j)
                text = _unknown_id(
                    "规则引用的条款", "不在本规则包的 clauses 中 cited clause not in the pack", cid, list(clauses)
                )
                problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
            elif clauses[cid].not_encodable is not None:
                # A clause cannot be both encoded and "cannot be encoded": coverage would count it twice.
                at = (*here, "cites", j)
                reason = clauses[cid].not_encodable.reason  # type: ignore[union-attr]
                problems.append(
                    loc.problem(
                        at,
                        f"{named_path(at)}: 条款 {cid!r} 已标为不可编码 ({reason})，规则却引用它 the clause is marked "
                        f"not_encodable but a rule cites it: drop the mark or the citation",
                    )
                )
        for j, iid in enumerate(r.interpretations):
            if iid not in interps:
                at = (*here, "interpretations", j)
                text = _unknown_id("未定义的解释", "interpretation not in the pack", iid, list(interps))
                problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
        q = question(r.question)
        if q is None and r.question in broken_questions:
            continue
        if q is None:
            at = (*here, "question")
            text = _unknown_id("未知的问题", "unknown question", r.question, known_questions)
            problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
            continue
        if r.otherwise and r.when:
            problems.append(
                loc.problem(
                    (*here, "when"), f"{named_path(here)}: otherwise 规则不能有 when an otherwise rule has no `when`"
                )
            )
        try:
            cond = parse(r.when, with_declared(q.specs, declared))
        except ConditionError as e:
            at = (*here, "when", *e.path)
            problems.append(loc.problem(at, f"{named_path(at)}: {e.message}"))
            continue
        try:
            effect = q.effect_model.model_validate(r.then, context=context)
        except ValidationError as e:
            problems += _schema_problems(loc, e, q.effect_model, (*here, "then"))
            continue
        problems += _clauses_outside_cites(loc, here, r)
        problems += _unfilled_placeholders(loc, here, r, getattr(q.effect_model, "placeholders", frozenset()))
        compiled.append(CompiledRule(r, cond, effect, loc.where(here)[0]))
    if problems:
        raise PackError(problems)
    for kind, terms in pf.vocabulary.items():  # labels for reports and roster cells
        vocabulary.declare(kind, {i: t.model_dump(exclude_none=True) for i, t in terms.items()})
    register_questions(own_questions)  # titles and outcome labels wherever a decision is shown
    return LoadedPack(
        pf.pack,
        str(path),
        clauses,
        interps,
        compiled,
        requires=requires,
        parameters=parameters,
        vocabulary={k: {i: t.model_dump(exclude_none=True) for i, t in v.items()} for k, v in pf.vocabulary.items()},
        declared_questions=own_questions,
        question_specs=specs,
    )


def load_jurisdiction(path: Path) -> tuple[JurisdictionFile, Located]:
    loc = _read(path)
    try:
        jf = JurisdictionFile.model_validate(loc.data if loc.data is not None else {})
    except ValidationError as e:
        raise PackError(_schema_problems(loc, e, JurisdictionFile)) from None
    if path.name != f"{jf.id}.yaml":
        raise PackError([loc.problem(("id",), f"文件名应为 file should be named {jf.id}.yaml")])
    return jf, loc


def replaced_files(roots: list[Path]) -> list[tuple[Path, Path]]:
    """(a later root's file, the earlier root's file of the same name it replaces): say so, never silently
    (issue 16 item 8: a county's jurisdictions/tongwei.yaml replaced the shipped tongwei unannounced)."""
    seen: dict[tuple[str, str], Path] = {}
    out: list[tuple[Path, Path]] = []
    for root in roots:
        for sub in ("rules", "jurisdictions"):
            folder = root / sub
            for p in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
                earlier = seen.get((sub, p.name))
                if earlier is not None and _differ(p, earlier):  # a copy byte for byte replaces nothing
                    out.append((p, earlier))
                seen[(sub, p.name)] = p
    return out


def _differ(a: Path, b: Path) -> bool:
    try:
        return a.read_bytes() != b.read_bytes()
    except OSError:
        return True


def load_tree(roots: list[Path]) -> tuple[dict[str, LoadedPack], dict[str, JurisdictionFile]]:
    """Load rules/ and jurisdictions/ under each root; a later root's file replaces an earlier one's of the same id."""
    packs: dict[str, LoadedPack] = {}
    jurs: dict[str, tuple[JurisdictionFile, Located]] = {}
    problems: list[Problem] = []
    broken: set[str] = set()  # packs that failed to load: no second error for jurisdictions naming them
    for root in roots:
        if not root.is_dir():
            what = "不是目录 not a folder" if root.exists() else "目录不存在 no such folder"
            problems.append(Problem(str(root), 0, 0, what))
            continue
        if not any((root / sub).is_dir() for sub in ("rules", "jurisdictions", "calendars")):
            problems.append(
                Problem(
                    str(root),
                    0,
                    0,
                    "目录下没有 rules/、jurisdictions/ 或 calendars/ no rules/, jurisdictions/ or calendars/ here",
                )
            )
        for p in sorted((root / "rules").glob("*.yaml")) if (root / "rules").is_dir() else []:
            try:
                lp = load_pack(p)
                packs[lp.id] = lp
            except PackError as e:
                problems.extend(e.problems)
                broken.add(p.stem)
        for p in sorted((root / "jurisdictions").glob("*.yaml")) if (root / "jurisdictions").is_dir() else []:
            try:
                jf, loc = load_jurisdiction(p)
                jurs[jf.id] = (jf, loc)
            except PackError as e:
                problems.extend(e.problems)
    for jf, loc in jurs.values():
        if not any(ref.pack in broken for ref in jf.packs):  # a broken pack's declared ids are unknown
            problems += check_authorities(loc, jf, packs)
            problems += _same_questions(loc, jf, packs)
            vocabulary.name_locally("authority", jf.id, jf.authorities)
        if jf.parent is not None and jf.parent not in jurs:  # issue 16 item 8: `parent: nowhere`
            text = _unknown_id("未知的上级辖区", "unknown parent", jf.parent, sorted(jurs))
            problems.append(loc.problem(("parent",), f"parent: {text}"))
        for i, ref in enumerate(jf.packs):
            if ref.pack not in packs and ref.pack not in broken:
                at = ("packs", i, "pack")
                text = _unknown_id("未知的规则包", "unknown pack", ref.pack, sorted(packs))
                problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
            elif ref.pack in packs:
                for k, cid in enumerate(ref.cites):
                    if cid not in packs[ref.pack].clauses:
                        at = ("packs", i, "cites", k)
                        text = _unknown_id(f"{ref.pack} 没有条款", "no such clause", cid, list(packs[ref.pack].clauses))
                        problems.append(loc.problem(at, f"{named_path(at)}: {text}"))
    if problems:
        raise PackError(problems)
    return packs, {k: v[0] for k, v in jurs.items()}
