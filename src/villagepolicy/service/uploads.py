"""Uploaded rosters: written to a private folder (mode 0700) that is removed afterwards, errors or not.

A CSV folder comes as a zip. It is extracted with bounds and without trusting its names: no absolute
paths, no `..`, no links, a bounded number of files and of bytes (counted as they are written, not
as the zip claims), and only the table files a roster folder's reader reads (.csv, .parquet; others are passed over).
"""

from __future__ import annotations

import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ..errors import VillagePolicyError
from ..roster.read import RosterError

ROSTER_SUFFIXES = (".xlsx", ".zip")
ATTENDANCE_SUFFIXES = (".csv", ".parquet")
TABLE_SUFFIXES = (".csv", ".parquet")
MAX_ZIP_FILES = 32
_CHUNK = 1 << 20


class UploadTooLarge(VillagePolicyError):
    """An upload that grows past its bound once written or extracted (a zip bomb): answered 413."""

    def __init__(self, name: str, limit: int, what_zh: str, what_en: str) -> None:
        self.limit = limit
        super().__init__(f"{name}: {what_zh}超过 {limit} 字节 {what_en} more than {limit} bytes")


@contextmanager
def private_folder(parent: str | None = None) -> Iterator[Path]:
    """A fresh folder only this user can read (mkdtemp makes it 0700), removed on leaving."""
    path = Path(tempfile.mkdtemp(prefix="villagepolicy-upload-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def safe_name(filename: str | None, default: str) -> str:
    """The last part of a client's file name, reduced to letters, digits, CJK, '.', '-' and '_'."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = re.sub(r"[^\w.\-\u3400-\u9fff]", "_", name).lstrip(".")
    return name[:100] or default


def save(upload: BinaryIO, target: Path, limit: int) -> None:
    """Copy an uploaded stream to `target` (a new file, 0600), at most `limit` bytes."""
    written = 0
    with open(target, "xb") as out:
        target.chmod(0o600)
        while chunk := upload.read(_CHUNK):
            written += len(chunk)
            if written > limit:
                raise UploadTooLarge(target.name, limit, "文件", "the file holds")
            out.write(chunk)


def extract_zip(archive: Path, folder: Path, name: str, max_bytes: int) -> None:
    """Extract the table files of a roster zip into `folder` (flat), refusing anything unsafe.

    The files may sit at the top of the zip or in one folder inside it (a zipped roster folder).
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise RosterError([f"{name}: 不是有效的 zip 文件 not a readable zip file: {e}"]) from None
    problems: list[str] = []
    with zf:
        members = [m for m in zf.infolist() if not m.is_dir() and not m.filename.startswith("__MACOSX/")]
        if len(members) > MAX_ZIP_FILES:
            raise RosterError([f"{name}: zip 中文件过多 more than {MAX_ZIP_FILES} files in the zip"])
        tops = {PurePosixPath(m.filename).parts[0] for m in members if len(PurePosixPath(m.filename).parts) > 1}
        strip = len(tops) == 1 and all(len(PurePosixPath(m.filename).parts) == 2 for m in members)
        total = 0
        for m in members:
            path = PurePosixPath(m.filename.replace("\\", "/"))
            kind = stat.S_IFMT(m.external_attr >> 16)
            parts = path.parts[1:] if strip else path.parts
            if path.is_absolute() or ".." in path.parts or len(parts) != 1:
                problems.append(f"{name}:{m.filename}: 不安全或嵌套的路径 unsafe or nested path in the zip")
                continue
            if kind not in (0, stat.S_IFREG):  # a link or a device: never followed
                problems.append(f"{name}:{m.filename}: 不是普通文件 not a regular file")
                continue
            if not parts[0].lower().endswith(TABLE_SUFFIXES):
                continue  # a readme beside the tables: a roster folder's reader passes over it too
            target = folder / safe_name(parts[0], "table.csv")
            if target.exists():
                problems.append(f"{name}:{m.filename}: 重复的表文件 the same table file twice")
                continue
            with zf.open(m) as src, open(target, "xb") as out:
                while chunk := src.read(_CHUNK):
                    total += len(chunk)
                    if total > max_bytes:
                        raise UploadTooLarge(name, max_bytes, "解压后", "extracted, the zip holds")
                    out.write(chunk)
    if problems:
        raise RosterError(problems)


def place_roster(
    upload: BinaryIO, filename: str | None, folder: Path, limit: int, extracted_limit: int
) -> tuple[Path, str]:
    """Write the uploaded roster into `folder`; returns the path to read and the name to show for it."""
    name = safe_name(filename, "roster.xlsx")
    if not name.lower().endswith(ROSTER_SUFFIXES):
        raise RosterError(
            [f"{name}: 不支持的名册格式 unsupported roster upload (expected .xlsx, or a .zip of a CSV folder)"]
        )
    saved = folder / ("upload-" + name)
    save(upload, saved, limit)
    if not name.lower().endswith(".zip"):
        return saved, name
    tables = folder / name[: -len(".zip")]
    tables.mkdir(mode=0o700)
    extract_zip(saved, tables, name, extracted_limit)
    return tables, name


def place_attendance(upload: BinaryIO, filename: str | None, folder: Path, limit: int) -> Path:
    name = safe_name(filename, "attendance.csv")
    if not name.lower().endswith(ATTENDANCE_SUFFIXES):
        raise RosterError([f"{name}: 考勤文件应为 .csv 或 .parquet attendance file must be .csv or .parquet"])
    target = folder / ("attendance-" + name)
    save(upload, target, limit)
    return target


def shown_as(problems: list[str], folder: Path, names: dict[Path, str]) -> list[str]:
    """The problems with the private folder's paths replaced by the names the client sent."""
    out = []
    for p in problems:
        for path, name in names.items():
            p = p.replace(str(path), name)
        out.append(p.replace(f"{folder}/", ""))
    return out
