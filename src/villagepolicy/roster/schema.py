"""The tables of a roster: columns, their Chinese headers, and how a cell becomes a value.

Cell parsing is hand-written rather than one pydantic model per row: a year of daily attendance is
hundreds of thousands of cells, and each bad cell must be reported with its exact position.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..vocabulary import ROLES, by_local_name, cell_values, declared_by_label, is_open, labels, short_labels


class CellError(ValueError):
    """A cell that cannot be read; the message is shown after its file:sheet:row:column."""


# Enumerations a roster may spell with the Chinese label instead of the id (ids are the issues' contracts);
# the labels and the other spellings accepted are the vocabulary's (vocabulary.yaml).
ROLE_VALUES = cell_values("role", declared=False)  # the shipped ones: declared ids are looked up per cell
PARTY_STATUS = labels("party_status")
EMPLOYMENT = labels("employment")
EDUCATION = labels("education")
RANK = labels("rank")
UNIT_LEVEL = labels("unit_level")
VILLAGE_TAGS = labels("village_tag")
ATTENDANCE_KINDS = short_labels("record_kind")
EVENT_KINDS = labels("event_kind")
SUBJECTS = labels("appraisal_subject")
EXIT_REASONS = labels("exit_reason")
GRADES = labels("grade")


def _enum(kind: str) -> Callable[[Any], str]:
    """A cell of vocabulary `kind`: its id, its Chinese label or another spelling the vocabulary lists
    (of an open kind, also an id a loaded pack declared, or its label)."""
    table = cell_values(kind, declared=False)  # whatever packs were loaded at import time do not stick
    shown = ", ".join(f"{k} ({v})" for k, v in (short_labels if kind == "record_kind" else labels)(kind).items())
    more = is_open(kind)

    def parse(v: Any) -> str:
        s = _text(v)
        if s not in table:
            if more and s in (declared := cell_values(kind)):
                return declared[s]
            if more and by_local_name(kind, s):
                # A jurisdiction's own name (样板县's 镇党委 for town_party_committee): kept as written, and
                # resolved by the person's jurisdiction where it is used (two counties may name bodies alike).
                return s
            raise CellError(f"不是允许的值 not one of the allowed values: {s!r}; 可选 allowed: {shown}")
        return table[s]

    return parse


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)  # spreadsheets store ids typed as numbers as floats
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    s = str(v).strip()
    if not s:
        raise CellError("不能为空 must not be empty")
    return s


_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{4})年(\d{1,2})月(\d{1,2})日$")


# Dates a roster cell may hold: later computations add terms and windows, which overflow near 0001 and 9999.
FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2199, 12, 31)
# "No end date" as HR systems export it; only an end date may say so (see _end_date).
NO_END = dt.date(9999, 12, 31)


def _date(v: Any) -> dt.date:
    d = _any_date(v)
    if not FIRST_DATE <= d <= LAST_DATE:
        raise CellError(
            f"日期超出可处理范围 date {d.isoformat()} is outside {FIRST_DATE.isoformat()}..{LAST_DATE.isoformat()}"
        )
    return d


def _end_date(v: Any) -> dt.date | None:
    """An end date; 9999-12-31 (how HR exports write "no end") is read as no end, like an empty cell."""
    d = _any_date(v)
    return None if d == NO_END else _date(d)


def _any_date(v: Any) -> dt.date:
    if type(v) is str and len(v) == 10 and v[4] == "-" and v[7] == "-":
        try:  # the common case, fast: a year of attendance is hundreds of thousands of cells
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    if isinstance(v, dt.datetime):
        if v.time() != dt.time(0):
            raise CellError(f"应为日期而非时间 expected a date, not a date-time: {v.isoformat()}")
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = str(v).strip()
    m = _DATE.match(s)
    if m:
        y, mo, d = (int(x) for x in (m.groups()[:3] if m.group(1) else m.groups()[3:]))
        try:
            return dt.date(y, mo, d)
        except ValueError:
            pass
    raise CellError(f"不是日期 not a date (YYYY-MM-DD): {v!r}")


def _int(v: Any) -> int:
    if isinstance(v, bool):
        raise CellError(f"不是整数 not a whole number: {v!r}")
    if isinstance(v, int):
        if v.bit_length() > 60:
            raise CellError(f"数字过大 number too large ({v.bit_length()} bits)")
        return v
    if isinstance(v, float) and v.is_integer():
        if abs(v) > 1e18:
            raise CellError(f"数字过大 number too large ({v:g})")
        return int(v)
    s = str(v).strip()
    if len(s) > 18:  # past ±10^18 no count is meant, and int() refuses 4,300 digits with a ValueError
        raise CellError(f"数字过大 number too large ({len(s)} characters)")
    if re.fullmatch(r"[-+]?\d+", s):
        return int(s)
    if re.fullmatch(r"[-+]?\d+\.0*", s):
        return int(float(s))
    raise CellError(f"不是整数 not a whole number: {v!r}")


def _float(v: Any) -> float:
    if isinstance(v, bool):
        raise CellError(f"不是数字 not a number: {v!r}")
    if isinstance(v, (int, float)):
        f = float(v)
    else:
        s = str(v).strip().rstrip("%")
        try:
            f = float(s)
        except ValueError:
            raise CellError(f"不是数字 not a number: {v!r}") from None
        if str(v).strip().endswith("%"):
            f /= 100
    if f != f or f in (float("inf"), float("-inf")):
        raise CellError(f"不是有限的数字 not a finite number: {v!r}")
    return f


_TRUE = {"true", "yes", "y", "1", "是", "对", "√", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "不是", "×", "✗"}


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise CellError(f"不是是/否 not yes/no (是/否, true/false): {v!r}")


_SPLIT = re.compile(r"[,，;；、|\s]+")


def _list(item: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
    def parse(v: Any) -> list[Any]:
        parts = v if isinstance(v, list) else [p for p in _SPLIT.split(str(v).strip()) if p]
        out = []
        for i, p in enumerate(parts, 1):
            try:
                out.append(item(p))
            except CellError as e:
                raise CellError(f"第{i}项 item {i}: {e}") from None
        return out

    return parse


def _month(v: Any) -> str:
    if isinstance(v, (dt.date, dt.datetime)):
        return f"{v.year:04d}-{v.month:02d}"
    s = str(v).strip()
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", s)
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise CellError(f"不是月份 not a month (YYYY-MM): {v!r}")
    return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"


@dataclass(frozen=True)
class Column:
    name: str
    zh: tuple[str, ...]
    parse: Callable[[Any], Any]
    required: bool = False
    doc_en: str = ""


@dataclass
class Table:
    name: str
    zh: tuple[str, ...]
    columns: list[Column]
    by_header: dict[str, Column] = field(init=False)

    def __post_init__(self) -> None:
        self.by_header = {}
        for c in self.columns:
            for h in (c.name, *c.zh):
                self.by_header[_norm(h)] = c

    def column(self, header: str) -> Column | None:
        return self.by_header.get(_norm(header))


def _norm(header: str) -> str:
    # Headers are matched ignoring case, spaces, underscores and full-width brackets around units.
    h = str(header).strip().lower().replace(" ", "_").replace("（", "(").replace("）", ")")
    return h


def C(
    name: str, zh: str | tuple[str, ...], parse: Callable[[Any], Any], required: bool = False, doc: str = ""
) -> Column:
    return Column(name, (zh,) if isinstance(zh, str) else zh, parse, required, doc)


def _role(v: Any) -> str:
    s = _text(v)
    if s not in ROLE_VALUES and len(declared_by_label("role", s)) > 1:
        return s  # a label two counties declared: check.resolve_jurisdictions picks the person's county's id
    if s not in ROLE_VALUES and s in (declared := cell_values("role")):  # a role a loaded pack declared
        return declared[s]
    if s not in ROLE_VALUES:
        shown = ", ".join(f"{k} ({z})" for k, z in ROLES.items())
        raise CellError(f"不是允许的角色 not a known role: {s!r}; 可选 allowed: {shown}")
    return ROLE_VALUES[s]


PEOPLE = Table(
    "people",
    ("人员", "人员名单", "驻村干部"),
    [
        C("id", ("编号", "人员编号"), _text, True, "unique id of the person"),
        C("name", "姓名", _text, True),
        C(
            "role",
            ("角色", "职务"),
            _role,
            True,
            "first_secretary | team_leader | team_member | party_building_instructor, or 第一书记 …",
        ),
        C("jurisdiction", ("辖区", "县区"), _text, True, "shiquan, tongwei, xiangyin, guizhou, central"),
        C("village", ("村", "驻村", "所驻村"), _text, True),
        C("village_tags", ("村类别", "村标签"), _list(_enum("village_tag"))),
        C("in_county_town_planning_area", ("县城规划区内", "在县城规划区"), _bool),
        C("km_from_town_seat", ("距镇政府驻地公里数", "距镇驻地公里"), _float),
        C("village_within_3km", ("县城规划区或距镇3公里内", "距镇3公里内"), _bool),  # deprecated (issue 17)
        C("dispatching_unit", "派出单位", _text),
        C("town", ("所在镇", "所在乡镇", "乡镇"), _text, doc="the village's town: deductions add up per town"),
        C("unit_level", ("单位层级", "派出单位层级"), _enum("unit_level")),
        C("unit_staff_size", ("编制人数", "单位编制人数"), _int),
        C("dispatched_by_town", ("乡镇选派", "镇选派"), _bool),
        C("leads_team", ("任队长", "兼任队长"), _bool, doc="this first secretary is also the team leader"),
        C("birth_date", "出生日期", _date),
        C("full_member_since", ("转正日期", "入党转正日期"), _date),
        C("clerk_since", ("任科员时间", "任科员日期"), _date),
        C("party_status", "政治面貌", _enum("party_status")),
        C("employment", ("身份", "身份类别"), _enum("employment")),
        C("education", "学历", _enum("education")),
        C("rank", "职级", _enum("rank")),
        C("unit_leadership_member", "单位领导班子成员", _bool),
        C("fit_for_duty", ("身体条件", "具备正常履职的身体条件"), _bool),
        C("stationed_from", ("驻村开始日期", "到村日期"), _date),
        C("stationed_until", ("驻村结束日期", "离村日期"), _end_date),
        C("handover_start", ("交接开始日期", "开始交接日期"), _date),
        C("promoted_on", ("提拔日期", "提拔任职日期"), _date),
        C("exit_reason", ("离村原因", "提前离村原因"), _enum("exit_reason")),
        C(
            "departure_approved",
            ("离村经批准", "调整更换经批准"),
            _bool,
            doc="the early departure was approved by the authority the document names",
        ),
        C("lodges_in_village", ("吃住在村", "在村吃住"), _bool, doc="eats and sleeps in the village"),
        C("night_duty", ("夜间值班", "参加夜间值班"), _bool, doc="on the village's night-duty rota"),
    ],
)

ATTENDANCE = Table(
    "attendance",
    ("考勤", "考勤记录"),
    [
        C("person_id", ("人员编号", "编号"), _text, True),
        C("date", "日期", _date, True),
        C("kind", ("类别", "考勤类别"), _enum("record_kind"), True),
        # Who approved a run of leave, and with whom it was filed (备案): written on the run's first day.
        C(
            "approved_by",
            ("审批人", "审批机关", "批准机关"),
            _list(_enum("authority")),
            doc="authorities that approved this leave, on the first day of the run",
        ),  # fmt: skip
        C(
            "filed_with",
            ("备案单位", "报备单位"),
            _list(_enum("authority")),
            doc="authorities the leave was filed with (备案), on the first day of the run",
        ),  # fmt: skip
    ],
)
# Attendance columns beyond person, date and kind: kept per row number, only where a cell is given.
ATTENDANCE_EXTRAS = ("approved_by", "filed_with")

EVENTS = Table(
    "events",
    ("事件", "违规事件"),
    [
        C("person_id", ("人员编号", "编号"), _text, True),
        C("date", "日期", _date, True),
        C("kind", ("类别", "事件类别"), _enum("event_kind"), True),
        C("leave_procedure_followed", ("履行请假手续", "已履行请假手续"), _bool),
        C("month", "月份", _month),
        C("days", "天数", _int),
        C("justified", ("有正当理由", "理由正当"), _bool),
        C("grade", "等次", _enum("grade")),
        C("rate", ("满意度", "满意率"), _float),
    ],
)

APPRAISALS = Table(
    "appraisals",
    ("考核", "年度考核"),
    [
        # A person's row names the person; a team's row (subject team, Tongwei 28) names its village instead.
        C("person_id", ("人员编号", "编号"), _text, doc="the person (an individual's row)"),
        C("year", "年度", _int, True),
        C("subject", ("对象", "考核对象"), _enum("appraisal_subject")),
        C("village", ("工作队", "驻村工作队", "所驻村"), _text, doc="the team's village (a team's row)"),
        C("score", ("分数", "得分", "考核得分"), _float),
        C("quarterly_points", ("季度积分", "季度得分"), _list(_float)),
        C("annual_score", ("年终考核得分", "年度得分"), _float),
        C("grade", "等次", _enum("grade")),
        C("months_stationed", ("驻村月数", "在村月数"), _int),
    ],
)

# Dated records of the questions a county's pack declares (轮休, 休假, 在岗…): the kind is one the question names
# (its id or Chinese label), checked against the question when the roster is checked.
RECORDS = Table(
    "records",
    ("记录", "其他记录"),
    [
        C("person_id", ("人员编号", "编号"), _text, True),
        C("date", "日期", _date, True),
        C("kind", "类别", _text, True),
        C("question", "问题", _text, doc="the declared question the record is for (default: any naming its kind)"),
    ],
)

TABLES: dict[str, Table] = {t.name: t for t in (PEOPLE, ATTENDANCE, EVENTS, APPRAISALS, RECORDS)}


def table_named(name: str) -> Table | None:
    """The table a sheet or file is named after (English or Chinese), ignoring case."""
    n = _norm(name)
    for t in TABLES.values():
        if n == t.name or n in (_norm(z) for z in t.zh):
            return t
    return None
