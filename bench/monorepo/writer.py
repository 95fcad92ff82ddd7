"""What writing the synthetic monorepo's history into the fast-import stream rests on
(:class:`Writer`): the random draws, the next mark, main's tip, each service's files, the
counts of what was written, and the primitives: pick files, make a subject, write a commit's
header, write a tag."""

from __future__ import annotations

import random
from collections import Counter

from monorepo.people import Person, ident
from monorepo.stream import Stream, data
from monorepo.vocabulary import N_SERVICES, NOUNS, PACKAGES, SERVICES, VERBS


def service_files() -> list[list[str]]:
    """Each service's files in the initial commit (modules, tests, API specs, README...)."""
    files: list[list[str]] = []
    for s in range(N_SERVICES):
        base = f"services/{SERVICES[s]}"
        svc_files = [f"{base}/src/{pkg}/mod{m:02d}.py" for m in range(10) for pkg in PACKAGES]
        svc_files += [f"{base}/tests/test_{m:02d}.py" for m in range(12)]
        svc_files += [f"{base}/api/v{m}.yaml" for m in range(1, 4)]
        svc_files += [f"{base}/README.md", f"{base}/Dockerfile", f"{base}/pyproject.toml"]
        files.append(svc_files)
    return files


class Writer:
    """The state a history is written with, and its primitives; :attr:`counts` counts the
    commits and tags of each kind, :attr:`per_service_tags` the tags of each service."""

    def __init__(
        self, rng: random.Random, out: Stream, devs: list[list[Person]], shared: list[Person], times: list[int]
    ) -> None:
        self.rng = rng
        self.out = out
        self.w = out.write
        self.rand, self.randint, self.choice = rng.random, rng.randint, rng.choice
        self.devs, self.shared, self.times = devs, shared, times
        self.files = service_files()
        self.next_module = [10] * N_SERVICES
        self.mark = 0  # the last mark given
        self.main_tip = self.main_time = 0  # main's last commit: its mark and its time
        self.counts: Counter[str] = Counter()
        self.last_tag_time = [0] * N_SERVICES
        self.per_service_tags: Counter[str] = Counter()

    def pick(self, svc: int, count: int) -> list[str]:
        """``count`` draws of a service's files (hot files more often, now and then a new
        module), without repeats."""
        fl = self.files[svc]
        rand = self.rand
        out_paths = []
        for _ in range(count):
            if rand() < 0.02:  # a new module
                pkg = PACKAGES[self.next_module[svc] % 3]
                path = f"services/{SERVICES[svc]}/src/{pkg}/mod{self.next_module[svc]:02d}.py"
                self.next_module[svc] += 1
                fl.append(path)
            else:  # hot files are touched more often
                path = fl[int(len(fl) * rand() ** 2)]
            if path not in out_paths:
                out_paths.append(path)
        return out_paths

    def subject_for(self, svc: int | None, where: str = "") -> str:
        """A commit subject scoped to a service (or to ``where``): ``svc03: Fix retry policy``."""
        scope = SERVICES[svc] if svc is not None else where
        return f"{scope}: {self.choice(VERBS)} {self.choice(NOUNS)}"

    def commit(self, ref: str, author: str, committer: str, message: str, parents: str) -> None:
        """A commit's header on ``ref`` with the current mark; ``parents`` its from/merge lines."""
        self.w(f"commit {ref}\nmark :{self.mark}\nauthor {author}\ncommitter {committer}\n" + data(message) + parents)

    def changes(self, paths: list[str], revision: int) -> None:
        """The commit's files, each rewritten with a line naming it and ``revision``."""
        for path in paths:
            self.w(f"M 100644 inline {path}\n" + data(f"{path} r{revision}\n"))

    def tag(
        self,
        name: str,
        target: str,
        tagger: tuple[str, str] | Person,
        when: int,
        message: str,
        service: int | None = None,
    ) -> None:
        """An annotated tag of ``target`` (a mark or an object id), counted for ``service``."""
        self.w(f"tag {name}\nfrom {target}\ntagger {ident(tagger, when)}\n" + data(message))
        self.counts["tags"] += 1
        if service is not None:
            self.per_service_tags[SERVICES[service]] += 1
            self.last_tag_time[service] = max(self.last_tag_time[service], when)
