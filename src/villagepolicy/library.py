"""A loaded set of packs and jurisdictions, and the decide() entry point."""

from __future__ import annotations

import copy
import datetime as dt
import threading
import time
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from . import calendar as workdays
from . import vocabulary
from .calendar_files import calendar_for
from .decision import CalendarYear, Citation, Decision, Finding
from .errors import FactError, FutureDateWarning, UnknownJurisdiction, UnknownQuestion
from .gcpause import gc_paused
from .packs.loader import load_tree
from .packs.pack import LoadedPack
from .packs.schema import JurisdictionFile, PackRef
from .questions import QUESTIONS, Match, Question
from .questions._collect import within_range
from .questions.base import first_match


def shipped_root() -> Path:
    """Where the shipped rules/ and jurisdictions/ are: inside the wheel, or the source checkout."""
    data = resources.files("villagepolicy") / "_data"
    if data.is_dir():
        return Path(str(data))
    return Path(__file__).resolve().parents[2]


_today_cache: tuple[float, dt.date] = (float("-inf"), dt.date.min)


def today() -> dt.date:
    """Today, read again at most once a minute (a decision checks it every time)."""
    global _today_cache
    now = time.monotonic()
    if now - _today_cache[0] > 60:
        _today_cache = (now, dt.date.today())
    return _today_cache[1]


def warn_if_future(day: dt.date, stacklevel: int = 3) -> None:
    # A date not after the remembered today is never after the real one: only later dates read the clock.
    if day > _today_cache[1] and day > today():
        warnings.warn(
            FutureDateWarning(
                f"判定日期 {day} 晚于今天 {today()}：届时有效的规则包和工作日历可能还会变化 "
                f"the decision date {day} is after today; the packs and the calendar in force then may still change"
            ),
            stacklevel=stacklevel,
        )


def as_date(on: Any) -> dt.date:
    if on is None:
        return dt.date.today()
    day: dt.date | None = None
    if isinstance(on, dt.datetime):
        day = on.date()
    elif isinstance(on, dt.date):
        day = on
    elif isinstance(on, str):
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            pass
    if day is None:
        raise FactError([("on", f"不是日期 not a date (YYYY-MM-DD): {on!r}")])
    try:
        # Windows and terms around the date overflow near 0001 and 9999 (issue 16 item 6).
        return within_range(day)
    except ValueError as e:
        raise FactError([("on", str(e))]) from None


class Jurisdiction:
    def __init__(self, library: Library, spec: JurisdictionFile) -> None:
        self.library = library
        self.spec = spec
        self.id = spec.id
        self.name_zh = spec.name_zh
        self._known: frozenset[str] | None = None
        self._declared: dict[str, frozenset[str]] | None = None
        self._in_force_memo: dict[tuple[str, dt.date], tuple[str, ...]] = {}
        self._templates: OrderedDict[tuple, _Template] = OrderedDict()
        self._seen_once: set[tuple] = set()
        self._memo_stats: dict[str, _MemoStats] = {}

    def __repr__(self) -> str:
        return f"<Jurisdiction {self.id} {self.name_zh}>"

    def packs(self) -> list[LoadedPack]:
        return [self.library.packs[ref.pack] for ref in self.spec.packs]

    def questions(self) -> list[str]:
        return sorted({q for p in self.packs() for q in p.questions()})

    def rule_id(self, name: str) -> str | None:
        """The id today of a rule of this jurisdiction's packs, given it or a former id (`was:`); else None."""
        return next((r for p in self.packs() if (r := p.rule_id(name)) is not None), None)

    def authority_name(self, authority: str) -> str:
        return (
            self.spec.authorities.get(authority)
            or vocabulary.AUTHORITIES.get(authority)
            or vocabulary.declared_label(authority)
            or authority
        )

    def _in_force(self, ref: PackRef, on: dt.date) -> bool:
        if ref.from_ is not None and on < ref.from_:
            return False
        if ref.until is not None and on > ref.until:
            return False
        return self.library.packs[ref.pack].in_force(on)

    def question(self, name: str) -> Question:
        """The question `name` as this jurisdiction answers it: built-in, or declared by one of its packs."""
        return self._question(name)

    def _question(self, question: str) -> Question:
        q = QUESTIONS.get(question) or next(
            (p.declared_questions[question] for p in self.packs() if question in p.declared_questions), None
        )
        if self._known is None:
            self._known = frozenset(self.questions())
        if q is None or question not in self._known:
            raise UnknownQuestion(question, sorted(self._known), self.id)
        return q

    def _packs_in_force(self, question: str, day: dt.date) -> tuple[str, ...]:
        key = (question, day)
        refs = self._in_force_memo.get(key)
        if refs is None:
            refs = tuple(
                ref.pack
                for ref in self.spec.packs
                if question in self.library.packs[ref.pack].questions() and self._in_force(ref, day)
            )
            if len(self._in_force_memo) >= _MEMO_LIMIT:
                self._in_force_memo.clear()
            self._in_force_memo[key] = refs
        return refs

    @property
    def declared(self) -> dict[str, frozenset[str]]:
        """The ids its packs declare ({kind: ids}): what facts given to this jurisdiction may use besides the
        shipped vocabulary (a county's own role or authority)."""
        if self._declared is None:
            out: dict[str, set[str]] = {}
            for p in self.packs():
                for kind, terms in p.vocabulary.items():
                    out.setdefault(kind, set()).update(terms)
            self._declared = {k: frozenset(v) for k, v in out.items()}
        return self._declared

    @contextmanager
    def vocabulary_in_scope(self) -> Iterator[None]:
        """Validate facts on this thread against this jurisdiction's vocabulary (its packs' declared ids)."""
        before = vocabulary.visible(self.declared)
        try:
            yield
        finally:
            vocabulary.visible(before)

    def decide(self, question: str, facts: Any, on: Any = None, *, engine: str = "durable") -> Decision:
        state = workdays.enter(self.library.calendar)
        seen = vocabulary.visible(self._declared if self._declared is not None else self.declared)
        try:
            d = self._decide(question, facts, on, engine)
        except workdays.CalendarMissing as e:
            raise e.for_question(question) from None
        except RecursionError:
            # A list that contains itself, or nests thousands deep: name where (issue 16 item 6).
            raise FactError(
                [(nested_too_deep(facts), f"嵌套过深或自我引用 nested deeper than {_MAX_DEPTH} or contains itself")]
            ) from None
        finally:
            used = workdays.leave(state)
            vocabulary.visible(seen)
        if used:
            d.calendar = self.library.calendar_years(used)
        elif d.calendar:
            # A remembered decision keeps the years of its first computation; a decision consulting it
            # (subdecide) counts them too, memo hit or not, so its own list never depends on the memo.
            workdays.note_years(c.year for c in d.calendar)
        warn_if_future(d.on)
        return d

    def _decide(self, question: str, facts: Any, on: Any, engine: str) -> Decision:
        q = self._question(question)
        day = as_date(on)
        if q.combine is not first_match:
            return self._decide_facts(q, facts, day, engine)
        parsed = q.validate(facts, day)
        case = q.case(parsed, day)
        # A first-match decision is a function of the case, the packs in force and the date alone, so it is
        # remembered per case and handed out as a fresh copy.
        if not self.library.cache_size:
            return self._decide_case(q, parsed, case, day, engine)
        in_force = self._packs_in_force(question, day)
        try:
            key = (question, engine, in_force, tuple(case.items()), tuple(map(type, case.values())))
            template = self._templates.get(key)
        except TypeError:  # an unhashable case value: decide without the memo
            return self._decide_case(q, parsed, case, day, engine)
        if template is not None:
            return template.copy(day)
        d = self._decide_case(q, parsed, case, day, engine)
        self._offer(key, d, in_force)
        return d

    def _decide_facts(self, q: Question, facts: Any, day: dt.date, engine: str) -> Decision:
        """Other combine functions may read every fact: their decisions are remembered per exact facts and date.

        The key is the facts as given (before validation, which is then skipped on a hit): equal keys
        are equal mappings of equal values of the same types, so the decision is the same.
        """
        if not self.library.cache_size or type(facts) is not dict:
            parsed = q.validate(facts, day)
            return self._decide_case(q, parsed, q.case(parsed, day), day, engine)
        # Facts that rarely repeat (a month of attendance per person) would pay for keys that never hit:
        # the memo is tried on every call only while it hits often enough (see _MemoStats).
        stats = self._memo_stats.get(q.name)
        if stats is None:
            stats = self._memo_stats[q.name] = _MemoStats()
        if not stats.worth_trying():
            parsed = q.validate(facts, day)
            return self._decide_case(q, parsed, q.case(parsed, day), day, engine)
        in_force = self._packs_in_force(q.name, day)
        try:
            key = (q.name, engine, in_force, day, _frozen(facts))
        except TypeError:  # a value not known to compare exactly (see _KEYABLE): decide without the memo
            key = None
        template = self._templates.get(key) if key is not None else None
        stats.record(template is not None)
        if template is not None:
            return template.copy(day)
        parsed = q.validate(facts, day)
        d = self._decide_case(q, parsed, q.case(parsed, day), day, engine)
        if key is not None:
            self._offer(key, d, in_force)
        return d

    def _offer(self, key: tuple, d: Decision, in_force: tuple[str, ...]) -> None:
        if in_force:  # with no pack in force the note names the date
            # Keep a case the second time it is seen: a stream of distinct cases then costs a set insertion
            # each rather than a kept copy each.
            if key in self._seen_once:
                self._remember(key, d)
            else:
                if len(self._seen_once) >= 4 * self.library.cache_size:
                    self._seen_once.clear()
                self._seen_once.add(key)

    def decide_many(self, question: str, cases: Any, on: Any = None, *, engine: str = "durable") -> list[Decision]:
        """Decide `question` for many cases at once; the decisions come back in the order of `cases`.

        `cases` is a list (any iterable) of fact mappings, or a columnar mapping {field: [value, …]} whose
        columns have one length (a pyarrow Table or polars DataFrame works too); in columns, a null
        (None) cell means the fact is absent. Each answer equals `decide(question, case, on)`: identical
        cases are decided once and copied. Bad rows raise one FactError naming every row at fault
        (fields as `[row].field`), and nothing is returned.
        """
        self._question(question)  # unknown questions fail before any row is read
        day = as_date(on)
        columns = _columns(cases)
        out: list[Decision] = []
        append = out.append
        seen: dict[tuple, Decision | _Template] = {}
        problems: list[tuple[str, str]] = []
        bad_rows = shown_rows = 0

        def fresh(key: tuple | None, row: Any, index: int) -> Decision | None:
            nonlocal bad_rows, shown_rows
            try:
                d = self.decide(question, row, day, engine=engine)
            except FactError as e:
                bad_rows += 1
                if len(problems) < _MAX_PROBLEMS:
                    shown_rows += 1
                    problems.extend((f"[{index}].{f}" if f else f"[{index}]", m) for f, m in e.problems)
                return None
            if key is not None:
                seen[key] = d
            return d

        def again(hit: Decision, key: tuple) -> _Template:
            # The first decision of a key is not handed back to the caller before this call ends.
            template = seen[key] = _Template(hit, snapshot=False)
            return template

        # Decisions are acyclic and freed by reference counting; pausing the cycle collector keeps it from
        # rescanning the growing result list every few hundred allocations (that alone costs ~5x).
        with gc_paused():
            if columns is not None:
                names = tuple(columns)
                # A column of one kind of value (no mix of bool/int/float, which compare equal across types)
                # lets the row's values alone identify it; otherwise the types join the key.
                kinds = [set(map(type, c)) for c in columns.values()]
                typed = any(len(k & _NUMERIC) > 1 for k in kinds)
                keyable = all(_KEYABLE.issuperset(k) for k in kinds)
                for index, values in enumerate(zip(*columns.values(), strict=True)):
                    key = (values, tuple(map(type, values))) if typed else values
                    hit = seen.get(key) if keyable else None
                    if hit is not None:
                        if hit.__class__ is not _Template:
                            hit = again(hit, key)  # type: ignore[arg-type]
                        append(hit.copy(day))
                        continue
                    row = {n: v for n, v in zip(names, values, strict=True) if v is not None}
                    append(fresh(key if keyable else None, row, index))  # type: ignore[arg-type]
            else:
                for index, row in enumerate(cases):
                    key = hit = None
                    if type(row) is dict:
                        try:
                            key = (*row.items(), *map(type, row.values()))
                            hit = seen.get(key)
                        except TypeError:  # an unhashable value: this row is decided on its own
                            key = None
                        if hit is not None:
                            if hit.__class__ is not _Template:
                                hit = again(hit, key)  # type: ignore[arg-type]
                            append(hit.copy(day))
                            continue
                        if key is not None and not _KEYABLE.issuperset(key[len(row) :]):
                            key = None  # only exact types are trusted to tell cases apart; see _KEYABLE
                    append(fresh(key, row, index))  # type: ignore[arg-type]
        if problems:
            if bad_rows > shown_rows:
                problems.append(
                    ("", f"共 {bad_rows} 行有误 {bad_rows} rows in all are bad; the first {shown_rows} are listed")
                )
            raise FactError(problems)
        return out

    def _remember(self, key: tuple, d: Decision) -> None:
        template = _Template(d)
        # No lock (a lock held by another thread at fork would stay held in the child): each OrderedDict
        # call is atomic under the GIL, and two threads evicting at once only leave the memo a little smaller.
        while len(self._templates) >= self.library.cache_size:
            try:
                # Forget the oldest (O(1) in an OrderedDict; popping a plain dict's first key repeatedly is not).
                self._templates.popitem(last=False)
            except KeyError:
                break
        self._templates[key] = template

    def _decide_case(self, q: Question, parsed: Any, case: dict[str, Any], day: dt.date, engine: str) -> Decision:
        d = self._decide_in_force(q, parsed, case, day, engine)
        used = workdays.years_used()
        if used:  # so that a remembered copy says which calendar years it rests on
            d.calendar = self.library.calendar_years(used)
        return d

    def _decide_in_force(
        self, q: Question, parsed: Any, case: dict[str, Any], day: dt.date, engine: str
    ) -> Decision:
        question = q.name
        consulted: list[Decision] = []
        in_force = self._packs_in_force(question, day)  # in precedence order
        missing = [m for pack_id in in_force for m in self.library.packs[pack_id].missing(question, case)]
        if missing:
            raise FactError(list(dict.fromkeys(missing)))
        for i, pack_id in enumerate(in_force):
            d = self._decide_pack(q, pack_id, parsed, case, day, engine)
            if d.outcome != "not_covered":
                if consulted:
                    d.packs = [p for c in consulted for p in c.packs] + d.packs
                if q.residual is not None and q.absorb is not None:
                    self._fall_back_on_rest(q, d, parsed, in_force[i + 1 :], day, engine)
                return d
            consulted.append(d)
        if not consulted:
            return q.decision_model(
                jurisdiction=self.id,
                question=question,
                outcome="not_covered",
                on=day,
                citations=self._window_citations(question, day),
                notes=[f"{day} 没有有效的规则包 no pack of {self.id} is in force on {day}"],
            )
        first = consulted[0]
        for other in consulted[1:]:
            first.citations += [c for c in other.citations if c not in first.citations]
            first.trace += other.trace
            first.packs += other.packs
            first.notes += other.notes
        return first

    def _start(self, pack_id: str) -> dt.date:
        """The first day a pack applies in this jurisdiction (its own effective date, or the later `from`)."""
        start = self.library.packs[pack_id].meta.effective_from
        for ref in self.spec.packs:
            if ref.pack == pack_id and ref.from_ is not None and ref.from_ > start:
                start = ref.from_
        return start

    def _decide_pack(
        self, q: Question, pack_id: str, parsed: Any, case: dict[str, Any], day: dt.date, engine: str
    ) -> Decision:
        """One pack's decision. Conduct dated before the pack applies is not judged under it (不溯及既往): it is
        judged under the packs in force on its own dates, and the decision says which."""
        pack = self.library.packs[pack_id]
        earlier: list[dt.date] = []
        whole = parsed
        if q.conduct_dates is not None and q.restrict is not None:
            start = self._start(pack_id)
            earlier = sorted({x for x in q.conduct_dates(parsed) if x < start})
            if earlier:
                parsed = q.restrict(parsed, lambda x: x >= start)
                case = q.case(parsed, day)

        def subdecide(other: str, other_facts: Any) -> Decision:
            return self.decide(other, other_facts, day, engine=engine)

        rules = pack.match(q.name, case, engine)
        d = q.combine(Match(pack, rules, parsed, case, day, self.id, q, subdecide))
        if earlier and d.outcome != "not_covered":
            self._judge_earlier(q, d, pack_id, whole, earlier, engine)
        return d

    def _judge_earlier(
        self, q: Question, d: Decision, pack_id: str, whole: Any, dates: list[dt.date], engine: str
    ) -> None:
        assert q.restrict is not None and q.absorb is not None
        groups: dict[tuple[str, ...], list[dt.date]] = {}
        for x in dates:
            groups.setdefault(self._packs_in_force(q.name, x), []).append(x)
        start = self._start(pack_id)
        for packs, ds in groups.items():
            span = f"{ds[0]}" if ds[0] == ds[-1] else f"{ds[0]}…{ds[-1]}"
            if packs:
                sub_facts = q.restrict(whole, set(ds).__contains__)
                sub = self._decide_case(q, sub_facts, q.case(sub_facts, ds[-1]), ds[-1], engine)
                q.absorb(d, sub, False, [self.library.packs[pack_id]])
                d.notes.append(
                    f"{span} 的行为早于 {pack_id}（{start} 起适用），按当时有效的 {', '.join(packs)} 处理 "
                    f"conduct of {span} predates {pack_id} (applies from {start}): judged under {', '.join(packs)}, "
                    f"in force then"
                )
            else:
                window = self._window_citations(q.name, ds[0])
                d.citations += [c for c in window if c not in d.citations]
                d.manual_checks.append(
                    Finding(
                        id=f"not_in_force.{ds[0]}",
                        passed=False,
                        hedged=True,
                        severity="manual_check",
                        message_zh=f"{span} 的行为早于 {pack_id}（{start} 起适用），当时 {self.id} 没有有效的规则包，"
                        "本办法不溯及既往：未予判定",
                        message_en=f"conduct of {span} predates {pack_id} (applies from {start}) and no pack of "
                        f"{self.id} was in force then: not judged (no retroactivity)",
                        citation=next(iter(window), None),
                    )
                )

    def _window_citations(self, question: str, day: dt.date) -> list[Citation]:
        """The clauses showing why no pack of this jurisdiction answers `question` on `day`: for each pack that
        would, the clauses its jurisdiction entry cites for its period of force."""
        out: list[Citation] = []
        for ref in self.spec.packs:
            pack = self.library.packs[ref.pack]
            if question not in pack.questions() or self._in_force(ref, day):
                continue
            for cid in ref.cites:
                c = pack.clauses[cid]
                cite = Citation(pack=ref.pack, clause=cid, text_zh=c.text_zh, summary_en=c.summary_en)
                if cite not in out:
                    out.append(cite)
        return out

    def _fall_back_on_rest(
        self, q: Question, d: Decision, parsed: Any, later: tuple[str, ...], day: dt.date, engine: str
    ) -> None:
        """Where the deciding pack is silent on part of the facts (a kind of conduct), the later packs in force
        decide that part, in precedence order, and are cited (a county silent on 弄虚作假 → the central rule)."""
        assert q.residual is not None and q.absorb is not None
        deciders = [self.library.packs[p] for p in d.packs if p in self.library.packs]
        for pack_id in later:
            rest = q.residual(d, parsed, deciders)
            if rest is None:
                return
            sub = self._decide_pack(q, pack_id, rest, q.case(rest, day), day, engine)
            if sub.outcome != "not_covered":
                q.absorb(d, sub, True, deciders)
                deciders.append(self.library.packs[pack_id])


_MEMO_LIMIT = 4096


class _MemoStats:
    """How often a question's memo hits; below 1 in 20 over the last few hundred tries it is mostly
    skipped, and still tried on one call in 32 so that a change in the stream turns it back on."""

    __slots__ = ("tries", "hits", "calls")

    def __init__(self) -> None:
        self.tries = self.hits = self.calls = 0

    def worth_trying(self) -> bool:
        self.calls += 1
        return self.tries < 256 or self.hits * 20 >= self.tries or self.calls % 32 == 0

    def record(self, hit: bool) -> None:
        self.tries += 1
        self.hits += hit
        if self.tries >= 1024:  # forget the older half: the rate follows the recent stream
            self.tries //= 2
            self.hits //= 2


_MAX_PROBLEMS = 100
# Fact values that identify a case exactly (by type and value), so identical cases can share one decision.
_KEYABLE = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_NUMERIC = frozenset({int, float, bool})


def _columns(cases: Any) -> dict[str, list[Any]] | None:
    """The columns of a columnar `cases`, or None when `cases` is an iterable of rows."""
    if hasattr(cases, "to_arrow") and not isinstance(cases, Mapping):  # polars
        cases = cases.to_arrow()
    if hasattr(cases, "to_pydict") and not isinstance(cases, Mapping):  # pyarrow Table / RecordBatch
        cases = cases.to_pydict()
    if isinstance(cases, Mapping):
        problems = []
        columns: dict[str, list[Any]] = {}
        for name, col in cases.items():
            if isinstance(col, str | bytes | Mapping) or not isinstance(col, Iterable):
                kind = type(col).__name__
                problems.append((str(name), f"列必须是值的列表 a column must be a list of values, not {kind}"))
                continue
            # Arrow and numpy columns give Python values (a numpy int64 is not an int to strict validation).
            if hasattr(col, "to_pylist"):
                col = col.to_pylist()
            elif hasattr(col, "tolist"):
                col = col.tolist()
            columns[str(name)] = list(col)
        lengths = {n: len(c) for n, c in columns.items()}
        if len(set(lengths.values())) > 1:
            sizes = ", ".join(f"{n}={k}" for n, k in lengths.items())
            problems.append(("", f"各列长度不同 columns differ in length: {sizes}"))
        if problems:
            raise FactError(problems)
        return columns
    if isinstance(cases, str | bytes) or not isinstance(cases, Iterable):
        raise FactError(
            [
                (
                    "",
                    f"cases 必须是映射的列表或列的映射 cases must be a list of mappings or a mapping of columns, "
                    f"not {type(cases).__name__}",
                )
            ]
        )
    return None


_MAX_DEPTH = 100


def nested_too_deep(facts: Any) -> str:
    """The dotted path of the first value in `facts` nested deeper than _MAX_DEPTH or containing itself
    (found without recursion, so it works where the recursive readers failed)."""
    stack: list[tuple[Any, tuple[str, ...], frozenset[int]]] = [(facts, (), frozenset())]
    while stack:
        v, path, above = stack.pop()
        if not isinstance(v, dict | list | tuple):
            continue
        if id(v) in above or len(path) > _MAX_DEPTH:
            return ".".join(path[: _MAX_DEPTH // 20 or 1]) + ("…" if len(path) > 1 else "")
        items = v.items() if isinstance(v, dict) else enumerate(v)
        inner = above | {id(v)}
        stack.extend((x, (*path, str(k)), inner) for k, x in items)
    return ""


def _frozen(v: Any) -> Any:
    """A hashable stand-in for JSON-like facts that equals another only for equal values of equal types
    (1, 1.0 and True are told apart; so are a list and a tuple). TypeError for any other value."""
    t = type(v)
    if t is dict:
        return (dict, *((k, _frozen(x)) for k, x in v.items()))
    if t is list or t is tuple:
        return (t, *map(_frozen, v))
    if t in _KEYABLE:
        return (t, v)
    raise TypeError(t)


_SHARED = (str, int, float, bool, type(None), dt.date)


def _shareable(v: Any) -> bool:
    """Immutable values that copies of a decision may share."""
    if isinstance(v, _SHARED):
        return True
    return isinstance(v, BaseModel) and bool(v.model_config.get("frozen"))


class _Template:
    """A decided Decision kept as the recipe for fresh, independent copies (no re-validation).

    Scalars and frozen models (Citation) are shared; lists of them are copied shallowly; anything else
    (a Finding, a nested mutable model) is deep-copied, so a caller mutating its decision cannot reach
    another caller's.
    """

    __slots__ = ("cls", "data", "fields_set", "extra", "private", "lists", "deep")

    def __init__(self, d: Decision, *, snapshot: bool = True) -> None:
        # snapshot=False reads `d` as it is: only for copies made before anyone else can change `d`.
        self.cls = type(d)
        self.data = d.__dict__
        self.fields_set = set(d.__pydantic_fields_set__)
        self.extra = d.__pydantic_extra__
        self.private = d.__pydantic_private__
        lists = [k for k, v in self.data.items() if type(v) is list and all(map(_shareable, v))]
        self.lists = tuple(lists)
        self.deep = tuple(k for k, v in self.data.items() if k not in lists and not _shareable(v))
        if snapshot:  # keep a private copy, so that the caller may change `d`
            own = self.copy(d.on)
            self.data, self.extra, self.private = own.__dict__, own.__pydantic_extra__, own.__pydantic_private__

    def copy(self, day: dt.date) -> Decision:
        data = self.data.copy()
        data["on"] = day
        for k in self.lists:  # every list field gets a list of its own
            data[k] = data[k][:]
        for k in self.deep:
            data[k] = _clone(data[k])
        d = _new(self.cls)
        _set_dict(d, data)
        _set_fields_set(d, self.fields_set.copy())
        # Each copy needs its own extra/private dicts (empty ones too): a caller may set attributes on it.
        extra, private = self.extra, self.private
        _set_extra(d, None if extra is None else copy.deepcopy(extra) if extra else {})
        _set_private(d, None if private is None else copy.deepcopy(private) if private else {})
        return d


def _clone(v: Any) -> Any:
    """A deep copy of a decision's field (models, lists, dicts), sharing only immutable values.

    copy.deepcopy does the same for these trees at several times the cost: it memoises every object.
    """
    if _shareable(v):
        return v
    t = type(v)
    if t is list:
        return [_clone(x) for x in v]
    if t is dict:
        return {k: _clone(x) for k, x in v.items()}
    if isinstance(v, BaseModel):
        m = _new(t)
        _set_dict(m, {k: _clone(x) for k, x in v.__dict__.items()})
        _set_fields_set(m, set(v.__pydantic_fields_set__))
        extra, private = v.__pydantic_extra__, v.__pydantic_private__
        _set_extra(m, None if extra is None else _clone(extra))
        _set_private(m, None if private is None else copy.deepcopy(private))
        return m
    return copy.deepcopy(v)


# The slots pydantic keeps on every model, set directly as pydantic's own model_construct/__copy__ do.
_new = object.__new__
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


class Library:
    """Packs and jurisdictions loaded from one or more folders holding rules/ and jurisdictions/."""

    # How many decided cases each jurisdiction remembers (0: none). Answers never depend on it.
    cache_size: int = 4096

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.packs, self._jurisdictions = load_tree(roots)
        # The working-day calendar: the shipped years plus the folders' own calendars/ (added or overriding).
        self.calendar = calendar_for(roots)
        self._cache: dict[str, Jurisdiction] = {}

    def calendar_years(self, years: Iterable[int]) -> list[CalendarYear]:
        """The sources of `years` in this library's calendar, as a decision lists them."""
        out = []
        for y in sorted(years):
            if self.calendar.covers(y):
                s = self.calendar.source(y)
                out.append(CalendarYear(year=y, origin=s.origin, file=s.file, notice=s.notice,
                                        overrides_shipped=s.overrides_shipped))
        return out

    def jurisdictions(self) -> list[str]:
        return sorted(self._jurisdictions)

    def questions(self) -> dict[str, Question]:
        """Every question these packs answer or declare: the built-in ones, then those packs declare in YAML."""
        out = dict(QUESTIONS)
        for p in self.packs.values():
            for name, q in p.declared_questions.items():
                out.setdefault(name, q)
        return out

    def rule_id(self, name: str) -> str | None:
        """The id today of a rule of any loaded pack, given it or a former id (`was:`); else None."""
        return next((r for p in self.packs.values() if (r := p.rule_id(name)) is not None), None)

    def declared(self) -> dict[str, list[str]]:
        """Every id the loaded packs declare, {kind: ids} (a county's own roles, authorities, actions)."""
        out: dict[str, set[str]] = {}
        for p in self.packs.values():
            for kind, terms in p.vocabulary.items():
                out.setdefault(kind, set()).update(terms)
        return {k: sorted(v) for k, v in sorted(out.items())}

    def jurisdiction(self, jurisdiction_id: str) -> Jurisdiction:
        j = self._cache.get(jurisdiction_id)
        if j is None:
            spec = self._jurisdictions.get(jurisdiction_id)
            if spec is None:
                raise UnknownJurisdiction(jurisdiction_id, self.jurisdictions())
            j = self._cache[jurisdiction_id] = Jurisdiction(self, spec)
        return j

    def decide(
        self, jurisdiction: str, question: str, facts: Any, on: Any = None, *, engine: str = "durable"
    ) -> Decision:
        return self.jurisdiction(jurisdiction).decide(question, facts, on, engine=engine)

    def decide_many(
        self, jurisdiction: str, question: str, cases: Any, on: Any = None, *, engine: str = "durable"
    ) -> list[Decision]:
        return self.jurisdiction(jurisdiction).decide_many(question, cases, on, engine=engine)


_default: Library | None = None
_default_lock = threading.Lock()


def default_library() -> Library:
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Library([shipped_root()])
    return _default


def load(path: str | Path | None = None, *, include_shipped: bool = True) -> Library:
    """Load a folder holding rules/ and jurisdictions/; its packs extend or replace the shipped ones."""
    roots = [shipped_root()] if include_shipped else []
    if path is not None:
        roots.append(Path(path))
    return Library(roots)
