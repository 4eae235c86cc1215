"""The working-day calendar's year files: villagepolicy/calendars/YYYY.yaml (shipped) and a county folder's
calendars/YYYY.yaml (added or overriding years). Read with positions, written in one canonical form.

A year file records what the State Council's notice (国务院办公厅关于YYYY年部分节假日安排的通知) fixes:

    year: 2024
    notice: {title: 国务院办公厅关于2024年部分节假日安排的通知, number: 国办发明电〔2023〕7号, date: 2023-10-25}
    holidays:
      - {name: 春节, from: 2024-02-10, to: 2024-02-17}
    working_weekends: [2024-02-04, 2024-02-18]

The shipped years were generated once from chinese-calendar (tests/calendar_years.py --write), and a test
keeps them equal to it.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from .calendar import WorkCalendar, YearSchedule, YearSource, provide_shipped
from .errors import PackError, Problem
from .packs.messages import named_path, translate
from .packs.yamlread import YamlError, read_bytes_limited, read_yaml

__all__ = ["YearFile", "calendar_for", "folder_years", "read_year_file", "shipped_calendar", "year_text"]

SEVEN = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


class Notice(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="通知标题 the notice's title")
    number: str = Field(default="", description="文号, when known")
    date: dt.date | None = Field(default=None, description="发布日期 the date it was issued, when known")


class Holiday(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    from_: dt.date = Field(alias="from")
    to: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Holiday:
        if self.to < self.from_:
            raise ValueError(f"to {self.to} 早于 is before from {self.from_}")
        return self

    def days(self) -> list[dt.date]:
        return [self.from_ + dt.timedelta(days=i) for i in range((self.to - self.from_).days + 1)]


def _weekend(d: dt.date) -> dt.date:
    if d.weekday() < 5:
        raise ValueError(f"调休上班日 {d} 不是周末 working weekend {d} is not a Saturday or Sunday")
    return d


class YearFile(BaseModel):
    """One year's official schedule of holidays and 调休 working weekends."""

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=1949, le=9998)
    notice: Notice
    source: str = Field(default="", description="where the file was made from (a notice text, chinese-calendar)")
    holidays: list[Holiday]
    working_weekends: list[Annotated[dt.date, AfterValidator(_weekend)]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dates_fit(self) -> YearFile:
        for h in self.holidays:
            for d in (h.from_, h.to):
                if abs(d.year - self.year) > 1:
                    raise ValueError(f"{h.name} {d} 不在 {self.year} 年前后 is not near {self.year}")
        return self

    def schedule(self, source: YearSource) -> YearSchedule:
        names = {d: h.name for h in self.holidays for d in h.days()}
        return YearSchedule(self.year, frozenset(names), frozenset(self.working_weekends), source, names)


def _problems(file: str, loc: object, e: ValidationError) -> list[Problem]:
    out = []
    for err in e.errors(include_url=False):
        path = tuple(err["loc"])
        out.append(loc.problem(path, f"{named_path(path)}: {translate(err, YearFile)}"))  # type: ignore[attr-defined]
    return out


def read_year_file(path: Path) -> YearFile:
    """Read and check one year file; PackError with file:line:col for each fault."""
    try:
        loc = read_yaml(read_bytes_limited(path), str(path))
    except OSError as e:
        raise PackError([Problem(str(path), 1, 1, f"无法读取 cannot read: {e.strerror}")]) from None
    except YamlError as e:
        raise PackError(e.problems) from None
    try:
        yf = YearFile.model_validate(loc.data)
    except ValidationError as e:
        raise PackError(_problems(str(path), loc, e)) from None
    if path.stem != str(yf.year):
        raise PackError(
            [
                loc.problem(
                    ("year",), f"文件名 {path.name} 与 year: {yf.year} 不一致 the file name must be {yf.year}.yaml"
                )
            ]
        )
    return yf


def shipped_dir() -> Path:
    return Path(str(resources.files("villagepolicy") / "calendars"))


def _shipped_loader(path: Path, year: int):  # noqa: ANN202
    def load() -> YearSchedule:
        yf = read_year_file(path)
        notice = " ".join(x for x in (yf.notice.title, yf.notice.number) if x)
        return yf.schedule(YearSource(year, "shipped", path.name, notice))

    return load


@lru_cache(maxsize=1)
def shipped_calendar() -> WorkCalendar:
    """The shipped years, each read on first use."""
    files = {int(p.stem): p for p in shipped_dir().glob("*.yaml") if p.stem.isdigit()}
    return WorkCalendar({y: _shipped_loader(p, y) for y, p in files.items()})


provide_shipped(shipped_calendar)


def folder_years(roots: list[Path]) -> dict[int, tuple[Path, YearFile]]:
    """The year files under each root's calendars/ (a later root's year replaces an earlier one's).

    Read now, so a broken file is named when the folder is loaded; PackError lists every fault."""
    found: dict[int, tuple[Path, YearFile]] = {}
    problems: list[Problem] = []
    for root in roots:
        folder = root / "calendars"
        if not folder.is_dir():
            continue
        for p in sorted(folder.iterdir()):
            if p.suffix not in (".yaml", ".yml") or not p.is_file():
                continue
            if not (p.stem.isdigit() and len(p.stem) == 4):
                problems.append(
                    Problem(str(p), 0, 0, "日历文件名应为年份，如 2027.yaml a calendar file is named by its year")
                )
                continue
            try:
                yf = read_year_file(p)
            except PackError as e:
                problems.extend(e.problems)
                continue
            found[yf.year] = (p, yf)
    if problems:
        raise PackError(problems)
    return found


def calendar_for(roots: list[Path]) -> WorkCalendar:
    """The shipped years plus those of the roots' calendars/ folders; the same object when they add none."""
    shipped = shipped_calendar()
    own = folder_years(roots)
    if not own:
        return shipped
    loaders = {y: (lambda y=y: shipped.schedule(y)) for y in shipped.years()}
    for year, (path, yf) in own.items():
        notice = " ".join(x for x in (yf.notice.title, yf.notice.number) if x)
        county = yf.schedule(YearSource(year, "county", str(path), notice))
        if shipped.covers(year):
            base = shipped.schedule(year)
            if (base.holidays, base.working_weekends) == (county.holidays, county.working_weekends):
                continue  # the same days as the shipped year: nothing to report
            county = yf.schedule(YearSource(year, "county", str(path), notice, overrides_shipped=True))
        loaders[year] = lambda s=county: s
    return WorkCalendar(loaders)


def _runs(days: dict[dt.date, str]) -> list[tuple[str, dt.date, dt.date]]:
    out: list[tuple[str, dt.date, dt.date]] = []
    for d in sorted(days):
        if out and out[-1][2] == d - dt.timedelta(days=1) and out[-1][0] == days[d]:
            out[-1] = (out[-1][0], out[-1][1], d)
        else:
            out.append((days[d], d, d))
    return out


def year_text(
    year: int,
    holidays: dict[dt.date, str],
    working_weekends: list[dt.date],
    *,
    title: str = "",
    number: str = "",
    issued: dt.date | None = None,
    source: str = "",
    header: str = "",
) -> str:
    """A year file in its canonical form (the same text for the same days: a diff shows what changed)."""
    title = title or f"国务院办公厅关于{year}年部分节假日安排的通知"
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += [f"year: {year}", "notice:", f"  title: {title}"]
    if number:
        lines.append(f"  number: {number}")
    if issued:
        lines.append(f"  date: {issued.isoformat()}")
    if source:
        lines.append(f'source: "{source}"')
    lines.append("holidays:")
    for name, a, b in _runs(holidays):
        lines.append(f"  - {{name: {name}, from: {a.isoformat()}, to: {b.isoformat()}}}")
    lines.append(f"working_weekends: [{', '.join(d.isoformat() for d in sorted(working_weekends))}]")
    return "\n".join(lines) + "\n"
