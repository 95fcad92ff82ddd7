"""What the benchmarks share: running a whole process and timing it (with its memory peaks),
and saying what machine the figures were measured on.

``bench_collect.py``, ``bench_import.py``, ``bench_report.py`` and ``bench_dashboard.py``
import these (the first re-exports them, for scripts that import them from there).
"""

from __future__ import annotations

import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    """One whole-process run: wall clock, exit status, stderr, and its memory peaks (KiB)."""

    cmd: list[str]
    seconds: float
    code: int
    stderr: str
    peak_single_kb: int | None = None  # largest single process of its tree (wait4)
    peak_tree_kb: int | None = None  # largest sampled anonymous memory of its tree
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        """The command exited with status 0 in time."""
        return self.code == 0 and not self.timed_out

    @property
    def peak_mb(self) -> float | None:
        """The larger of the two memory peaks, in MB (None when neither was measured)."""
        peaks = [p for p in (self.peak_single_kb, self.peak_tree_kb) if p]
        return max(peaks) / 1024 if peaks else None


def _page_kb() -> int:
    """The size of a memory page, in KiB."""
    try:
        return os.sysconf("SC_PAGE_SIZE") // 1024
    except (ValueError, OSError, AttributeError):
        return 4


def _children(pid: int) -> list[int]:
    """Child pids of pid, from /proc/PID/task/*/children, else by scanning /proc."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    found_file = False
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found_file = True
                kids += [int(x) for x in f.read().split()]
        except OSError:
            pass
    if found_file:
        return kids
    for entry in os.listdir("/proc"):  # no CONFIG_PROC_CHILDREN: scan for the parent pid
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    stat = f.read()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    kids.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def anon_kb(pid: int, page_kb: int) -> int:
    """Private anonymous resident memory of pid (KiB): RssAnon, else resident - shared."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1])
        with open(f"/proc/{pid}/statm") as f:
            fields = f.read().split()
        return (int(fields[1]) - int(fields[2])) * page_kb
    except (OSError, ValueError, IndexError):
        return 0


def tree_anon_kb(pid: int, page_kb: int) -> int:
    """Anonymous memory of pid and all its descendants, summed (KiB). Shared libraries and
    mapped files (git's packs) are page cache, not counted: summing RSS would count them
    once per process."""
    total, stack, seen = 0, [pid], set()
    while stack:
        q = stack.pop()
        if q in seen or not Path(f"/proc/{q}").exists():
            continue
        seen.add(q)
        total += anon_kb(q, page_kb)
        stack += _children(q)
    return total


def run(
    cmd: list[str], *, cwd: Path = ROOT, timeout: float = 3600, sample: bool = False, env: dict[str, str] | None = None
) -> Run:
    """Run cmd as a whole process (stdout to /dev/null, stderr kept), timing it."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        try:
            proc = subprocess.Popen(
                cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, env=env
            )
        except OSError as exc:
            return Run(cmd, 0.0, 127, f"cannot start {cmd[0]}: {exc}")
        done = threading.Event()
        state = {"peak": 0, "timed_out": False}

        def watch() -> None:
            page_kb = _page_kb()
            use_proc = sample and Path(f"/proc/{proc.pid}").exists()
            while not done.wait(0.05 if use_proc else 0.5):
                if time.perf_counter() - t0 > timeout:
                    state["timed_out"] = True
                    proc.kill()
                    return
                if use_proc:
                    state["peak"] = max(state["peak"], tree_anon_kb(proc.pid, page_kb))

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        single = None
        if hasattr(os, "wait4"):
            # wait4 gives this child's own resource usage, including the children it waited
            # for: ru_maxrss is the largest single process of the collect's tree.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            single = usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)
        else:
            proc.wait()
        seconds = time.perf_counter() - t0
        done.set()
        watcher.join()
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    return Run(cmd, seconds, proc.returncode, stderr, single, state["peak"] or None, state["timed_out"])


def timed_runs(cmd: list[str], runs: int, warmup: bool = False, **kw) -> tuple[list[float], Run]:
    """The wall clocks of `runs` runs (stopping at the first failure) and the last run."""
    if warmup:
        first = run(cmd, **kw)
        if not first.ok:
            return [], first
    times: list[float] = []
    last = Run(cmd, 0.0, 0, "")
    for _ in range(runs):
        last = run(cmd, **kw)
        if not last.ok:
            break
        times.append(last.seconds)
    return times, last


def spread(times: list[float]) -> str:
    """Each run's seconds, as the benchmarks print them."""
    return ", ".join(f"{t:.3f}" for t in times)


def dora_command() -> list[str]:
    """The console script next to this interpreter, else `python -m dora_tui`."""
    for name in ("dora-tui", "dora-tui.exe"):
        script = Path(sys.executable).parent / name
        if script.exists():
            return [str(script)]
    return [sys.executable, "-m", "dora_tui"]


def compile_bytecode() -> str:
    """Compile dora-tui's modules to bytecode, as installing a package does; a line to print.

    With ``PYTHONDONTWRITEBYTECODE`` set (some sandboxes and CI images set it), an editable
    install never caches bytecode, and every measured command would compile each module it
    imports from source - a cost no installed dora-tui pays. Compiling
    once here, with this interpreter, makes the figures those of an installed dora-tui.
    """
    import compileall
    import importlib.util

    folders = []
    for package in ("dora_tui", "collectors"):
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            folders.extend(spec.submodule_search_locations)
    ok = all(compileall.compile_dir(folder, quiet=2) for folder in folders)
    where = ", ".join(folders) or "nothing found"
    return f"bytecode: {'compiled' if ok and folders else 'NOT compiled'} ({where})"


def load_average() -> str:
    """The machine's load average as printed by the benchmarks ("unknown" where there is none)."""
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except (OSError, AttributeError):
        return "unknown"


def banner(role: str, dora: list[str]) -> str:
    """Compile the bytecode, print what the run is measured on; returns "load average ..."."""
    load = f"load average {load_average()}"
    print(compile_bytecode())
    print(
        f"\n{date.today().isoformat()}  {machine()}\nPython {platform.python_version()}, {load}\n"
        f"{role}: {shlex.join(dora)}\n",
        flush=True,
    )
    return load


_SPIN = "n = 0\nfor i in range(8_000_000):\n    n += i\n"


def second_core(rounds: int = 3) -> str:
    """How much of a second core the machine gives now, in words: the time of a fixed pure-Python
    task run in two processes at once over its time run alone, each of ``rounds`` times (x1.0:
    two whole cores; x2.0: one core shared). On a shared virtual machine it moves from minute to
    minute, and a benchmark of work spread over two processes moves with it: print it beside."""
    ratios = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", _SPIN], check=True)
        alone = time.perf_counter() - start
        start = time.perf_counter()
        pair = [subprocess.Popen([sys.executable, "-c", _SPIN]) for _ in range(2)]
        for proc in pair:
            proc.wait()
        ratios.append((time.perf_counter() - start) / alone)
    took = ", ".join(f"x{r:.2f}" for r in ratios)
    return f"two processes at once took {took} the time of one (x1.00: two whole cores)"


def creation_cost(folder: Path, count: int = 300) -> str:
    """What creating a file costs in a new folder made in ``folder`` (as a site's staging folder is
    made beside its OUT), in words. On this kind of virtual machine's ext4 it has been seen at
    0.02 ms in one folder and 0.9 ms in another of the same file system (system time: a new inode
    in a crowded block group), which a command writing hundreds of files pays in full."""
    scratch = Path(tempfile.mkdtemp(prefix=".creation-", dir=folder))
    try:
        start = time.perf_counter()
        for i in range(count):
            (scratch / f"f{i}").touch()
        took = time.perf_counter() - start
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return f"creating a file in a new folder in {folder}: {took / count * 1000:.2f} ms (mean of {count})"


def machine() -> str:
    """The system, the number of CPUs and the CPU's model name."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, {cpu}"


def git_version() -> str:
    """What ``git --version`` says."""
    try:
        return subprocess.run(["git", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "git (unknown version)"


def remove_paths(paths: list[Path]) -> None:
    """Delete each path, file or folder, if it is there."""
    for p in paths:
        if p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def database_files(db: Path) -> list[Path]:
    """A SQLite database and the files SQLite may keep beside it."""
    return [db] + [db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal")]


def explain_failure(label: str, r: Run) -> str:
    """What failed, how, and the last lines of its stderr."""
    why = "timed out" if r.timed_out else f"exit status {r.code}"
    tail = "\n".join(r.stderr.rstrip().splitlines()[-40:]) or "(nothing on stderr)"
    return (
        f"\n{label} FAILED ({why} after {r.seconds:.2f} s)\n  command: {shlex.join(r.cmd)}\n"
        + "  stderr:\n"
        + "\n".join("    " + line for line in tail.splitlines())
    )
