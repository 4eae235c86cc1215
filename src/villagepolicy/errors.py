"""Exceptions of the public API. Every message names the field, row or line at fault."""

from __future__ import annotations

from dataclasses import dataclass


class VillagePolicyError(Exception):
    """Base class of every error this library raises on purpose."""


class UnknownJurisdiction(VillagePolicyError, LookupError):
    def __init__(self, jurisdiction: str, known: list[str]) -> None:
        self.jurisdiction = jurisdiction
        self.known = known
        from .suggest import close_matches

        near = close_matches(jurisdiction, known)
        hint = f"; 是否想写 did you mean {' / '.join(map(repr, near))}?" if near else ""
        super().__init__(f"未知的辖区 unknown jurisdiction {jurisdiction!r}{hint}; 已知 known: {', '.join(known)}")


class UnknownQuestion(VillagePolicyError, LookupError):
    def __init__(self, question: str, known: list[str], jurisdiction: str | None = None) -> None:
        self.question = question
        self.known = known
        where = f" in {jurisdiction!r}" if jurisdiction else ""
        from .suggest import close_matches

        near = close_matches(question, known)
        hint = f"; 是否想写 did you mean {' / '.join(map(repr, near))}?" if near else ""
        super().__init__(
            f"未知的问题 unknown question {question!r}{where}{hint}; 可回答 answerable: {', '.join(known)}"
        )


class FactError(VillagePolicyError, ValueError):
    """Facts that fail validation. `problems` holds one (field, message) pair per fault."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        text = "; ".join(f"{field}: {msg}" if field else msg for field, msg in problems)
        super().__init__(f"事实有误 bad facts: {text}")


@dataclass(frozen=True)
class Problem:
    """One fault in a pack or jurisdiction file, located as file:line:col (line 0: the file or folder itself)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        if self.line <= 0:  # a folder or a whole file: no line to point at
            return f"{self.file}: {self.message}"
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class PackError(VillagePolicyError):
    """A pack or jurisdiction file that cannot be loaded; `problems` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class BadArgument(VillagePolicyError, ValueError):
    """A command-line argument (or API argument such as `on`) that is not what it must be."""

    def __init__(self, argument: str, message_zh: str, message_en: str) -> None:
        self.argument = argument
        self.message_zh = f"参数 {argument} 有误：{message_zh}"
        self.message_en = f"bad argument {argument}: {message_en}"
        super().__init__(f"{argument}: {message_zh} {message_en}")


class EngineError(VillagePolicyError, RuntimeError):
    """The matching engine failed; the message says on which pack and rule."""


class WorkerError(VillagePolicyError, RuntimeError):
    """A process deciding part of a roster check ended before it was done (killed, out of memory).

    Nothing is reported then; the command line exits 3 (internal error), not 2: the input may be fine.
    """


class FutureDateWarning(UserWarning):
    """A decision dated after today: the packs and the calendar may still change before that day."""


class DeprecatedFactWarning(DeprecationWarning):
    """A fact given under an old name that still works (issue 17: names carrying a number, e.g. village_within_3km)."""
