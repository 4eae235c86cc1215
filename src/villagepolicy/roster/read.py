"""Read a roster: a workbook (.xlsx), a folder of CSV files, or one YAML/JSON file.

Every bad cell is collected and reported as `file:sheet:row:column: message`; a roster with any
bad cell raises RosterError and nothing is checked (never a half-read roster).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import VillagePolicyError
from .schema import ATTENDANCE, ATTENDANCE_EXTRAS, TABLES, CellError, Table, table_named

# Sheets and columns a workbook may carry for people, never read.
IGNORED_SHEETS = {"说明", "readme", "notes", "填表说明"}
IGNORED_COLUMNS = {"备注", "notes", "note", "remarks", "说明"}
MAX_PROBLEMS_SHOWN = 200
# Problems kept in memory; past this only their number is counted (a CSV of 10^6 unknown columns listed a
# million problems in 1.36 GB: issue 16 item 5).
MAX_PROBLEMS_KEPT = 10_000
# A table wider than a spreadsheet can be (Excel's XFD) is not a roster; refused before its rows are read.
MAX_COLUMNS = 16_384
# A workbook sheet declaring more cells than this, or a workbook inflating past MAX_WORKBOOK_BYTES, is
# refused before calamine allocates it (one cell at XFD1048576 made it ask for 512 GiB).
MAX_SHEET_CELLS = 20_000_000
MAX_WORKBOOK_BYTES = 512 << 20


class RosterError(VillagePolicyError):
    """A roster that cannot be read; `problems` lists every bad cell as file:sheet:row:column: message."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown) + getattr(problems, "dropped", 0)
        super().__init__("\n".join(shown) + (f"\n… 另有 {more} 个问题 and {more} more problem(s)" if more else ""))


@dataclass(frozen=True)
class Source:
    """Where a table's rows came from: the file, the sheet (or table) name, and the header of each field."""

    file: str
    sheet: str
    columns: dict[str, str]

    def at(self, row: int, fld: str | None = None) -> str:
        col = self.columns.get(fld, fld or "") if fld else ""
        return f"{self.file}:{self.sheet}:{row}:{col}" if col else f"{self.file}:{self.sheet}:{row}"


@dataclass
class Row:
    values: dict[str, Any]
    row: int
    source: Source

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def at(self, fld: str | None = None) -> str:
        return self.source.at(self.row, fld)


@dataclass
class Roster:
    """The four tables of a roster. Attendance is kept per person as compact (date, kind, row) tuples."""

    path: str
    people: list[Row] = field(default_factory=list)
    attendance: dict[str, list[tuple[dt.date, str, int]]] = field(default_factory=dict)
    attendance_source: Source | None = None
    # attendance row -> its approved_by / filed_with cells, where given (a leave's first day)
    attendance_extra: dict[int, dict[str, Any]] = field(default_factory=dict)
    # A Parquet attendance read column-wise (polars): person_id, date, kind (code), row; `attendance` is then
    # empty until a check hands the people the aggregates cannot stand for back to the record path.
    attendance_frame: Any = None
    events: list[Row] = field(default_factory=list)
    appraisals: list[Row] = field(default_factory=list)
    records: list[Row] = field(default_factory=list)  # of questions packs declare (the records sheet)
    # Set by check(release_rows=True) once the attendance rows are aggregated and let go of.
    rows_released: bool = False

    def person(self, pid: str) -> Row | None:
        return self._by_id().get(pid)

    def _by_id(self) -> dict[str, Row]:
        if not hasattr(self, "_index"):
            self._index = {p.values["id"]: p for p in self.people}
        return self._index

    def attendance_at(self, row: int, fld: str) -> str:
        assert self.attendance_source is not None
        return self.attendance_source.at(row, fld)

    def attendance_rows(self) -> int:
        if self.attendance_frame is not None:
            return int(self.attendance_frame.height)
        return sum(len(v) for v in self.attendance.values())


def column_letter(index: int) -> str:
    s = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        s = chr(65 + r) + s
    return s


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


class Problems(list):
    """A list of problems that keeps the first MAX_PROBLEMS_KEPT and counts the rest in `dropped`."""

    dropped = 0

    def append(self, problem: str) -> None:  # type: ignore[override]
        if len(self) < MAX_PROBLEMS_KEPT:
            super().append(problem)
        else:
            self.dropped += 1

    def count(self) -> int:  # type: ignore[override]
        return len(self) + self.dropped


class _Reader:
    """Turns (header, rows) of one table into Rows, collecting problems instead of stopping."""

    def __init__(self) -> None:
        self.problems: list[str] = Problems()
        self.tables: dict[str, tuple[list[Row], Source]] = {}
        self.attendance: dict[str, list[tuple[dt.date, str, int]]] = {}
        self.attendance_source: Source | None = None
        self.attendance_frame: Any = None
        self.attendance_extra: dict[int, dict[str, Any]] = {}
        self.columnar = False

    def add(
        self,
        table: Table,
        file: str,
        sheet: str,
        header: Sequence[Any],
        rows: Iterable[tuple[int, Sequence[Any]]],
        letters: bool,
        header_row: int = 1,
    ) -> None:
        if table.name in self.tables or (table is ATTENDANCE and self.attendance_source is not None):
            self.problems.append(f"{file}:{sheet}: 表 {table.name} 重复出现 table {table.name} is given twice")
            return
        if len(header) > MAX_COLUMNS:
            self.problems.append(
                f"{file}:{sheet}:{header_row}: 列过多 {len(header)} columns; a table has at most {MAX_COLUMNS}"
            )
            return
        cols: list[tuple[int, Any]] = []  # (index, Column)
        labels: dict[str, str] = {}
        seen: dict[str, str] = {}
        for i, h in enumerate(header):
            label = f"{column_letter(i)}({str(h).strip()})" if letters else str(h).strip()
            if _blank(h):
                continue
            if str(h).strip().lower() in IGNORED_COLUMNS:
                continue
            c = table.column(str(h))
            if c is None:
                known = ", ".join(f"{c.name}/{c.zh[0]}" for c in table.columns)
                self.problems.append(
                    f"{file}:{sheet}:{header_row}:{label}: 未知的列 unknown column {str(h).strip()!r}; "
                    f"可用 known: {known}"
                )
                continue
            if c.name in seen:
                self.problems.append(
                    f"{file}:{sheet}:{header_row}:{label}: 列重复 column {c.name} already given as {seen[c.name]}"
                )
                continue
            seen[c.name] = label
            labels[c.name] = label
            cols.append((i, c))
        for c in table.columns:
            if c.required and c.name not in labels:
                self.problems.append(
                    f"{file}:{sheet}:{header_row}: 缺少必填列 missing required column {c.name} ({c.zh[0]})"
                )
        source = Source(file, sheet, labels)
        if any(c.required and c.name not in labels for c in table.columns):
            self.tables[table.name] = ([], source)
            return
        out: list[Row] = []
        att = self.attendance if table is ATTENDANCE else None
        for rownum, cells in rows:
            if all(_blank(v) for v in cells):
                continue
            values: dict[str, Any] = {}
            ok = True
            for i, c in cols:
                v = cells[i] if i < len(cells) else None
                if _blank(v):
                    if c.required:
                        self.problems.append(f"{source.at(rownum, c.name)}: 不能为空 required value is empty")
                        ok = False
                    continue
                try:
                    values[c.name] = c.parse(v)
                except CellError as e:
                    self.problems.append(f"{source.at(rownum, c.name)}: {e}")
                    ok = False
            if not ok:
                continue
            if att is not None:
                att.setdefault(values["person_id"], []).append((values["date"], values["kind"], rownum))
                if len(values) > 3:  # an approver or filing cell (rare: a leave's first day)
                    self.attendance_extra[rownum] = {k: values[k] for k in ATTENDANCE_EXTRAS if k in values}
            else:
                out.append(Row(values, rownum, source))
        if att is not None:
            self.attendance_source = source
        else:
            self.tables[table.name] = (out, source)

    def roster(self, path: str) -> Roster:
        r = Roster(path)
        if "people" not in self.tables:
            self.problems.append(f"{path}: 缺少人员表 no people table (sheet or file named people / 人员)")
        elif not self.tables["people"][0] and not self.problems:
            # Headers and no rows passed as "通过" with nothing checked (issue 16 item 12).
            source = self.tables["people"][1]
            self.problems.append(
                f"{source.file}:{source.sheet}: 人员表没有数据行，未核查任何人 "
                "the people table has headers but no rows; nothing would be checked"
            )
        r.people = self.tables.get("people", ([], None))[0]
        r.events = self.tables.get("events", ([], None))[0]
        r.appraisals = self.tables.get("appraisals", ([], None))[0]
        r.records = self.tables.get("records", ([], None))[0]
        r.attendance = self.attendance
        r.attendance_source = self.attendance_source
        r.attendance_extra = self.attendance_extra
        if self.attendance_frame is not None:
            from .columnar import FrameRecords

            r.attendance_frame = self.attendance_frame
            r.attendance = FrameRecords(self.attendance_frame)
        self._cross_check(r)
        if self.problems:
            raise RosterError(self.problems)
        return r

    def _appraisal_owner(self, a: Row, ids: dict[str, Row], villages: set[str]) -> bool:
        """An individual's row names a person; a team's row names a village of the roster (or a person there)."""
        if a.values.get("subject") != "team":
            if "person_id" not in a.values:
                self.problems.append(f"{a.at('person_id') if 'person_id' in a.source.columns else a.at()}: "
                                     "个人考核需填写人员编号 an individual's appraisal needs person_id")  # fmt: skip
                return False
            return True
        village = _team_village(a, ids)
        if village is None:
            self.problems.append(f"{a.at('village') if 'village' in a.source.columns else a.at()}: "
                                 "工作队考核需填写所驻村 a team's appraisal needs its village")  # fmt: skip
            return False
        if village not in villages:
            self.problems.append(f"{a.at('village')}: 人员表中没有此村 no village {village!r} in the people table")
            return False
        a.values["village"] = village
        return True

    def _cross_check(self, r: Roster) -> None:
        ids: dict[str, Row] = {}
        for p in r.people:
            pid = p.values["id"]
            if pid in ids:
                self.problems.append(f"{p.at('id')}: 编号重复 duplicate id {pid!r} (first at row {ids[pid].row})")
            else:
                ids[pid] = p
            start, end = p.get("stationed_from"), p.get("stationed_until")
            if start and end and end < start:
                self.problems.append(f"{p.at('stationed_until')}: 驻村结束早于开始 ends before it starts ({start})")
        if not ids and "people" in self.tables:
            return
        seen: dict[tuple[str, int, str], Row] = {}
        villages = {p.values["village"] for p in r.people}
        for a in r.appraisals:
            if not self._appraisal_owner(a, ids, villages):
                continue
            team = a.values.get("subject") == "team"
            key = (a.values["village"] if team else a.values["person_id"], a.values["year"], "team" if team else "")
            if key in seen:
                what = "同一人同一年度重复考核 a second appraisal"
                if team:
                    what = "同一工作队同一年度重复考核 a second team appraisal"
                first = seen[key].row
                self.problems.append(f"{a.at('year')}: {what} of {key[0]!r} for {key[1]} (first at row {first})")
            seen.setdefault(key, a)
        for rows in (r.events, [a for a in r.appraisals if "person_id" in a.values], r.records):
            for row in rows:
                if row.values["person_id"] not in ids:
                    self.problems.append(
                        f"{row.at('person_id')}: 人员表中没有此人 no person with id {row.values['person_id']!r}"
                    )
        if r.attendance_frame is not None:
            from .columnar import unknown_people

            for pid, rows in unknown_people(r.attendance_frame, set(ids)):
                for rownum in rows:
                    self.problems.append(
                        f"{r.attendance_at(rownum, 'person_id')}: 人员表中没有此人 no person with id {pid!r}"
                    )
            return
        for pid, recs in r.attendance.items():
            if pid not in ids:
                for _, _, rownum in recs[:3]:
                    self.problems.append(
                        f"{r.attendance_at(rownum, 'person_id')}: 人员表中没有此人 no person with id {pid!r}"
                    )


def _team_village(a: Row, ids: dict[str, Row]) -> str | None:
    if "village" in a.values:
        return str(a.values["village"])
    p = ids.get(a.values.get("person_id", ""))
    return None if p is None else str(p.values["village"])


def read_roster(path: str | Path, attendance: str | Path | None = None, *, columnar: bool | None = None) -> Roster:
    """Read a roster from a .xlsx workbook, a folder of CSV files, or a .yaml/.yml/.json file.

    `attendance` is an optional separate CSV or Parquet file holding the attendance table. A Parquet
    attendance table is kept as columns and aggregated column-wise when polars is installed
    (`columnar=None`, the default), or always (`True`, an error without polars), or never (`False`).
    """
    p = Path(path)
    reader = _Reader()
    if columnar is None or columnar:
        from .columnar import available

        if columnar and not available():
            raise RosterError(["按列读取考勤需要 polars reading attendance column-wise needs polars: "
                               "pip install 'villagepolicy[parquet]'"])  # fmt: skip
        reader.columnar = available()
    if not p.exists():
        raise RosterError([f"{p}: 找不到名册 no such file or folder"])
    if p.is_dir():
        _read_folder(p, reader)
    elif p.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        _read_workbook(p, reader)
    elif p.suffix.lower() in (".yaml", ".yml", ".json"):
        _read_document(p, reader)
    else:
        raise RosterError(
            [f"{p}: 不支持的名册格式 unsupported roster (expected .xlsx, a folder of CSV files, .yaml/.yml or .json)"]
        )
    if attendance is not None:
        _read_attendance_file(Path(attendance), reader)
    return reader.roster(str(p))


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_workbook_size(p: Path) -> None:
    """Refuse a workbook that would exhaust memory, from its zip directory and each sheet's declared
    dimension, before calamine reads it (issue 16 item 5). Not a zip (an .xls, an .ods): calamine decides."""
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError):
        return
    with zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_WORKBOOK_BYTES:
            raise RosterError(
                [f"{p}: 工作簿解压后过大 the workbook unpacks to {total:,} bytes; at most {MAX_WORKBOOK_BYTES:,}"]
            )
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            with zf.open(info) as f:
                head = f.read(4096)
            m = _DIMENSION.search(head)
            if not m or not m.group(1):
                continue
            last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
            cells = _column_number(last_col) * int(last_row or 1)
            if cells > MAX_SHEET_CELLS:
                ref = m.group(0).split(b'"')[1].decode()
                raise RosterError(
                    [
                        f"{p}:{info.filename}: 工作表范围过大 the sheet declares the range {ref} "
                        f"({cells:,} cells); at most {MAX_SHEET_CELLS:,}"
                    ]
                )


# A formula cell with no cached value (openpyxl writes `<c r="B2"><f>A1</f><v /></c>`) reads as empty.
_UNCACHED = re.compile(
    rb'<c r="([A-Z]{1,3}\d+)"[^>]*>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)
_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?(?:Target="([^"]*)"[^>]*?Id="([^"]*)"|Id="([^"]*)"[^>]*?Target="([^"]*)")')


def _uncached_formulas(p: Path, sheets: set[str]) -> list[str]:
    """Cells of `sheets` holding a formula that was never calculated (issue 16 item 12): calamine reads
    them as empty, which would pass silently for a value that is really unknown."""
    import html

    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError):
        return []
    out: list[str] = []
    with zf:
        try:
            book = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
        except KeyError:
            return []
        targets = {}
        for m in _REL.finditer(rels):
            target, rid = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(4), m.group(3))
            name = target.decode().lstrip("/")
            targets[rid] = name if name.startswith("xl/") else "xl/" + name
        for m in _SHEET.finditer(book):
            name = html.unescape(m.group(1).decode())
            member = targets.get(m.group(2))
            if name not in sheets or member is None:
                continue
            seen: set[bytes] = set()
            carry = b""
            try:
                with zf.open(member) as f:
                    while chunk := f.read(1 << 20):
                        data = carry + chunk
                        for c in _UNCACHED.finditer(data):
                            if c.group(1) not in seen:
                                seen.add(c.group(1))
                                out.append(
                                    f"{p}:{name}:{c.group(1).decode()}: 公式没有计算结果 a formula with no calculated "
                                    "value (open and save the file in a spreadsheet program, or type the value)"
                                )
                        carry = data[-4096:]
            except KeyError:
                continue
    return out


def _read_workbook(p: Path, reader: _Reader) -> None:
    from python_calamine import CalamineWorkbook

    _check_workbook_size(p)
    try:
        wb = CalamineWorkbook.from_path(str(p))
    except Exception as e:  # calamine raises its own error types for corrupt or encrypted files
        raise RosterError([f"{p}: 无法读取工作簿 cannot read workbook: {e}"]) from None
    for name in wb.sheet_names:
        table = table_named(name)
        if table is None:
            if name.strip().lower() not in IGNORED_SHEETS:
                known = ", ".join(f"{t.name}/{t.zh[0]}" for t in TABLES.values())
                reader.problems.append(f"{p}:{name}: 未知的工作表 unknown sheet {name!r}; 可用 known: {known}")
            continue
        try:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as e:  # a corrupt sheet: calamine's own error types
            raise RosterError([f"{p}:{name}: 无法读取工作表 cannot read sheet: {e}"]) from None
        if not rows:
            reader.problems.append(f"{p}:{name}:1: 工作表为空 empty sheet (the first row must hold the headers)")
            continue
        reader.add(table, str(p), name, rows[0], ((i + 1, r) for i, r in enumerate(rows) if i), letters=True)
    for problem in _uncached_formulas(p, {n for n in wb.sheet_names if table_named(n) is not None}):
        reader.problems.append(problem)


def _decode(raw: bytes, file: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Chinese Windows saves CSV as GBK; GB18030 is its superset.
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterError([f"{file}: 无法识别编码 not UTF-8 or GB18030 text"]) from None


def _read_csv(p: Path, table: Table, reader: _Reader) -> None:
    try:
        text = _decode(p.read_bytes(), str(p))
    except OSError as e:
        raise RosterError([f"{p}: 无法读取 cannot read: {e.strerror}"]) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:  # e.g. a cell over the csv module's field limit
        raise RosterError([f"{p}: 无法读取 CSV cannot read: {e}"]) from None
    if not rows:
        reader.problems.append(f"{p}:{table.name}:1: 文件为空 empty file (the first line must hold the headers)")
        return
    reader.add(table, str(p), table.name, rows[0], ((i + 1, r) for i, r in enumerate(rows) if i), letters=False)


def _read_parquet(p: Path, reader: _Reader) -> None:
    if reader.columnar:
        from .columnar import read_parquet

        read_parquet(str(p), reader)
        return
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise RosterError(
            [f"{p}: 读取 Parquet 需要 pyarrow reading Parquet needs pyarrow: pip install 'villagepolicy[parquet]'"]
        ) from None
    try:
        t = pq.read_table(str(p))
    except Exception as e:  # pyarrow's errors are many; the message says which file
        raise RosterError([f"{p}: 无法读取 Parquet cannot read: {e}"]) from None
    names = t.column_names
    cols = [t.column(n).to_pylist() for n in names]
    # Parquet has no header line: row N is the N-th record, counted from 1.
    reader.add(
        ATTENDANCE,
        str(p),
        "attendance",
        names,
        ((i + 1, r) for i, r in enumerate(zip(*cols, strict=True))),
        letters=False,
        header_row=0,
    )


def _read_attendance_file(p: Path, reader: _Reader) -> None:
    if not p.is_file():
        raise RosterError([f"{p}: 找不到考勤文件 no such attendance file"])
    if p.suffix.lower() == ".parquet":
        _read_parquet(p, reader)
    elif p.suffix.lower() == ".csv":
        _read_csv(p, ATTENDANCE, reader)
    else:
        raise RosterError([f"{p}: 考勤文件应为 .csv 或 .parquet attendance file must be .csv or .parquet"])


def _read_folder(p: Path, reader: _Reader) -> None:
    try:
        files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in (".csv", ".parquet"))
    except OSError as e:
        raise RosterError([f"{p}: 无法读取文件夹 cannot read the folder: {e.strerror}"]) from None
    if not files:
        raise RosterError([f"{p}: 文件夹中没有 CSV 文件 the folder holds no CSV files (people.csv, attendance.csv, …)"])
    for f in files:
        table = table_named(f.stem)
        if table is None:
            known = ", ".join(f"{t.name}.csv/{t.zh[0]}.csv" for t in TABLES.values())
            reader.problems.append(f"{f}: 未知的表 unknown table file {f.name!r}; 可用 known: {known}")
        elif f.suffix.lower() == ".parquet":
            if table is not ATTENDANCE:
                reader.problems.append(f"{f}: 只有考勤表可用 Parquet only the attendance table may be Parquet")
            else:
                _read_parquet(f, reader)
        else:
            _read_csv(f, table, reader)


def _read_document(p: Path, reader: _Reader) -> None:
    from ..packs.yamlread import YamlError, read_yaml

    try:
        raw = p.read_bytes()
    except OSError as e:
        raise RosterError([f"{p}: 无法读取 cannot read: {e.strerror}"]) from None
    if p.suffix.lower() == ".json":
        try:
            data = json.loads(_decode(raw, str(p)))
        except json.JSONDecodeError as e:
            raise RosterError([f"{p}:{e.lineno}:{e.colno}: JSON 语法错误 syntax error: {e.msg}"]) from None
        except RecursionError:  # a roster is three levels deep; 100,000 brackets are not a roster
            raise RosterError([f"{p}: JSON 嵌套过深 nested too deep to be a roster"]) from None
        except ValueError as e:  # an integer of more than 4,300 digits
            raise RosterError([f"{p}: JSON 无法读取 cannot read: {e}"]) from None
    else:
        try:
            data = read_yaml(raw, str(p)).data
        except YamlError as e:
            raise RosterError([str(x) for x in e.problems]) from None
    if not isinstance(data, dict):
        raise RosterError([f"{p}: 名册应为映射 a roster file is a mapping of table name to rows (people: [...])"])
    for key, rows in data.items():
        table = table_named(str(key))
        if table is None:
            known = ", ".join(f"{t.name}/{t.zh[0]}" for t in TABLES.values())
            reader.problems.append(f"{p}:{key}: 未知的表 unknown table {key!r}; 可用 known: {known}")
            continue
        if table is ATTENDANCE and isinstance(rows, str):
            # A large attendance table may live in its own file, named relative to the roster.
            _read_attendance_file(p.parent / rows, reader)
            continue
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            reader.problems.append(f"{p}:{key}: 应为行的列表 must be a list of rows (mappings)")
            continue
        header: list[str] = []
        for r in rows:
            for k in r:
                if str(k) not in header:
                    header.append(str(k))
        # Row N is the N-th item of the list, counted from 1.
        body = ((i + 1, [r.get(h) for h in header]) for i, r in enumerate(rows))
        reader.add(table, str(p), str(key), header, body, letters=False, header_row=0)
