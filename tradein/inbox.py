"""The inbox of claim bundles (a local path or any fsspec URL): listing, loading, quarantine."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import posixpath
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from claims.bundle import ClaimBundle, parse_claim_json
from tradein.errors import BundleError, ConfigurationError

CLAIM_JSON = "claim.json"
MAX_CLAIM_JSON_BYTES = 1_000_000


@dataclass(frozen=True)
class InboxEntry:
    """Something found in the inbox: a bundle, a directory without claim.json, or a stray file."""

    name: str
    path: str
    kind: str  # 'bundle' | 'incomplete' | 'stray_file'


@dataclass(frozen=True)
class BundleFile:
    """A document of a bundle, read into memory with its hash."""

    file: str
    sha256: str
    data: bytes


@dataclass(frozen=True)
class LoadedBundle:
    """A validated bundle: its claim, raw JSON, files and content fingerprint."""

    name: str
    path: str
    bundle: ClaimBundle
    raw_json: Any
    claim_json: bytes
    files: tuple[BundleFile, ...]
    fingerprint: str


class Inbox:
    """One inbox location, whatever filesystem it is on."""

    def __init__(self, url: str) -> None:
        try:
            self.fs, self.root = fsspec.core.url_to_fs(url)
        except (ValueError, ImportError) as e:
            raise ConfigurationError(f"cannot open inbox {url!r}: {e}") from e
        self.url = url

    def entries(self) -> list[InboxEntry]:
        """Every entry of the inbox, sorted by name; an absent inbox is empty."""
        if not self.fs.exists(self.root):
            return []
        found = []
        for info in sorted(self.fs.ls(self.root, detail=True), key=lambda i: i["name"]):
            name = posixpath.basename(info["name"].rstrip("/"))
            if name.startswith("."):
                continue
            found.append(InboxEntry(name, info["name"], self._kind(info)))
        return found

    def _kind(self, info: dict) -> str:
        if info.get("type") != "directory" or info.get("islink"):
            return "stray_file"
        has_claim = self.fs.exists(posixpath.join(info["name"], CLAIM_JSON))
        return "bundle" if has_claim else "incomplete"

    def load(self, entry: InboxEntry) -> LoadedBundle:
        """Read and validate a bundle; BundleError (with a quarantine code) when malformed."""
        try:
            return self._load(entry)
        except OSError as e:
            raise BundleError(f"bundle cannot be read: {type(e).__name__}: {e}", code="UNREADABLE_BUNDLE") from e

    def _load(self, entry: InboxEntry) -> LoadedBundle:
        self._refuse_links_and_special_files(entry.path)
        claim_json = self._read_limited(posixpath.join(entry.path, CLAIM_JSON), MAX_CLAIM_JSON_BYTES)
        bundle, raw = parse_claim_json(claim_json)
        files = tuple(self._read_document(entry.path, f) for f in dict.fromkeys(d.file for d in bundle.documents))
        return LoadedBundle(entry.name, entry.path, bundle, raw, claim_json, files, _fingerprint(raw, files))

    def _refuse_links_and_special_files(self, path: str) -> None:
        for name, info in self.fs.find(path, withdirs=True, detail=True).items():
            if info.get("islink") or info.get("type") not in ("file", "directory"):
                rel = posixpath.relpath(name, path)
                raise BundleError(f"{rel} is a symlink or special file", code="SPECIAL_FILE")

    def _read_limited(self, path: str, limit: int) -> bytes:
        size = self.fs.size(path)
        if size is not None and size > limit:
            raise BundleError(f"{posixpath.basename(path)} is larger than {limit} bytes", code="INVALID_JSON")
        return self.fs.cat_file(path)

    def _read_document(self, root: str, file: str) -> BundleFile:
        path = posixpath.join(root, file)
        if not self.fs.isfile(path):
            raise BundleError(f"document {file!r} is not in the bundle", code="MISSING_FILE")
        data = self.fs.cat_file(path)
        return BundleFile(file, hashlib.sha256(data).hexdigest(), data)

    def remove(self, entry: InboxEntry) -> None:
        """Delete a bundle from the inbox (after it is safely recorded)."""
        self.fs.rm(entry.path, recursive=True)

    def quarantine(self, entry: InboxEntry, quarantine_dir: Path, code: str, detail: str) -> Path:
        """Move a bundle as it is into quarantine, beside an ``error.json``."""
        target = _free_name(quarantine_dir, entry.name)
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(self.fs, LocalFileSystem):
            shutil.move(entry.path, target)
        else:
            self.fs.get(entry.path, str(target), recursive=True)
            self.fs.rm(entry.path, recursive=True)
        if target.is_file():  # a stray file quarantined by name
            target = _wrap_file(target)
        error = {"code": code, "detail": detail, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        (target / "error.json").write_text(json.dumps(error, indent=2) + "\n", encoding="utf-8")
        return target


def _free_name(directory: Path, name: str) -> Path:
    candidate, n = directory / name, 1
    while candidate.exists():
        n += 1
        candidate = directory / f"{name}.{n}"
    return candidate


def _wrap_file(path: Path) -> Path:
    holder = path.with_name(path.name + ".d")
    holder.mkdir()
    path.rename(holder / path.name)
    return holder


def _fingerprint(raw: Any, files: tuple[BundleFile, ...]) -> str:
    """Equal for two bundles exactly when their JSON is equal and their files have the same bytes."""
    canonical = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode("utf-8"))
    for f in sorted(files, key=lambda f: f.file):
        digest.update(f"\0{f.file}\0{f.sha256}".encode())
    return digest.hexdigest()
