"""A repository's committed files, read with git: the names under ``HEAD`` and the contents
of a few of them.

``init`` reads what is committed at ``HEAD`` rather than a checkout's working files, so a
bare repository is read like any other, and what is read is what ``collect`` mines. Two git
calls per repository: ``ls-tree`` for the names, one ``cat-file --batch`` for the contents, run
as ``collect`` runs git (:func:`collectors.git.git_env`: no git variable in the environment
names another repository).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterable
from pathlib import Path

from collectors.git import QUIET_CONFIG, failure, git_env

_NO_HEAD = ("not a valid object name", "not a tree object", "bad revision", "unknown revision")


def committed_files(repo: Path) -> list[str]:
    """Every file name under ``HEAD`` (slash-separated, from the top folder); ``[]`` for a
    repository with no commit yet. :class:`~collectors.errors.GitError` when git cannot read it."""
    out = subprocess.run(
        ["git", *QUIET_CONFIG, "-C", str(repo), "ls-tree", "-r", "-z", "--full-tree", "--name-only", "HEAD"],
        capture_output=True,
        env=git_env(),  # GIT_DIR and the like in the environment would read another repository
    )
    if out.returncode != 0:
        said = out.stderr.decode("utf-8", "replace")
        if any(text in said.lower() for text in _NO_HEAD):
            return []
        raise failure(repo, "ls-tree", said, out.returncode)
    return [name for name in out.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def head_is_commit(repo: Path) -> bool:
    """Whether ``HEAD`` names a commit (in a bare repository made by ``git init --bare``, it may
    name a branch nothing was pushed to, while the tags were)."""
    out = subprocess.run(
        ["git", *QUIET_CONFIG, "-C", str(repo), "rev-parse", "--verify", "--quiet", "HEAD^{commit}"],
        capture_output=True,
        env=git_env(),
    )
    return out.returncode == 0


def remote_names(repo: Path) -> list[str]:
    """The names of the repositories ``repo``'s remotes point at: each remote URL's last part,
    ``.git`` dropped (``shop`` of ``git@github.com:acme/shop.git``, of
    ``https://dev.azure.com/acme/web/_git/shop`` and of ``/srv/git/shop.git``); ``[]`` for
    none, or when git cannot say (a clone may be in a folder named otherwise than its
    repository: ``shop-main``)."""
    out = subprocess.run(
        ["git", *QUIET_CONFIG, "-C", str(repo), "config", "--get-regexp", r"^remote\..*\.url$"],
        capture_output=True,
        env=git_env(),
    )
    if out.returncode != 0:  # 1: no remote
        return []
    names = []
    for line in out.stdout.decode("utf-8", "surrogateescape").splitlines():
        url = line.partition(" ")[2].strip().rstrip("/")
        last = re.split(r"[/:\\]", url)[-1].removesuffix(".git")
        if last:
            names.append(last)
    return names


def folders_of(files: Iterable[str]) -> set[str]:
    """Every folder holding one of ``files`` (``a/b/c.txt`` gives ``a`` and ``a/b``)."""
    found: set[str] = set()
    for name in files:
        parts = name.split("/")[:-1]
        for end in range(len(parts), 0, -1):
            folder = "/".join(parts[:end])
            if folder in found:
                break
            found.add(folder)
    return found


def read_committed(repo: Path, names: Iterable[str]) -> dict[str, bytes]:
    """The contents of ``names`` as committed at ``HEAD`` (one ``git cat-file --batch``); a name
    that is not a file there, or holds a line break, is left out."""
    wanted = [name for name in dict.fromkeys(names) if "\n" not in name and "\r" not in name]
    if not wanted:
        return {}
    request = "".join(f"HEAD:{name}\n" for name in wanted).encode("utf-8", "surrogateescape")
    out = subprocess.run(
        ["git", *QUIET_CONFIG, "-C", str(repo), "cat-file", "--batch"],
        input=request,
        capture_output=True,
        env=git_env(),
    )
    if out.returncode != 0:
        raise failure(repo, "cat-file", out.stderr.decode("utf-8", "replace"), out.returncode)
    data = out.stdout
    found: dict[str, bytes] = {}
    at = 0
    for name in wanted:
        end = data.index(b"\n", at)
        header = data[at:end].split(b" ")
        at = end + 1
        if len(header) == 3 and header[1] in (b"blob", b"tree", b"commit", b"tag"):
            size = int(header[2])
            if header[1] == b"blob":
                found[name] = data[at : at + size]
            at += size + 1
    return found
