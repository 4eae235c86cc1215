"""Attendance kept as columns: a Parquet attendance table read, validated and aggregated with polars.

A province-year of daily attendance is tens of millions of rows; as Python objects (one tuple per row)
it costs ~15 GB and minutes. Here the cells are checked per *distinct* value (a year has ~365 dates,
eight kinds, one id per person), with the same parsers and messages as the row-by-row reader, and the
rows are reduced column-wise to what the checks ask: days per person, month and kind (calendar and
working days) for stay_compliance, and runs of consecutive leave days for leave_approval.

A person whose attendance the aggregates cannot stand for (two kinds on one day, or a date outside the
working-day calendar) keeps the record path: their rows become records again, so the decision and its
located error are exactly those of the row-by-row reader.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..calendar import is_working_day
from ..errors import VillagePolicyError
from .read import _blank
from .schema import ATTENDANCE, ATTENDANCE_EXTRAS, ATTENDANCE_KINDS, CellError

if TYPE_CHECKING:
    import polars as pl

    from .read import Source, _Reader  # noqa: F401

# A kind's code in the frame is its position here: the attendance table's own kinds, in their order.
KINDS = tuple(ATTENDANCE_KINDS)
LEAVE_KINDS = ("leave_approved", "leave_unapproved")
BATCH_ROWS = 1_000_000


def available() -> bool:
    try:
        import polars  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def read_parquet(path: str, reader: _Reader) -> None:
    """Read a Parquet attendance table column-wise into reader.attendance_frame (problems as the row reader's)."""
    import polars as pl

    try:
        lf = pl.scan_parquet(path)
        names = lf.collect_schema().names()
    except Exception as e:  # polars' errors are many; the message says which file
        raise _error([f"{path}: 无法读取 Parquet cannot read: {e}"]) from None
    before = len(reader.problems)
    given_twice = reader.attendance_source is not None
    # The header is checked by the row reader itself (no rows given): same messages, same Source.
    reader.add(ATTENDANCE, path, "attendance", names, iter(()), letters=False, header_row=0)
    source = reader.attendance_source
    if (
        given_twice  # reported by add(); the second table's rows are not read, as by the row reader
        or source is None
        or len(reader.problems) > before
        and any(c.required and c.name not in source.columns for c in ATTENDANCE.columns)
    ):
        return
    picked = {c.name: (names.index(_raw_name(names, source.columns[c.name])), c) for c in ATTENDANCE.columns
              if c.name in source.columns}  # fmt: skip
    order = sorted(picked.values(), key=lambda x: x[0])
    try:
        import pyarrow.parquet as pq

        # Batches of rows bound the memory: each is checked and reduced before the next is read.
        # Each distinct cell value is parsed once, by the row reader's own parser.
        maps: dict[str, dict[Any, Any]] = {c.name: {} for _, c in order}
        errors: dict[str, dict[Any, str]] = {c.name: {} for _, c in order}
        parts = []
        offset = 1
        for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS, columns=[names[i] for i, _ in order]):
            df = pl.from_arrow(batch)
            assert isinstance(df, pl.DataFrame)
            for i, c in order:
                ok, bad = maps[c.name], errors[c.name]
                for v in df.get_column(names[i]).unique().to_list():
                    if v in ok or v in bad or _blank(v):
                        continue
                    try:
                        ok[v] = c.parse(v)
                    except CellError as e:
                        bad[v] = str(e)
            parts.append(_clean(df.lazy(), names, order, maps, errors, offset, source, reader))
            offset += df.height
    except Exception as e:  # a file pyarrow or polars cannot decode (corrupt pages, odd types)
        raise _error([f"{path}: 无法读取 Parquet cannot read: {e}"]) from None
    schema = {"person_id": pl.Categorical, "date": pl.Date, "kind": pl.UInt8, "row": pl.UInt32}
    reader.attendance_frame = pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _error(problems: list[str]) -> Exception:
    from .read import RosterError

    return RosterError(problems)


def _raw_name(names: list[str], label: str) -> str:
    return label if label in names else next(n for n in names if n.strip() == label)


def _clean(
    lf: pl.LazyFrame,
    names: list[str],
    order: list[tuple[int, Any]],
    maps: dict[str, dict[Any, Any]],
    errors: dict[str, dict[Any, str]],
    offset: int,
    source: Source,
    reader: _Reader,
) -> pl.DataFrame:
    import polars as pl

    cols = {c.name: names[i] for i, c in order}
    # A cell is blank when null or only spaces; a row of blanks is skipped, as in a spreadsheet.
    blank = {
        n: pl.col(raw).is_null()
        | (pl.col(raw).cast(pl.String).str.strip_chars() == "" if lf.collect_schema()[raw] == pl.String else False)
        for n, raw in cols.items()
    }
    all_blank = pl.all_horizontal(list(blank.values()))
    bad_cell = {n: (~blank[n] & pl.col(cols[n]).is_in(list(errors[n]))) if errors[n] else pl.lit(False)
                for n in cols}  # fmt: skip
    required = {c.name for c in ATTENDANCE.columns if c.required}
    any_bad = pl.any_horizontal([bad_cell[n] | blank[n] if n in required else bad_cell[n] for n in cols]) & ~all_blank
    indexed = lf.select(list(cols.values())).with_row_index("row", offset=offset)
    bad_rows = indexed.filter(any_bad).collect()
    if bad_rows.height:
        for rec in bad_rows.iter_rows(named=True):
            for _, c in order:
                v = rec[cols[c.name]]
                if _blank(v):
                    if c.required:
                        reader.problems.append(f"{source.at(rec['row'], c.name)}: 不能为空 required value is empty")
                elif v in errors[c.name]:
                    reader.problems.append(f"{source.at(rec['row'], c.name)}: {errors[c.name][v]}")
    extras = [n for n in ATTENDANCE_EXTRAS if n in cols]
    if extras:
        # Approver and filing cells are few (a leave's first day): kept per row, as the row reader keeps them.
        given = indexed.filter(~any_bad & ~pl.all_horizontal([blank[n] for n in extras]))
        for rec in given.select("row", *(cols[n] for n in extras)).collect().iter_rows(named=True):
            reader.attendance_extra[rec["row"]] = {n: maps[n][rec[cols[n]]] for n in extras if not _blank(rec[cols[n]])}
    kind_code = {k: i for i, k in enumerate(KINDS)}
    # The good rows are kept even when others are bad, so people missing from `people` are reported too.
    out = indexed.filter(~all_blank & ~any_bad if bad_rows.height else ~all_blank).select(
        # Categorical: one id per person, 4 bytes a row instead of a string each.
        (
            pl.col(cols["person_id"]).cast(pl.String)
            if all(type(k) is str and k == v for k, v in maps["person_id"].items())  # ids already clean
            else pl.col(cols["person_id"]).replace_strict(maps["person_id"], return_dtype=pl.String)
        )
        .cast(pl.Categorical)
        .alias("person_id"),
        pl.col(cols["date"]).replace_strict(maps["date"], return_dtype=pl.Date).alias("date"),
        pl.col(cols["kind"])
        .replace_strict({v: kind_code[k] for v, k in maps["kind"].items()}, return_dtype=pl.UInt8)
        .alias("kind"),
        pl.col("row").cast(pl.UInt32),
    )
    return out.collect()


def unknown_people(frame: pl.DataFrame, ids: set[str]) -> list[tuple[str, list[int]]]:
    """Person ids of attendance rows not in the people table, in order of appearance, with their first 3 rows."""
    import polars as pl

    missing = frame.lazy().filter(~pl.col("person_id").is_in(list(ids)))
    firsts = missing.group_by("person_id", maintain_order=True).agg(pl.col("row").head(3)).collect()
    return [(pid, rows) for pid, rows in firsts.iter_rows()]


@dataclass
class Summary:
    """A roster's attendance reduced for one check period: per-person tallies and leave runs."""

    # Tallies as columns sorted by person (month as year * 12 + month - 1, kind as its code): a few
    # lists of small ints take a fraction of the memory of a tuple per row.
    month: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    working_days: list[int] = field(default_factory=list)
    # person id -> (start, end) of their tallies in the lists above
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    # person id -> (first day, last day, days, row of the first day's record) per run of consecutive leave days
    leave_runs: dict[str, list[tuple[dt.date, dt.date, int, int]]] = field(default_factory=dict)
    # the same, of the days recorded as leave_unapproved only
    unapproved_runs: dict[str, list[tuple[dt.date, dt.date, int, int]]] = field(default_factory=dict)
    # people whose rows the aggregates cannot stand for: they are decided from their records
    fallback: set[str] = field(default_factory=set)

    def counts(self, pid: str, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
        """The stay_compliance `counts` fact of this person for the months within first..last."""
        lo, hi = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
        a, b = self.spans.get(pid, (0, 0))
        return [
            {"month": f"{m // 12:04d}-{m % 12 + 1:02d}", "kind": KINDS[self.kind[i]], "days": self.days[i],
             "working_days": self.working_days[i]}
            for i, m in enumerate(self.month[a:b], a)
            if lo <= m <= hi
        ]  # fmt: skip


def summarize(frame: pl.DataFrame, period_from: dt.date, as_of: dt.date) -> tuple[Summary, pl.DataFrame]:
    """Aggregate the attendance of period_from..as_of; also the rows of the people left to the record path."""
    import polars as pl

    s = Summary()
    lf = frame.lazy()
    in_period = lf.filter(pl.col("date").is_between(period_from, as_of))
    dates = in_period.select(pl.col("date").unique()).collect().to_series().to_list()
    working: dict[dt.date, bool] = {}
    uncovered = []
    for d in dates:
        try:
            working[d] = is_working_day(d)
        except VillagePolicyError:
            uncovered.append(d)
    if uncovered:
        s.fallback = set(
            in_period.filter(pl.col("date").is_in(uncovered)).select(pl.col("person_id").unique()).collect().to_series()
        )
    calendar = pl.LazyFrame(
        {"date": list(working), "wd": list(working.values())}, schema={"date": pl.Date, "wd": pl.Boolean}
    )
    # People in batches (by their id's hash): every step below stays within one person, and a batch's
    # one-row-per-person-and-day table is a fraction of the whole.
    batches = max(1, -(-frame.height // BATCH_ROWS // 4))
    tally_parts, leave_parts = [], []
    codes = [KINDS.index(k) for k in LEAVE_KINDS]
    for part in range(batches):
        batch = lf.filter(pl.col("person_id").hash(7) % batches == part) if batches > 1 else lf
        # One row per person and date: its kind (two kinds for a date: a conflict) and its first row.
        per_day = (
            batch.group_by("person_id", "date")
            .agg(pl.col("kind").min().alias("kind"), pl.col("kind").max().alias("kmax"), pl.col("row").min())
            .collect()
        )
        conflicts = per_day.lazy().filter(pl.col("kind") != pl.col("kmax")).select(pl.col("person_id").unique())
        s.fallback.update(conflicts.collect().to_series().to_list())
        kept = pl.col("date").is_between(period_from, as_of)
        if s.fallback:
            kept &= ~pl.col("person_id").is_in(list(s.fallback))
        days = per_day.lazy().filter(kept).select("person_id", "date", "kind", "row").collect()
        del per_day
        tally_parts.append(
            days.lazy()
            .join(calendar, on="date", how="left")
            .group_by(
                "person_id",
                (pl.col("date").dt.year().cast(pl.Int32) * 12 + pl.col("date").dt.month() - 1).alias("month"),
                "kind",
            )
            .agg(pl.len().cast(pl.Int32).alias("days"), pl.col("wd").sum().cast(pl.Int32).alias("wd"))
            .collect()
        )
        leave_parts.append(days.filter(pl.col("kind").is_in(codes)))
        del days
    tallies = pl.concat(tally_parts).sort("person_id", "month", "kind")
    s.month, s.kind, s.days, s.working_days = (tallies[c].to_list() for c in ("month", "kind", "days", "wd"))
    bounds = (
        tallies.lazy()
        .with_row_index("i")
        .group_by("person_id")
        .agg(pl.col("i").min().alias("a"), (pl.col("i").max() + 1).alias("b"))
        .collect()
    )
    s.spans = {pid: (a, b) for pid, a, b in bounds.iter_rows()}
    del tallies
    leave_days = pl.concat(leave_parts)
    s.leave_runs = _runs(leave_days)
    # Days recorded as unapproved leave, in runs of their own: each run is an unapproved absence (Shiquan 13(2)).
    s.unapproved_runs = _runs(leave_days.filter(pl.col("kind") == KINDS.index("leave_unapproved")))
    rest = frame.filter(pl.col("person_id").is_in(list(s.fallback))) if s.fallback else frame.clear()
    return s, rest


def _runs(days: pl.DataFrame) -> dict[str, list[tuple[dt.date, dt.date, int, int]]]:
    """Runs as roster.adapters.leave_runs finds them: one record per date (the first kind in id order, then
    the first row), and a run breaks where a calendar day is missing."""
    import polars as pl

    runs = (
        days.lazy()
        .sort("person_id", "date")
        .with_columns(
            run=(
                (pl.col("person_id") != pl.col("person_id").shift(1))
                | ((pl.col("date") - pl.col("date").shift(1)).dt.total_days() != 1)
            )
            .fill_null(True)
            .cum_sum()
        )
        .group_by("person_id", "run", maintain_order=True)
        .agg(
            pl.col("date").first().alias("first"),
            pl.col("date").last().alias("last"),
            pl.len().alias("n"),
            pl.col("row").first(),
        )  # fmt: skip
        .collect()
    )
    out: dict[str, list[tuple[dt.date, dt.date, int, int]]] = {}
    for pid, _, first, last, n, row in runs.iter_rows():
        out.setdefault(pid, []).append((first, last, n, row))
    return out


def records_of(rest: pl.DataFrame) -> dict[str, list[tuple[dt.date, str, int]]]:
    """Rows as the row reader keeps them: person id -> [(date, kind, row)], in file order."""
    out: dict[str, list[tuple[dt.date, str, int]]] = {}
    for pid, d, k, row in rest.iter_rows():
        out.setdefault(pid, []).append((d, KINDS[k], row))
    return out


class FrameRecords(dict):  # type: ignore[type-arg]
    """`Roster.attendance` of a column-wise roster: the records are built from the frame on first use only.

    The check never asks (it reads the aggregates); code that reads `roster.attendance` still gets
    person id -> [(date, kind, row)] as from the row-by-row reader.
    """

    def __init__(self, frame: pl.DataFrame) -> None:
        super().__init__()
        self._frame: pl.DataFrame | None = frame

    def _fill(self) -> None:
        if self._frame is not None:
            frame, self._frame = self._frame, None
            super().update(records_of(frame))

    def _filled(name: str) -> Any:  # noqa: N805  (a decorator factory used in the class body)
        method = getattr(dict, name)

        def call(self: FrameRecords, *args: Any, **kw: Any) -> Any:
            self._fill()
            return method(self, *args, **kw)

        call.__name__ = name
        return call

    for _name in ("__getitem__", "__iter__", "__len__", "__contains__", "__repr__", "__eq__", "get", "items",
                  "keys", "values", "setdefault", "pop", "update", "copy", "__reduce_ex__"):  # fmt: skip
        locals()[_name] = _filled(_name)
    del _name, _filled
