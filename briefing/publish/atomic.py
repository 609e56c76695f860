"""Writing the site safely: a guarded writer, and releases swapped in atomically.

Layout on disk, for ``site.out = out``::

    out -> out.releases/3f2a9c0d1e2b4a5c        (a symlink: the live site)
    out.releases/
        3f2a9c0d1e2b4a5c/                      (a complete release)
        3f2a9c0d1e2b4a5c.build.json            (its build manifest: input hashes)
        .staging-4711-ab12cd/                  (a build in progress, or a crashed one)

A build writes a fresh release into a staging folder, verifies it, renames it into place,
then replaces the `out` symlink with `os.replace` (rename(2): atomic), so a reader sees
either the old site or the new one, never a mixture (RELIABILITY.md #51). A crash leaves
the old symlink untouched; the next run deletes the orphans (`collect_garbage`).

`SafeWriter` is the only way the site writes files: like pelican's writer it refuses paths
that break out of the output folder and a file written twice in one build (#38).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import unicodedata
from pathlib import Path

from briefing.errors import PublishError

_SEGMENT = re.compile(r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9]+)*$")
# Names Windows refuses whatever the extension; a site may be copied there.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {
    f"lpt{i}" for i in range(1, 10)
}
STAGING_PREFIX = ".staging-"


def slugify(text: str) -> str:
    """`text` as a URL/path segment of `[a-z0-9-]` only (empty input gives ``"x"``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not slug:
        return "x"
    if slug in _RESERVED:
        slug += "-x"
    return slug


def check_segment(segment: str) -> str:
    """`segment` if it is a safe file or folder name, else `PublishError`."""
    stem = segment.split(".", 1)[0]
    if segment in ("", ".", "..") or not _SEGMENT.match(segment) or stem in _RESERVED:
        raise PublishError(
            f"refusing to write: {segment!r} would break out of output directory or is not a"
            " safe name: use [a-z0-9-] names"
        )
    return segment


class SafeWriter:
    """Writes files under `root` only, each at most once per build.

    `recycled`: `root` is an older release being made into the next one (`Releases.stage`).
    Its files may be hard links shared with the live release, so a file is never written
    in place: it is unlinked first, and a file to link that is already the same file is
    left as it is. `sweep` then deletes what this build did not write."""

    def __init__(self, root: Path, *, recycled: bool = False) -> None:
        self.root = root.resolve()
        self.recycled = recycled
        self.written: set[str] = set()
        # folders already checked (and made) this build: a 365-day site writes thousands of
        # files into a few hundred folders, so each folder is resolved and made once
        self._folders: set[Path] = set()
        self._dirs: dict[str, str] = {}  # the same, by relative name, for linking

    @staticmethod
    def _names(rel: str) -> list[str]:
        """The segments of `rel`, each a safe name (`check_segment`), else `PublishError`."""
        if rel.startswith("/") or "\\" in rel:
            raise PublishError(f"refusing to write: {rel!r}: path must be relative to the site")
        return [check_segment(p) for p in rel.split("/")]

    def path(self, rel: str) -> Path:
        """The absolute path of `rel` ("en/2026-02-05/index.html") after checking it."""
        target = self.root.joinpath(*self._names(rel))
        if target.parent in self._folders:
            return target
        # Belt and braces: a symlink planted inside the staging folder must not lead out.
        if not target.parent.resolve().is_relative_to(self.root) and target.parent.exists():
            raise PublishError(f"refusing to write: {rel!r} would break out of output directory")
        return target

    def _claim(self, rel: str) -> str:
        """The absolute path of file `rel`, its folder checked and made (`_made_folder`)."""
        folder, _, name = rel.rpartition("/")
        target = os.path.join(self._made_folder(folder), check_segment(name))
        if rel in self.written:
            raise PublishError(f"refusing to write the same file twice in one build: {rel}")
        self.written.add(rel)
        return target

    def write_bytes(self, rel: str, data: bytes) -> Path:
        target = self._claim(rel)
        if self.recycled:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)  # never into a file the live release may share
        with open(target, "wb") as file:
            file.write(data)
        return Path(target)

    def write_copy(self, rel: str, original: str) -> Path:
        """File `rel` with the same bytes as `original`, a file this writer wrote this build:
        hard-linked to it (else copied), so identical files cost one write."""
        if original not in self.written:
            raise PublishError(f"cannot copy {original}: not written in this build")
        target = self._claim(rel)
        self._link(os.path.join(self.root, original), target)
        return Path(target)

    def clear(self, rel_dir: str) -> None:
        """Empty folder `rel_dir` of a recycled root before another tool writes into it."""
        if self.recycled:
            shutil.rmtree(self.path(rel_dir), ignore_errors=True)

    def sweep(self) -> int:
        """Delete every file under the root this build did not write, and the folders left
        empty (a recycled root's leftovers: a day gone from the store, an old bundle's
        files). Returns how many files went."""
        if not self.recycled:
            return 0
        removed = 0
        root = str(self.root)
        for folder, dirs, files in os.walk(root, topdown=False):
            inside = os.path.relpath(folder, root)
            prefix = "" if inside == "." else inside.replace(os.sep, "/") + "/"
            for name in files + [d for d in dirs if os.path.islink(os.path.join(folder, d))]:
                if prefix + name not in self.written:
                    os.unlink(os.path.join(folder, name))
                    removed += 1
            if inside != "." and not os.listdir(folder):
                os.rmdir(folder)
        return removed

    def write_text(self, rel: str, text: str) -> Path:
        return self.write_bytes(rel, text.encode("utf-8"))

    def link_files(self, source: Path, rels: list[str]) -> bool:
        """Reuse unchanged files of the previous release: each `rel` hard-linked (else copied)
        from `source / rel`. All or nothing: when one is missing, those already linked are
        removed again and False is returned (the caller renders them instead).

        A one-day change links ~2,200 files: each folder is checked and made once
        (`_made_folder`), each file costs its name's check and one link(2)."""
        done: list[str] = []
        origin = str(source)
        for rel in rels:
            folder, _, name = rel.rpartition("/")
            target = os.path.join(self._made_folder(folder), check_segment(name))
            if rel in self.written:
                raise PublishError(f"refusing to write the same file twice in one build: {rel}")
            self.written.add(rel)
            done.append(rel)
            try:
                self._link(os.path.join(origin, rel), target)
            except FileNotFoundError:
                for taken in done:
                    (self.root / taken).unlink(missing_ok=True)
                    self.written.discard(taken)
                return False
        return True

    def _link(self, source: str, target: str) -> None:
        """`target` becomes `source`'s file; in a recycled root a target that already is
        that file stays, another is replaced (FileNotFoundError when `source` is gone)."""
        if self.recycled:
            found = os.stat(source)
            try:
                if os.path.samestat(found, os.lstat(target)):
                    return
                os.unlink(target)
            except FileNotFoundError:
                pass
        _link_or_copy(source, target)

    def _made_folder(self, rel_dir: str) -> str:
        """The absolute path of folder `rel_dir`: checked (names, and no symlink leading out,
        before anything is made), made, and remembered.

        Made one level at a time below a parent already checked: a folder this call makes
        is a real folder inside the root by construction, so only one that was already
        there is looked at (a symlink or a file in its place is refused). A day's two new
        folders thus cost two mkdir(2) calls, not a path resolution each."""
        made = self._dirs.get(rel_dir)
        if made is None:
            if not rel_dir:
                self.root.mkdir(parents=True, exist_ok=True)
                made = self._dirs[rel_dir] = str(self.root)
                return made
            if rel_dir.startswith("/") or "\\" in rel_dir:
                raise PublishError(f"refusing to write: {rel_dir!r}: path must be relative to the site")
            parent_rel, _, name = rel_dir.rpartition("/")
            parent = self._made_folder(parent_rel)
            folder = os.path.join(parent, check_segment(name))
            try:
                os.mkdir(folder)
            except FileExistsError:
                if os.path.islink(folder) or not os.path.isdir(folder):
                    raise PublishError(
                        f"refusing to write: {rel_dir!r} would break out of output directory"
                    ) from None
            self._folders.add(Path(folder))
            made = self._dirs[rel_dir] = folder
        return made

    def record(self, rels: list[str]) -> None:
        """Claim files another process wrote under this root with its own `SafeWriter` (a
        render worker): the same path rules apply, and still no file is written twice."""
        for rel in rels:
            self._names(rel)  # its folders were checked by the writer that made them
            if rel in self.written:
                raise PublishError(f"refusing to write the same file twice in one build: {rel}")
            self.written.add(rel)

    def merge(self, other: SafeWriter) -> None:
        """Take over what another writer of the same folder wrote (a thread's)."""
        both = self.written & other.written
        if both:
            raise PublishError(f"refusing to write the same file twice in one build: {min(both)}")
        self.written |= other.written
        self._folders |= other._folders

    def link_tree(self, source: Path, rel_dir: str) -> None:
        """Reuse a folder another tool wrote into the previous release (a Pagefind bundle):
        every file under `source` is hard-linked (else copied) under `rel_dir`. Its names are
        the tool's, not ours, so only `rel_dir` is held to the `[a-z0-9-]` rule; symlinks in
        it are left out."""
        base = self._made_folder(rel_dir)
        origin = str(source)
        for folder, dirs, files in os.walk(origin):
            dirs.sort()
            inside = os.path.relpath(folder, origin)
            target_dir = base if inside == "." else os.path.join(base, inside)
            if inside != ".":
                os.makedirs(target_dir, exist_ok=True)
            for name in sorted(files):
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    continue
                rel = f"{rel_dir}/{name}" if inside == "." else f"{rel_dir}/{inside}/{name}".replace(os.sep, "/")
                if rel in self.written:
                    raise PublishError(f"refusing to write the same file twice in one build: {rel}")
                self.written.add(rel)
                self._link(path, os.path.join(target_dir, name))

    def adopt(self, rel_dir: str) -> None:
        """Record files another writer (e.g. `render.html.write_assets`) put under `rel_dir`."""
        base = self.path(rel_dir)
        for path in sorted(base.rglob("*")):
            if path.is_file():
                rel = path.relative_to(self.root).as_posix()
                if rel in self.written:
                    raise PublishError(f"refusing to write the same file twice in one build: {rel}")
                self.written.add(rel)


class Releases:
    """The releases of one output folder and the atomic swap between them."""

    def __init__(self, out: Path) -> None:
        self.out = Path(os.path.abspath(out))
        self.root = self.out.parent / f"{self.out.name}.releases"

    def current(self) -> Path | None:
        """The live release folder, if `out` is a symlink into our releases."""
        if not self.out.is_symlink():
            return None
        target = (self.out.parent / os.readlink(self.out)).resolve()
        if target.parent != self.root.resolve() or not target.is_dir():
            return None
        return target

    def manifest_path(self, release: Path) -> Path:
        return release.parent / f"{release.name}.build.json"

    def stage(self, *, recycle: int | None = None) -> tuple[Path, bool]:
        """A staging folder, and whether it is recycled: empty, or with `recycle=keep` the
        newest release that `prune(keep)` would delete, renamed (its manifest deleted). A
        one-day change then neither makes ~700 day folders nor deletes an old release's
        ~3,500 files: most of its files are already the live ones (see `SafeWriter`)."""
        self.root.mkdir(parents=True, exist_ok=True)
        staging = self.root / f"{STAGING_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
        doomed = self._beyond(recycle) if recycle is not None else []
        if doomed:
            self.manifest_path(doomed[0]).unlink(missing_ok=True)
            os.replace(doomed[0], staging)
            return staging, True
        staging.mkdir()
        return staging, False

    def discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)

    def commit(self, staging: Path, release_id: str, manifest_json: str) -> Path:
        """Move `staging` into place as release `release_id` and make it live, atomically."""
        check_segment(release_id)
        release = self.root / release_id
        if release.exists():
            if release == self.current():
                raise PublishError(f"release {release_id} is already live")
            shutil.rmtree(release)
        os.replace(staging, release)
        os.utime(release)  # a recycled folder is as new as its build (prune keeps the newest)
        self.manifest_path(release).write_text(manifest_json, encoding="utf-8")
        _fsync_dir(self.root)
        pause_hook()
        link = self.out.parent / f".{self.out.name}.swap-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        os.symlink(os.path.relpath(release, self.out.parent), link)
        if self.out.exists() and not self.out.is_symlink():
            self._retire_plain_folder()
        os.replace(link, self.out)
        _fsync_dir(self.out.parent)
        return release

    def _retire_plain_folder(self) -> None:
        """First publish over a plain `out/` folder: move it aside (kept, never deleted)."""
        if self.out.is_dir() and not any(self.out.iterdir()):
            self.out.rmdir()
            return
        aside = self.root / f"previous-{secrets.token_hex(4)}"
        os.replace(self.out, aside)

    def collect_garbage(self) -> list[Path]:
        """Delete crashed staging folders, stray swap links and releases beyond `keep`.

        Call it only while holding the nightly lock (or from a single `site` run): a
        staging folder of a concurrent build would otherwise look orphaned.
        """
        removed: list[Path] = []
        for link in self.out.parent.glob(f".{self.out.name}.swap-*"):
            link.unlink(missing_ok=True)
            removed.append(link)
        if not self.root.is_dir():
            return removed
        for path in self.root.glob(f"{STAGING_PREFIX}*"):
            if _owner_alive(path) and path.name.startswith(f"{STAGING_PREFIX}{os.getpid()}-"):
                continue
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        return removed

    def _beyond(self, keep: int) -> list[Path]:
        """The releases `prune(keep)` deletes, newest first."""
        live = self.current()
        releases = [
            p for p in self.root.iterdir()
            if p.is_dir() and not p.name.startswith((".", "previous-")) and p != live
        ] if self.root.is_dir() else []
        releases.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        return releases[max(keep - 1, 0):]

    def prune(self, keep: int) -> list[Path]:
        """Keep the live release and the newest `keep - 1` others; delete the rest."""
        removed = []
        for old in self._beyond(keep):
            shutil.rmtree(old, ignore_errors=True)
            self.manifest_path(old).unlink(missing_ok=True)
            removed.append(old)
        return removed


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link (the release shares the file), else a copy (another file system)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def pause_hook() -> None:
    """Test hook: sleep between preparing a release and swapping it in.

    `BRIEFING_PUBLISH_PAUSE=SECONDS` lets the crash test SIGKILL a run at the worst moment;
    with `BRIEFING_PUBLISH_RESUME=PATH` the pause ends early once PATH exists, so a test can
    hold a run inside its lock for exactly as long as it needs, whatever the machine's load.
    """
    pause = os.environ.get("BRIEFING_PUBLISH_PAUSE")
    if pause:
        import time

        resume = os.environ.get("BRIEFING_PUBLISH_RESUME")
        deadline = time.monotonic() + float(pause)
        while time.monotonic() < deadline:
            if resume and os.path.exists(resume):
                return
            time.sleep(0.05)


def _owner_alive(staging: Path) -> bool:
    try:
        pid = int(staging.name[len(STAGING_PREFIX):].split("-", 1)[0])
        os.kill(pid, 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
