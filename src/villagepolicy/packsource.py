"""Which packs a command reads: one rule for every command.

1. `--packs DIR` (or VILLAGEPOLICY_PACKS=DIR): DIR's rules/ and jurisdictions/ on top of the shipped packs.
2. `--installed` (or VILLAGEPOLICY_PACKS=installed): the installed packs only.
3. Otherwise, run inside a folder (or below one) holding rules/ or jurisdictions/: that folder, on top of
   the shipped packs, and one line on stderr says so. A villagepolicy source checkout is read alone (its
   packs are the shipped ones, edited), so nothing it deleted or renamed lingers from the installed copy.
4. Otherwise the installed packs.

Why: after `pip install .` the packs are copied into the installed package; a person editing the files in
front of them must never be checked against the old copy without being told.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .library import Library, load, shipped_root

ENV = "VILLAGEPOLICY_PACKS"


@dataclass(frozen=True)
class PackSource:
    """The folder whose packs are read (None: the installed ones) and whether the shipped ones are added."""

    folder: Path | None
    include_shipped: bool = True
    found: bool = False  # found by looking at the working directory (not named on the command line)

    @property
    def roots(self) -> list[Path]:
        roots = [shipped_root()] if self.include_shipped or self.folder is None else []
        if self.folder is not None and not _same(self.folder, shipped_root()):
            roots.append(self.folder)
        return roots

    @property
    def own(self) -> Path | None:
        """The folder whose files are the user's own (lint, coverage and test report on these only)."""
        return self.folder

    def library(self) -> Library:
        if self.folder is None:
            return load()
        if _same(self.folder, shipped_root()):
            return load()
        return load(self.folder, include_shipped=self.include_shipped)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def has_packs(folder: Path) -> bool:
    return (folder / "rules").is_dir() or (folder / "jurisdictions").is_dir()


def is_source_checkout(folder: Path) -> bool:
    """A villagepolicy repository: its packs are the shipped ones, edited."""
    return (folder / "src" / "villagepolicy" / "__init__.py").is_file()


def find_local(start: Path | None = None) -> Path | None:
    """The nearest folder, from `start` (the working directory) upwards, holding rules/ or jurisdictions/."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if has_packs(folder):
            return folder
    return None


def resolve(packs: str | None = None, installed: bool = False, start: Path | None = None) -> PackSource:
    """The pack source of one command (see the module's docstring for the order)."""
    env = os.environ.get(ENV, "").strip()
    if packs:
        return PackSource(Path(packs))
    if installed or env == "installed":
        return PackSource(None)
    if env:
        return PackSource(Path(env))
    local = find_local(start)
    if local is None or _same(local, shipped_root()):
        return PackSource(None)
    return PackSource(local, include_shipped=not is_source_checkout(local), found=True)


def same_as_installed(folder: Path) -> bool:
    """The folder's rules/ and jurisdictions/ hold exactly the installed files (a fresh `pip install .`)."""
    for sub in ("rules", "jurisdictions"):
        mine = sorted(p.name for p in (folder / sub).glob("*.yaml"))
        theirs = sorted(p.name for p in (shipped_root() / sub).glob("*.yaml"))
        if mine != theirs:
            return False
        for name in mine:
            if not (folder / sub / name).is_file():  # a FIFO would block read_bytes forever
                return False
            if (folder / sub / name).read_bytes() != (shipped_root() / sub / name).read_bytes():
                return False
    return True


def announce(source: PackSource) -> None:
    """One line on stderr when packs were picked up from the working directory, so no one is surprised.

    Nothing is said when they are byte for byte the installed ones: the answer is the same either way."""
    if source.found and source.folder is not None and not same_as_installed(source.folder):
        how = (
            "仅此目录 this folder alone"
            if not source.include_shipped
            else "叠加在已安装的规则包上 over the installed packs"
        )
        print(
            f"使用当前目录的规则包 using the packs in {source.folder} ({how}); "
            f"--installed 或 {ENV}=installed 只用已安装的 use only the installed ones",
            file=sys.stderr,
        )
    if source.folder is not None and source.include_shipped:
        from .packs.loader import replaced_files

        for mine, shipped in replaced_files(source.roots):  # a county's own version of a shipped file
            print(f"注意 note: {mine} 替换了同名文件 replaces {shipped}", file=sys.stderr)

