"""Shared by the duty, supervision, term and benefit questions: periods, money as Decimal, merging matches.

Not a question module (the leading underscore keeps it out of discovery).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer

from ..decision import Citation
from ..errors import DeprecatedFactWarning, EngineError
from ..packs.schema import Rule
from ..vocabulary import deprecated
from .base import Match

FEN = Decimal("0.01")


def warn_if_deprecated(kind: str, value: str, field: str) -> None:
    """An id kept only as an alias (`deprecated:` in vocabulary.yaml) still decides, and says what replaces it."""
    hint = deprecated(kind).get(value)
    if hint is not None:
        warnings.warn(DeprecatedFactWarning(f"{field} {value} 已弃用 is deprecated: {hint}"), stacklevel=3)

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|[Qq]([1-4])|[Hh]([12])))?$")


@dataclass(frozen=True)
class Period:
    """A calendar period: a year `2022`, a half-year `2022-H2`, a quarter `2022-Q1` or a month `2022-03`."""

    kind: str  # year | half_year | quarter | month
    start: dt.date
    end: dt.date
    label: str

    def __str__(self) -> str:
        return self.label


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _cal.monthrange(year, month)[1])


def parse_period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not (m := _PERIOD.match(value.strip())):
        raise ValueError(
            f"不是期间 not a period: {value!r}; "
            "写作 write a year 2022, half-year 2022-H1, quarter 2022-Q3 or month 2022-03"
        )
    year = int(m.group(1))
    if not 1900 <= year <= 2100:
        raise ValueError(f"年份超出范围 year out of range: {year}")
    month, quarter, half = m.group(2), m.group(3), m.group(4)
    if month:
        mo = int(month)
        return Period("month", dt.date(year, mo, 1), month_end(year, mo), f"{year}-{mo:02d}")
    if quarter:
        q = int(quarter)
        return Period("quarter", dt.date(year, 3 * q - 2, 1), month_end(year, 3 * q), f"{year}-Q{q}")
    if half:
        h = int(half)
        return Period("half_year", dt.date(year, 6 * h - 5, 1), month_end(year, 6 * h), f"{year}-H{h}")
    return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))


def parse_month(value: Any) -> Period:
    p = parse_period(value)
    if p.kind != "month":
        raise ValueError(f"需要月份 a month is needed (YYYY-MM), got {value!r}")
    return p


PeriodField = Annotated[Period, BeforeValidator(parse_period), PlainSerializer(str, return_type=str)]
MonthField = Annotated[Period, BeforeValidator(parse_month), PlainSerializer(str, return_type=str)]


def to_decimal(value: Any) -> Decimal:
    """Money and distances as Decimal. A float is taken by its shortest repr (what was typed: 0.8 -> 0.8)."""
    if isinstance(value, bool):
        raise ValueError("不是数 not a number")
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int):
        d = Decimal(value)
    elif isinstance(value, float):
        d = Decimal(repr(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"不是数 not a number: {value!r}") from None
    else:
        raise ValueError(f"不是数 not a number: {value!r}")
    if not d.is_finite():
        raise ValueError(f"不是有限数 not a finite number: {value!r}")
    return d


def to_decimal_no_float(value: Any) -> Decimal:
    """For amounts written in packs: a YAML float (0.8) is refused so no binary rounding ever enters a rate."""
    if isinstance(value, float):
        raise ValueError(f'金额请加引号 write amounts as quoted decimals ("{value!r}"), not floats')
    return to_decimal(value)


def _money_str(d: Decimal) -> str:
    return format(d, "f")


Money = Annotated[Decimal, BeforeValidator(to_decimal), PlainSerializer(_money_str, return_type=str)]
PackMoney = Annotated[Decimal, BeforeValidator(to_decimal_no_float), PlainSerializer(_money_str, return_type=str)]


def yuan(d: Decimal) -> Decimal:
    """Round to the fen (0.01 yuan), half up as on a pay slip."""
    return d.quantize(FEN, rounding=ROUND_HALF_UP)


def single_outcome(m: Match) -> str:
    """The matched rules of a collecting question must agree on the outcome (else the pack is inconsistent)."""
    outcomes = {r.effect.outcome for r in m.rules}  # type: ignore[attr-defined]
    if len(outcomes) > 1:
        ids = ", ".join(r.rule.id for r in m.rules)
        raise EngineError(
            f"{m.pack.meta.id}: rules {ids} match the same facts with different outcomes {sorted(outcomes)}"
        )
    return outcomes.pop()


def not_covered(m: Match) -> Any:
    note = f"{m.pack.meta.id}: 文件未规定 the document does not regulate this"
    return m.base("not_covered", notes=[note] if m.rules else [note + " (no rule matched)"])


def item_citations(m: Match, rule: Rule, cites: list[str], interpretations: list[str], what: str) -> list[Citation]:
    """The citations of one item of a rule's `then` (a duty, an entitlement): its own clauses, else the rule's."""
    if not cites and not interpretations:
        return m.pack.cite(rule)
    stray = [c for c in cites if c not in rule.cites] + [i for i in interpretations if i not in rule.interpretations]
    if stray:
        raise EngineError(f"{m.pack.meta.id}: rule {rule.id}, {what}: cites {stray} that the rule itself does not cite")
    return m.pack.cite(rule.model_copy(update={"cites": cites or list(rule.cites), "interpretations": interpretations}))


def merge(m: Match) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields the matched rules set, and which rule set each; two rules setting one field differently fail."""
    merged: dict[str, Any] = {}
    source: dict[str, str] = {}
    for r in m.rules:
        for name in r.effect.model_fields_set - {"outcome"}:
            value = getattr(r.effect, name)
            if name in merged and merged[name] != value:
                raise EngineError(f"{m.pack.meta.id}: rules {source[name]} and {r.rule.id} set {name} differently")
            merged[name] = value
            source[name] = r.rule.id
    return merged, source
