"""Real git repositories for tests, built with the git binary and fixed dates.

The user's own git configuration is never read (GIT_CONFIG_GLOBAL=/dev/null,
GIT_CONFIG_NOSYSTEM=1), so the repositories are the same on every machine.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path


def epoch(text: str) -> int:
    """Seconds since the epoch of an ISO time; naive times are UTC."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


class GitBuilder:
    """A git repository in a temporary folder, with commits and tags at chosen times."""

    def __init__(self, path: Path, *, bare: bool = False) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main", *(["--bare"] if bare else []))
        self.counter = 0

    def env(self, when: str, committer: str | None = None) -> dict[str, str]:
        """The environment that pins author and committer dates and identities."""
        env = dict(os.environ)
        env.update(
            {
                "GIT_CONFIG_GLOBAL": "/dev/null",
                "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_AUTHOR_NAME": "Ada Lovelace",
                "GIT_AUTHOR_EMAIL": "ada@example.com",
                "GIT_COMMITTER_NAME": "Ada Lovelace",
                "GIT_COMMITTER_EMAIL": "ada@example.com",
                "GIT_AUTHOR_DATE": f"{epoch(when)} +0000",
                "GIT_COMMITTER_DATE": f"{epoch(committer or when)} +0000",
            }
        )
        return env

    def git(self, *args: str, when: str = "2024-01-01T00:00:00", committer: str | None = None) -> str:
        """Run git in the repository; returns its stdout."""
        out = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            text=True,
            env=self.env(when, committer),
            check=True,
        )
        return out.stdout.strip()

    def commit(
        self, when: str, message: str | None = None, *, path: str | None = None, committer: str | None = None
    ) -> str:
        """Write a file (``path``, default a fresh one) and commit it at ``when``; returns the sha."""
        self.counter += 1
        name = path or f"file{self.counter}.txt"
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("a") as handle:
            handle.write(f"change {self.counter}\n")
        self.git("add", name, when=when)
        self.git("commit", "-q", "-m", message or f"change {self.counter}", when=when, committer=committer)
        return self.head()

    def commit_files(self, when: str, files: dict[str, str], message: str = "add files") -> str:
        """Write ``files`` (path -> text) as given and commit them at ``when``; returns the sha."""
        for name, text in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            self.git("add", name, when=when)
        self.git("commit", "-q", "-m", message, when=when)
        return self.head()

    def head(self) -> str:
        """The sha of HEAD."""
        return self.git("rev-parse", "HEAD")

    def tag(
        self, name: str, when: str, *, ref: str = "HEAD", message: str | None = None, lightweight: bool = False
    ) -> None:
        """Tag ``ref``: annotated at ``when`` (the tagger date) unless ``lightweight``."""
        if lightweight:
            self.git("tag", name, ref, when=when)
        else:
            self.git("tag", "-a", name, "-m", message or f"Release {name}", ref, when=when)

    def branch(self, name: str, start: str = "HEAD") -> None:
        """Create and switch to branch ``name``."""
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, name: str) -> None:
        """Switch to ``name``."""
        self.git("checkout", "-q", name)

    def merge(self, branch: str, when: str) -> str:
        """Merge ``branch`` with a merge commit at ``when``; returns the sha."""
        self.git("merge", "-q", "--no-ff", "-m", f"Merge {branch}", branch, when=when)
        return self.head()
