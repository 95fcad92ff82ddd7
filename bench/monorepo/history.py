"""The synthetic monorepo's history, written event by event into the fast-import stream
(:class:`History`): commits straight on main, short feature branches merged back as pull
requests, the maintenance branch's fixes and backports, and the tags the plan puts at each
event. The draws from the random generator follow one fixed order: the same seed, the same
commit ids."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from monorepo.people import Person, ascii_only, ident
from monorepo.plan import Action, TagPlan
from monorepo.stream import Stream, data
from monorepo.vocabulary import (
    BOT,
    CI,
    COMMIT_WEIGHTS,
    DOCS,
    GITHUB,
    MAINT_SERVICE,
    N_SERVICES,
    NOUNS,
    ROOT,
    SERVICES,
    START,
    TREE_TAG_SERVICE,
    VERBS,
)
from monorepo.writer import Writer


@dataclass
class Feature:
    """A short-lived branch: a few commits on one service, then merged back."""

    slot: int
    service: int
    author: Person
    title: str
    pr: int
    tip: int = 0  # mark of the last commit on the branch
    files: dict[str, str] = field(default_factory=dict)  # path -> content at the tip
    commits: int = 0


class History(Writer):
    """Writes the history the plan ``tags`` describes into ``out``: call :meth:`write` once,
    then read :attr:`counts` and :attr:`per_service_tags`."""

    def __init__(
        self,
        rng: random.Random,
        out: Stream,
        devs: list[list[Person]],
        shared: list[Person],
        times: list[int],
        tags: TagPlan,
    ) -> None:
        super().__init__(rng, out, devs, shared, times)
        self.tags = tags
        # Feature branches: started at an event, their commits and merge planned at later events.
        self.plan: dict[int, Action] = dict(tags.special)
        self.features: dict[int, Feature] = {}
        self.free_slots: list[int] = []
        self.n_slots = 0
        self.pr_number = 1000
        n = len(times)
        self.stop_short, self.stop_long = n - 400, n - 1800  # every branch is merged before the end
        self.fix_marks: list[int] = []
        self.fix_changes: list[tuple[str, list[str], int]] = []
        self.maint_tip = 0
        self.release_marks: dict[tuple[int, int], int] = {}

    def write(self) -> None:
        """The whole stream: the initial commit, every event, then the feature branches'
        refs deleted and ``done``."""
        w = self.w
        w("feature done\n")
        self.initial_commit()
        for j in range(len(self.times)):
            self.event(j)
        assert not self.features and not self.plan, "every feature branch is merged"
        for slot in range(self.n_slots):  # the feature branches are merged: delete their refs
            w(f"reset refs/heads/wip/{slot}\nfrom {'0' * 40}\n\n")
        w("done\n")

    def initial_commit(self) -> None:
        """The whole skeleton, a day before the first event."""
        self.mark += 1
        founder = self.devs[0][0]
        self.w(
            f"commit refs/heads/main\nmark :{self.mark}\n"
            f"author {founder.name} <{founder.email}> {START - 86400} {founder.tz}\n"
            f"committer {founder.name} <{founder.email}> {START - 86400} {founder.tz}\n"
            + data("Initial import of the monorepo\n")
        )
        self.changes([p for fl in self.files for p in fl] + DOCS + CI + ROOT, 0)
        self.main_tip, self.main_time = self.mark, START - 86400

    def event(self, j: int) -> None:
        """Event ``j``: its commit (planned, a new feature branch's first, or one on main),
        then the tags placed there."""
        t = self.times[j]
        action = self.plan.pop(j, None)
        if action is None and j < self.stop_short and self.rand() < 0.03:
            action = self.start_feature(j)
        if action is None:
            self.main_commit(j, t)
        elif action[0] == "feature":
            self.feature_commit(j, t, action[1])
        elif action[0] == "merge":
            self.merge(t, action[1])
        elif action[0] == "fix":
            self.fix(j, t)
        elif action[0] == "backport":
            self.backport(j, t, action[1])
        self.release_tags(j)
        if j in self.tags.odd_at:
            self.odd_tags(j)

    def place(self, j: int, action: Action) -> int:
        """Plan ``action`` at the first free event from ``j``; returns that event."""
        while j in self.plan:
            j += 1
        self.plan[j] = action
        return j

    # ---- main and the feature branches -------------------------------------------------

    def main_commit(self, j: int, t: int) -> None:
        """A commit straight on main: in a service (mostly), the docs, CI, or across them."""
        rng, rand, randint, choice = self.rng, self.rand, self.randint, self.choice
        devs, shared, counts = self.devs, self.shared, self.counts
        self.mark += 1
        r = rand()
        if r < 0.86:
            svc = rng.choices(range(N_SERVICES), COMMIT_WEIGHTS)[0]
            author = choice(devs[svc])
            paths = self.pick(svc, rng.choices([1, 2, 3], [55, 30, 15])[0])
            subject = self.subject_for(svc)
            counts["service"] += 1
        elif r < 0.92:
            author = choice(shared)
            paths = list(dict.fromkeys(choice(DOCS) for _ in range(randint(1, 2))))
            subject = self.subject_for(None, "docs")
            counts["docs"] += 1
        elif r < 0.95:
            author = choice(shared)
            paths = [choice(CI) if rand() < 0.8 else choice(ROOT)]
            subject = self.subject_for(None, "ci")
            counts["ci"] += 1
        elif r < 0.985:
            svc = rng.choices(range(N_SERVICES), COMMIT_WEIGHTS)[0]
            author = choice(devs[svc])
            paths = [*self.pick(svc, 1), choice(DOCS) if rand() < 0.6 else choice(CI)]
            subject = self.subject_for(svc)
            counts["cross"] += 1
        else:
            a, b = rng.sample(range(N_SERVICES), 2)
            author = choice(devs[a])
            paths = self.pick(a, 1) + self.pick(b, 1)
            subject = f"{SERVICES[a]}, {SERVICES[b]}: {choice(VERBS)} shared {choice(NOUNS)}"
            counts["two-services"] += 1
        if rand() < 0.03:
            subject = f'Revert "{subject}"'
        authored = t - randint(600, 5 * 86400) if rand() < 0.15 else t
        main = f"from :{self.main_tip}\n"
        self.commit("refs/heads/main", ident(author, authored), ident(author, t), subject + "\n", main)
        self.changes(paths, j + 1)
        self.main_tip, self.main_time = self.mark, t
        counts["main"] += 1

    def start_feature(self, j: int) -> Action:
        """Start a feature branch: this event is its first commit; its next commits and its
        merge are planned at later events."""
        rng, randint = self.rng, self.randint
        svc = rng.choices(range(N_SERVICES), COMMIT_WEIGHTS)[0]
        slot = self.free_slots.pop() if self.free_slots else self.n_slots
        if slot == self.n_slots:
            self.n_slots += 1
        self.pr_number += 1
        fid = j
        self.features[fid] = Feature(slot, svc, self.choice(self.devs[svc]), self.subject_for(svc), self.pr_number)
        length = rng.choices([1, 2, 3, 4, 6], [30, 30, 20, 12, 8])[0]
        at = j
        for _ in range(length - 1):
            at = self.place(at + randint(1, 30), ("feature", fid))
        long_lived = self.rand() < 0.05 and j < self.stop_long
        self.place(at + (randint(100, 1500) if long_lived else randint(3, 200)), ("merge", fid))
        return ("feature", fid)

    def feature_commit(self, j: int, t: int, fid: int) -> None:
        """The next commit on feature branch ``fid``."""
        f = self.features[fid]
        self.mark += 1
        paths = self.pick(f.service, self.rng.choices([1, 2, 3], [50, 35, 15])[0])
        subject = f.title if f.commits == 0 else self.subject_for(f.service)
        parent = f.tip or self.main_tip
        branch = f"refs/heads/wip/{f.slot}"
        self.commit(branch, ident(f.author, t), ident(f.author, t), subject + "\n", f"from :{parent}\n")
        for path in paths:
            content = f"{path} r{j + 1}\n"
            f.files[path] = content
            self.w(f"M 100644 inline {path}\n" + data(content))
        f.tip = self.mark
        f.commits += 1
        self.counts["feature"] += 1

    def merge(self, t: int, fid: int) -> None:
        """Feature branch ``fid`` merged into main as a pull request (its slot freed)."""
        f = self.features.pop(fid)
        self.mark += 1
        devs = self.devs[f.service]
        merger = self.choice([p for p in devs if p is not f.author] or devs)
        branch = f"{ascii_only(f.author.name.split()[0]).lower()}/{f.title.split(': ', 1)[1].lower().replace(' ', '-')}"
        message = f"Merge pull request #{f.pr} from example/{branch}\n\n{f.title}\n"
        parents = f"from :{self.main_tip}\nmerge :{f.tip}\n"
        self.commit("refs/heads/main", ident(merger, t), ident(GITHUB, t), message, parents)
        for path, content in f.files.items():
            self.w(f"M 100644 inline {path}\n" + data(content))
        self.main_tip, self.main_time = self.mark, t
        self.free_slots.append(f.slot)
        self.counts["merges"] += 1

    # ---- the maintenance branch and the tags -------------------------------------------

    def fix(self, j: int, t: int) -> None:
        """A fix on main that a backport will carry onto the maintenance branch."""
        assert self.tags.maint is not None
        ms = MAINT_SERVICE
        self.mark += 1
        author = self.choice(self.devs[ms])
        paths = self.pick(ms, 1)
        subject = f"{SERVICES[ms]}: Fix {self.choice(NOUNS)} regression"
        self.commit("refs/heads/main", ident(author, t), ident(author, t), subject + "\n", f"from :{self.main_tip}\n")
        self.changes(paths, j + 1)
        self.main_tip, self.main_time = self.mark, t
        self.fix_marks.append(self.mark)
        self.fix_changes.append((subject, paths, j + 1))
        self.counts["main"] += 1

    def backport(self, j: int, t: int, i: int) -> None:
        """Fix ``i`` cherry-picked onto the maintenance branch, then tagged."""
        maint = self.tags.maint
        assert maint is not None
        ms, randint = MAINT_SERVICE, self.randint
        subject, paths, rev = self.fix_changes[i]
        sha = self.out.ask(f"get-mark :{self.fix_marks[i]}")
        self.mark += 1
        author = self.choice(self.devs[ms])
        parent = self.maint_tip or self.release_marks[(ms, maint["base_release"])]
        message = f"{subject}\n\n(cherry picked from commit {sha})\n"
        authored = ident(author, self.times[j] - randint(3600, 86400))
        self.commit(f"refs/heads/{maint['branch']}", authored, ident(author, t), message, f"from :{parent}\n")
        self.changes(paths, rev)
        self.maint_tip = self.mark
        self.counts["maint"] += 1
        when = max(t + randint(1800, 4 * 3600), self.last_tag_time[ms] + 60)
        name = maint["backport_tags"][i]
        self.tag(
            name, f":{self.mark}", BOT, when, f"{name.split('/')[0]} {name.split('/')[1]}\n\nBackport: {subject}\n", ms
        )
        self.counts["backport_tags"] += 1

    def release_tags(self, j: int) -> None:
        """The release and -rc tags planned at event ``j``: at the tip of main."""
        rand, randint = self.rand, self.randint
        for kind, s, name, k in self.tags.events.pop(j, ()):
            when = max(self.main_time + randint(300, 6 * 3600), self.last_tag_time[s] + 60)
            svc, version = name.split("/", 1)
            if kind == "release":
                self.release_marks[(s, k)] = self.main_tip
                hotfix = version.split(".")[-1] != "0" and rand() < 0.05
                title = f"Hotfix release {svc} {version}" if hotfix else f"{svc} {version}"
                tagger = BOT if rand() < 0.8 else self.choice(self.devs[s])
                self.tag(name, f":{self.main_tip}", tagger, when, f"{title}\n\nRelease of {svc} {version}.\n", s)
                self.counts["release_tags"] += 1
            else:
                self.tag(name, f":{self.main_tip}", BOT, when, f"{svc} {version}\n\nRelease candidate.\n", s)
                self.counts["rc_tags"] += 1

    def odd_tags(self, j: int) -> None:
        """The tags that point at no commit: one at a service's tree, or two at a key's blob."""
        names = self.tags.odd_names
        when = self.main_time + 3600
        if self.tags.odd_at[j] == "tree":
            sub = f"services/{SERVICES[TREE_TAG_SERVICE]}"
            # (the LF ends the commit: inside one, `ls` would be read as part of it)
            answer = self.out.ask(f"\nls :{self.main_tip} {sub}")
            tree_sha = answer.split()[2]
            message = f"The {sub} tree as handed to the auditors\n"
            self.tag(names["tree"], tree_sha, self.choice(self.devs[TREE_TAG_SERVICE]), when, message)
            self.counts["odd_tags"] += 1
        else:
            self.mark += 1
            key = "-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBGJdAAABEAC7example\n-----END PGP PUBLIC KEY BLOCK-----\n"
            self.w(f"blob\nmark :{self.mark}\n" + data(key))
            self.tag(names["blob"], f":{self.mark}", BOT, when, "The key that signs svc04 releases\n")
            self.tag(names["blob2"], f":{self.mark}", BOT, when + 60, "The release signing key\n")
            self.counts["odd_tags"] += 2
