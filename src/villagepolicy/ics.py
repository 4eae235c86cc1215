"""Duties as an iCalendar file (RFC 5545, written with the `icalendar` library) that a phone calendar imports.

One all-day event per occurrence, on its due date, with a reminder the day before. UIDs are stable
(jurisdiction, role, arrival, duty, window), so importing the calendars of two overlapping periods
updates events instead of duplicating them, and the file is byte-for-byte reproducible: DTSTAMP is
the decision date, not the wall clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Alarm, Calendar, Event

from .library import Jurisdiction
from .questions.duties import DutiesDecision
from .words import label

PRODID = "-//villagepolicy//duties//ZH"


def _who(ids: list[str], j: Jurisdiction) -> str:
    names = {"self": "本人", "team": "驻村工作队"}
    return "、".join(names.get(a) or j.authority_name(a) for a in ids)


def duties_calendar(d: DutiesDecision, j: Jurisdiction) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{j.name_zh} {label(d.role or '')} 职责 {d.period}")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = dt.datetime(d.on.year, d.on.month, d.on.day, tzinfo=dt.UTC)
    packs = j.library.packs
    for duty in d.duties:
        title = packs[duty.citation.pack].meta.title_zh if duty.citation.pack in packs else duty.citation.pack
        daily = duty.recurrence == "day"
        # a daily duty is one event repeating each day (RRULE), not hundreds; a standing one has no date at all
        for occ in duty.occurrences[:1] if daily else duty.occurrences:
            ev = Event()
            if daily:
                ev.add("rrule", {"freq": "daily", "until": duty.occurrences[-1].due})
            key = f"{j.id}|{d.role}|{d.stationed_since}|{duty.id}|{occ.window_start}"
            ev.add("uid", hashlib.sha1(key.encode()).hexdigest() + "@villagepolicy")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", occ.due)
            ev.add("dtend", occ.due + dt.timedelta(days=1))
            ev.add("transp", "TRANSPARENT")
            times = (
                f"（{duty.times}–{duty.times_max}次）"
                if duty.times_max
                else (f"（至少{duty.times}次）" if duty.times > 1 else "")
            )
            ev.add("summary", f"{duty.what_zh}{times}")
            lines = [
                f"期限 due: {occ.due.isoformat()}",
                f"周期 window: {occ.window_start.isoformat()} – {occ.window_end.isoformat()}"
                + (f" {duty.recurrence_zh}" if duty.recurrence_zh else ""),
                f"责任 responsible: {_who(duty.responsible, j)}",
            ]
            if duty.report_to:
                lines.append(f"报送 report to: {_who(duty.report_to, j)}")
            if duty.min_days:
                lines.append(f"不少于 at least {duty.min_days} 天 days")
            if occ.partial:
                lines.append("到岗当期 arrival fell inside this window (partial)")
            if duty.hedged:
                lines.append("原则性要求 a norm that admits exceptions")
            lines.append(f"依据 source: 《{title}》{duty.citation.clause}: {duty.citation.text_zh}")
            lines.append(f"规则 rule: {duty.rule}")
            ev.add("description", "\n".join(lines))
            ev.add("categories", ["villagepolicy", duty.recurrence or "once"])
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", duty.what_zh)
            alarm.add("trigger", dt.timedelta(days=-1))
            ev.add_component(alarm)
            cal.add_component(ev)
    return cal.to_ical()
