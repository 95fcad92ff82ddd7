"""Reading git history fast: tags from one ``for-each-ref``, commits from one streamed ``log``.

Never one git process or one GitPython object per commit or per tag: a repository is read with

* ``git for-each-ref refs/tags``: every tag with its peeled commit, dates and message, in one
  call whose output also fingerprints the repository's deployments;
* ``git log --stdin`` fed only the deployment commits not read before, with the ones already
  read excluded (``^sha``), so an incremental collect reads only new commits. Its output is
  parsed while git is still walking (:meth:`GitRepository.commit_rows`), or, for a
  repository read whole, kept as git wrote it (:meth:`GitRepository.commit_log`; its format
  and parsing: :mod:`collectors.git_log`). No ``--topo-order`` (which, without a
  commit-graph file, makes git walk the whole history before it prints a commit), so commits
  come in git's own order, newest first, and the caller takes them in any order
  (:func:`dora_tui.core.lineage.assign`, :func:`dora_tui.core.fresh.carried`).

git locates the repository (normal or bare, see :class:`GitRepository`) and runs the
commands with that explicit git directory; the output is parsed in one pass.

git is run directly, not through GitPython (no longer a dependency): its ``Repo`` refuses
repositories git reads (bare, without ``config``); its process wrapper's finaliser caught Ctrl-C.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from collectors.errors import GitError, GitMissing, GitRefused
from collectors.git_log import LOG_FORMAT, TOKENS, CommitLog, PathMatcher, not_utf8, parse_rows, shown_bytes
from collectors.git_runs import check_git_runs
from collectors.records import CommitRow, TagRef

# Fields are separated by NUL, the one byte a ref name, a tag or commit message, an author or
# a path can never hold (a message may hold any other control character, 0x1e included).
# Each tag has TAG_FIELDS NUL-ended fields, then the newline for-each-ref ends a record with
# (a tag's body may hold newlines; a ref name cannot, so the newline is stripped from it).
TAG_FIELDS = (
    "%(refname:strip=2)",
    "%(objecttype)",
    "%(objectname)",
    "%(*objecttype)",
    "%(*objectname)",
    "%(taggerdate:unix)",
    "%(*committerdate:unix)",
    "%(committerdate:unix)",
    "%(contents:subject)",
    "%(contents:body)",
)
TAG_FORMAT = "".join(f"{field}%00" for field in TAG_FIELDS)
T = TypeVar("T")
# Settings that would change what `git log` prints, whatever the user's git config says.
QUIET_CONFIG = ("-c", "log.showSignature=false", "-c", "core.quotePath=false", "-c", "i18n.logOutputEncoding=UTF-8")
# Variables that would make git read another repository than the one named by --git-dir.
LOCATING = (
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_PREFIX",
    "GIT_NAMESPACE",
)


# `git log` output is read whole or in large chunks, never a commit at a time: GIT_FLUSH=0 makes
# git buffer it fully, where it would otherwise flush each commit into a pipe (a write and a
# wake-up of the reader per commit: measured in bench/README.md).
LOG_ENV = {"GIT_FLUSH": "0"}


def git_env(**extra: str) -> dict[str, str]:
    """git's environment: this process's, without :data:`LOCATING`, messages in English (they
    are parsed, see :func:`failure`), no prompt for credentials, and no network: in a partial
    clone (``--filter=blob:none``) git would fetch a missing object from its remote, and an
    offline tool never does (``GIT_NO_LAZY_FETCH``, git 2.45 and later, and for every git
    ``GIT_ALLOW_PROTOCOL`` empty: no transport is allowed; the object is then missing, as git
    says); plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in LOCATING}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1", GIT_ALLOW_PROTOCOL="", LC_ALL="C", LANGUAGE="C")
    env.update(extra)
    return env


@dataclass(frozen=True)
class TagListing:
    """The tags of a repository, what was skipped, and a fingerprint of the listing."""

    tags: tuple[TagRef, ...]
    skipped: tuple[str, ...]
    fingerprint: str
    unreadable: tuple[str, ...] = ()  # names not valid UTF-8 (as shown_bytes shows them): left out


class GitRepository:
    """A local clone (normal or bare) opened for reading history.

    Raises :class:`~collectors.errors.GitError` with one clear line when ``path`` is missing or
    is not a git repository, and :class:`~collectors.errors.GitMissing` when there is no ``git``
    on PATH to read it with.

    Git itself says what a repository is: the folder is located once by git's own discovery,
    bounded to the folder (``git -C PATH rev-parse`` with the folder's parent as the ceiling,
    so a folder inside a repository is not one, and git's ``safe.directory`` ownership check
    applies: a refusal is said in words, see :func:`failure`); every command then runs with
    that explicit ``--git-dir`` (and ``--work-tree`` where there is one), with the
    repository-locating variables of the environment (``GIT_DIR``, ``GIT_WORK_TREE``, ...)
    removed. So every repository git accepts is read, a bare one without a ``config`` file
    included, and nothing in the environment redirects a read to another repository.
    """

    def __init__(self, path: Path) -> None:
        if shutil.which("git") is None:
            raise GitMissing()
        check_git_runs()
        self.path = Path(path)
        if not self.path.exists():
            raise GitError(f"{self.path}: no such folder")
        if not self.path.is_dir():
            raise GitError(f"{self.path}: not a git repository")
        where = self.path.resolve()
        env = git_env(GIT_CEILING_DIRECTORIES=str(where.parent))
        out = subprocess.run(
            ["git", "-C", str(where), "rev-parse", "--absolute-git-dir", "--git-common-dir"],
            capture_output=True,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        stderr = out.stderr.decode("utf-8", "replace")
        if out.returncode != 0:
            if "safe.directory" in stderr:
                raise failure(self.path, "rev-parse", stderr, out.returncode)
            raise GitError(f"{self.path}: not a git repository")
        lines = out.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1]
        if len(lines) != 2:  # a path holding a line break: asked for one at a time, each its whole output
            lines = [_rev_parse(where, env, option) for option in ("--absolute-git-dir", "--git-common-dir")]
        self.git_dir = Path(lines[0])
        common = Path(lines[1])
        self.common_dir = common if common.is_absolute() else (where / common).resolve()
        self.bare = self.git_dir.resolve() == where
        self.work_tree: Path | None = None if self.bare else where
        self._base = ["git", f"--git-dir={self.git_dir}"]
        if self.work_tree is not None:
            self._base.append(f"--work-tree={self.work_tree}")
        self._base.extend(QUIET_CONFIG)

    @property
    def shallow(self) -> bool:
        """True for a shallow clone: its oldest commits have hidden parents, so lead times are wrong."""
        return (self.common_dir / "shallow").exists()

    def _run(self, *args: str, stdin: str | None = None) -> str:
        out = subprocess.run(
            [*self._base, *args],
            input=stdin.encode() if stdin is not None else None,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            env=git_env(),
        )
        if out.returncode != 0:
            raise failure(self.path, args[0], out.stderr.decode("utf-8", "replace"), out.returncode)
        return out.stdout.decode("utf-8", "surrogateescape")

    def list_tags(self) -> TagListing:
        """Every tag that points (perhaps through tag objects) at a commit.

        Tags pointing at a tree or a blob exist in real repositories: they are skipped and
        listed in ``skipped``. A tag whose name is not valid UTF-8 is left out and listed in
        ``unreadable``. The fingerprint changes whenever any tag is added, moved or deleted.
        """
        out = self._run("for-each-ref", f"--format={TAG_FORMAT}", "refs/tags")
        fingerprint = hashlib.sha1(out.encode("utf-8", "surrogateescape")).hexdigest()
        tags: list[TagRef] = []
        skipped: list[str] = []
        unreadable: list[str] = []
        nested: list[tuple[str, int, str, str]] = []
        tokens = out.split("\0")
        width = len(TAG_FIELDS)
        if tokens[-1].strip() or len(tokens) % width != 1:
            raise GitError(f"{self.path}: cannot read the tag listing near {tokens[-1][:80]!r}")
        for i in range(0, len(tokens) - 1, width):
            name, otype, oid, ptype, pid, tagger, pcommitter, committer, subject, body = tokens[i : i + width]
            name = name.lstrip("\n")
            if not_utf8(name):
                unreadable.append(shown_bytes(name))
            elif otype == "commit":
                tags.append(TagRef(name, oid, int(committer or 0), False, ""))
            elif otype == "tag" and ptype == "commit":
                time = int(tagger or pcommitter or 0)
                tags.append(TagRef(name, pid, time, True, subject, body.strip()))
            elif otype == "tag" and ptype == "tag":
                nested.append((name, int(tagger or 0), subject, body.strip()))
            else:
                skipped.append(name)
        if nested:
            tags.extend(self._peel_nested(nested, skipped))
        tags.sort(key=lambda t: (t.time, t.name))
        return TagListing(tuple(tags), tuple(skipped), fingerprint, tuple(unreadable))

    def _peel_nested(self, nested: list[tuple[str, int, str, str]], skipped: list[str]) -> list[TagRef]:
        """Resolve tags of tags in one ``cat-file --batch-check`` call."""
        query = "".join(f"refs/tags/{name}^{{}}\n" for name, _, _, _ in nested)
        out = self._run("cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=query)
        result = []
        for (name, tagger, subject, body), line in zip(nested, out.splitlines()):
            parts = line.split()
            if len(parts) == 2 and parts[1] == "commit":
                result.append(TagRef(name, parts[0], tagger, True, subject, body))
            else:
                skipped.append(name)
        return result

    def commits_of(self, names: Sequence[str]) -> dict[str, str]:
        """The full sha of the commit each of ``names`` (a sha, a unique prefix of one, a tag's
        or a branch's name) names, in one ``cat-file --batch-check`` call; a name that names no
        commit here (missing, ambiguous, or a tree or a blob) is left out."""
        wanted = [n for n in dict.fromkeys(names) if n and not any(c.isspace() for c in n)]
        if not wanted:
            return {}
        out = self._run(
            "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin="".join(f"{n}^{{commit}}\n" for n in wanted)
        )
        found = {}
        for name, line in zip(wanted, out.splitlines()):
            parts = line.split()
            if len(parts) == 2 and parts[1] == "commit":
                found[name] = parts[0]
        return found

    def is_empty(self) -> bool:
        """True when the repository has no commits at all (no refs)."""
        return not self._run("for-each-ref", "--count=1", "--format=%(refname)").strip()

    def missing_paths(self, checks: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        """The (revision, path) pairs whose path does not exist in that revision's tree.

        One ``cat-file --batch-check`` call for all of them.
        """
        if not checks:
            return []
        query = "".join(f"{rev}:{path}\n" for rev, path in checks)
        out = self._run("cat-file", "--batch-check=%(objecttype)", stdin=query)
        return [check for check, line in zip(checks, out.splitlines()) if line.endswith("missing")]

    def commit_rows(
        self, include: Iterable[str], exclude: Iterable[str] = (), prefixes: Sequence[str] | None = None
    ) -> list[CommitRow]:
        """Commits reachable from ``include`` and not from ``exclude``, newest first, as compact
        rows (:data:`~collectors.records.CommitRow`, the form a reading process hands to the
        writer).

        One streamed ``git log --stdin`` call, parsed while git is still walking (no
        ``--topo-order``, which would make git walk everything before printing anything: the
        caller orders the commits, see :func:`dora_tui.core.lineage.assign`). With
        ``prefixes`` (monorepo ``path`` settings), each commit's ``touches`` lists the prefixes
        its changed paths fall under; without, no paths are read at all.
        """
        include = list(include)
        if not include:
            return []
        matcher = PathMatcher(prefixes or ())
        with self._log(include, exclude, prefixes) as popen:
            return list(self._parse(popen, matcher, parse_rows))

    def commit_log(
        self, include: Iterable[str], exclude: Iterable[str] = (), prefixes: Sequence[str] | None = None
    ) -> CommitLog:
        """What :meth:`commit_rows` reads, kept whole as git wrote it
        (:class:`~collectors.git_log.CommitLog`): for a repository read whole, whose commits
        are stored without a row built for each in Python."""
        include = list(include)
        matcher = PathMatcher(prefixes or ())
        if not include:
            return CommitLog.of("", matcher, str(self.path))
        with self._log(include, exclude, prefixes) as popen:
            assert popen.stdout is not None
            output = popen.stdout.read()
        # NUL ends no UTF-8 character: decoded whole, the text is what decoding it token by token gives.
        return CommitLog.of(output.decode("utf-8", "replace"), matcher, str(self.path))

    @contextlib.contextmanager
    def _log(
        self, include: list[str], exclude: Iterable[str], prefixes: Sequence[str] | None
    ) -> Iterator[subprocess.Popen[bytes]]:
        """``git log`` of the commits reachable from ``include`` and not from ``exclude``,
        running, its output to be read; what git said is raised once it has ended."""
        stdin = "".join(f"{sha}\n" for sha in include) + "".join(f"^{sha}\n" for sha in exclude)
        args = ["log", "--stdin", "--no-color", "--encoding=UTF-8", f"--format={LOG_FORMAT}"]
        if prefixes:
            args += ["--name-only", "--no-renames", "--diff-merges=off"]
        with tempfile.TemporaryFile() as handle, tempfile.TemporaryFile() as errors:
            handle.write(stdin.encode())
            handle.seek(0)
            popen = subprocess.Popen(
                [*self._base, *args], stdin=handle, stdout=subprocess.PIPE, stderr=errors, env=git_env(**LOG_ENV)
            )
            try:
                yield popen
            finally:
                if popen.poll() is None:  # the reader stopped early (an error, an interrupt)
                    popen.kill()
                popen.wait()
                assert popen.stdout is not None
                popen.stdout.close()
            if popen.returncode != 0:
                errors.seek(0)
                raise failure(self.path, "log", errors.read().decode("utf-8", "replace"), popen.returncode)

    def _parse(
        self,
        popen: subprocess.Popen[bytes],
        matcher: PathMatcher,
        parse: Callable[[list[str], PathMatcher], list[T]],
    ) -> Iterator[T]:
        """The commits of ``git log`` output, parsed while it is being written."""
        assert popen.stdout is not None
        buffer = b""
        pending: list[str] = []
        first = True
        while True:
            chunk = popen.stdout.read(1 << 20)
            if not chunk:
                break
            buffer += chunk
            cut = buffer.rfind(b"\0")
            if cut < 0:
                continue
            # Decode whole tokens only: a chunk may end inside a UTF-8 character.
            tokens = buffer[:cut].decode("utf-8", "replace").split("\0")
            buffer = buffer[cut + 1 :]
            if first:
                tokens.pop(0)  # the empty text before the first commit's NUL
                first = False
            if pending:
                tokens[:0] = pending
            whole = len(tokens) // TOKENS * TOKENS
            yield from parse(tokens[:whole], matcher)
            pending = tokens[whole:]
        if popen.wait() != 0:
            return  # what git said is raised by the caller
        if pending or buffer:
            pending.append(buffer.decode("utf-8", "replace"))
            if len(pending) != TOKENS:
                raise GitError(f"{self.path}: git log output ended in the middle of a commit")
            yield from parse(pending, matcher)


def _rev_parse(where: Path, env: dict[str, str], option: str) -> str:
    """What ``git rev-parse OPTION`` prints for the repository at ``where``: its whole output
    but the line break that ends it (a path may hold line breaks of its own)."""
    out = subprocess.run(
        ["git", "-C", str(where), "rev-parse", option], capture_output=True, env=env, stdin=subprocess.DEVNULL
    )
    return out.stdout.decode("utf-8", "surrogateescape").removesuffix("\n")


def git_folder_layout(folder: Path, common: Path | None = None) -> bool:
    """Whether ``folder`` is laid out as a git folder git opens: a ``HEAD`` file, and ``objects``
    and ``refs`` folders (in ``common``, a worktree's main git folder, when given). False where
    it cannot be looked at (a folder this user may not read)."""
    common = folder if common is None else common
    try:
        return (folder / "HEAD").is_file() and (common / "objects").is_dir() and (common / "refs").is_dir()
    except OSError:
        return False


def failure(path: Path, command: str, stderr: str, status: int) -> GitError:
    """What git said when ``git COMMAND`` failed on the repository at ``path``, in one line.

    Its ``fatal:`` and ``error:`` lines say what went wrong (the last line alone is often a
    hint, such as the ``git config`` command that follows a refusal). A repository owned by
    another user, which git refuses to read (its ``safe.directory`` check), is said in words
    with the command that makes git trust it.
    """
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    hint = next((line for line in lines if line.startswith("git config") and "safe.directory" in line), None)
    if hint is not None:
        where = hint.split("safe.directory", 1)[1].strip() or str(path)
        with contextlib.suppress(ValueError):  # newer gits quote a path that needs it
            where = shlex.split(where)[0]
        return GitRefused(
            f"{path}: git refused to read it: the repository is owned by another user "
            "(git's safe.directory check); if you trust it, run: "
            f"git config --global --add safe.directory {shlex.quote(where)}"
        )
    said = [line.split(":", 1)[1].strip() for line in lines if line.startswith(("fatal:", "error:"))]
    detail = "; ".join(said) or (lines[-1] if lines else f"exit status {status}")
    return GitError(f"{path}: git {command} failed: {detail}")
