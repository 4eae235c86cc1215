"""A cache of parsed pack files, so that start-up does not parse unchanged YAML again.

`read_yaml` is a pure function of a file's bytes, and parsing is most of the time it takes to load the
packs. Its result (values and positions: dicts, lists, tuples, str, int, float, bool, None) is kept
with marshal in the user's cache directory, in a file named by a hash of the bytes, of the reader's
own source and of the Python version, so an edited pack or reader is never read from the cache. A file
with problems is never cached: its errors are reported afresh each time. Any failure to read or write
the cache falls back to parsing.

The cache is off unless asked for: VILLAGEPOLICY_CACHE=1 turns it on (in $XDG_CACHE_HOME/villagepolicy,
else ~/.cache/villagepolicy), and so does setting VILLAGEPOLICY_CACHE_DIR; VILLAGEPOLICY_CACHE=0 keeps
it off. Off by default because whoever can write the cache folder can change what the packs say (a
cache shared between CI jobs, say), and it saves only ~40 ms of start-up.
"""

from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import sys
from pathlib import Path

from . import yamlread
from .yamlread import Located, read_yaml

_salt: bytes | None = None
_DIGEST = 32  # each entry starts with the sha256 of the marshal bytes that follow
MAX_ENTRIES = 256  # parsed files kept; the oldest go first (each edit of a pack adds one)


def _reader_salt() -> bytes:
    global _salt
    if _salt is None:
        h = hashlib.sha256(f"{sys.version_info[:2]} marshal {marshal.version}\n".encode())
        h.update(Path(yamlread.__file__).read_bytes())
        _salt = h.digest()
    return _salt


def cache_dir() -> Path | None:
    switch = os.environ.get("VILLAGEPOLICY_CACHE", "").strip().lower()
    explicit = os.environ.get("VILLAGEPOLICY_CACHE_DIR")
    if switch in ("0", "false", "no", "off") or (not explicit and switch not in ("1", "true", "yes", "on")):
        return None
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "villagepolicy"


def read_pack_yaml(raw: bytes, file: str) -> Located:
    """read_yaml(raw, file), from the cache when these exact bytes were parsed before."""
    folder = cache_dir()
    if folder is None:
        return read_yaml(raw, file)
    try:
        entry = folder / f"{hashlib.sha256(_reader_salt() + raw).hexdigest()}.marshal"
    except OSError:  # the reader's source cannot be read (a zipped install): no cache
        return read_yaml(raw, file)
    try:
        stored = entry.read_bytes()
        # marshal.loads trusts its input: one changed byte can crash the interpreter, and an edited entry
        # would change a "verbatim" citation. Only bytes matching the digest written with them are loaded
        # (issue 16 item 11); anything else is parsed again and rewritten.
        digest, blob = stored[:_DIGEST], stored[_DIGEST:]
        if len(stored) > _DIGEST and hmac.compare_digest(digest, hashlib.sha256(blob).digest()):
            fields = marshal.loads(blob)
            return Located(file=file, **fields)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    loc = read_yaml(raw, file)  # raises YamlError on a bad file: nothing is written
    try:
        blob = marshal.dumps({k: v for k, v in vars(loc).items() if k != "file"})
        folder.mkdir(parents=True, exist_ok=True)
        tmp = entry.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hashlib.sha256(blob).digest() + blob)
        os.replace(tmp, entry)  # atomic: a concurrent reader sees the old state or the whole file
        _prune(folder)
    except (OSError, ValueError):
        pass
    return loc


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.marshal"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        old.unlink(missing_ok=True)
