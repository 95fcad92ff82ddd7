"""The site's writer: what it may replace, what it carries over, where and with which permissions it writes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dora_tui.errors import UsageError
from dora_tui.ops.site.writer import check_out, write_site

FILES = [("index.html", b"<p>index</p>"), ("services/a.html", b"<p>a</p>"), ("rows/services/a.html", b"<p>rows</p>")]


def tree(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``: a file's bytes, a link's target, a folder as ``/``."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[key] = f"-> {os.readlink(path)}"
        elif path.is_dir():
            found[key] = "/"
        elif not path.is_file():
            found[key] = "(special)"
        else:
            found[key] = path.read_bytes()
    return found


def written(out: Path, **kw: bool) -> Path:
    write_site(out, FILES, **kw)  # type: ignore[arg-type]
    return out


def refused(out: Path) -> str:
    with pytest.raises(UsageError) as caught:
        write_site(out, FILES)
    return str(caught.value)


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (lambda out: (out / "drafts").mkdir(), "'drafts/'"),  # an empty folder
        (lambda out: (out / "notes").mkdir() or (out / "notes" / "a.md").write_text("mine"), "'notes/'"),
        (lambda out: (out / "services" / "mine").mkdir(), "'services/mine/'"),
        (lambda out: (out / "latest").symlink_to(out / "services"), "'latest'"),  # a link to a folder
        (lambda out: (out / "services" / "b.html").symlink_to(out / "index.html"), "'services/b.html'"),
        (lambda out: os.mkfifo(out / "pipe"), "'pipe'"),
    ],
)
def test_any_entry_the_site_did_not_write_is_refused_and_kept(tmp_path: Path, make: object, named: str) -> None:
    out = written(tmp_path / "site")
    make(out)  # type: ignore[operator]
    before = tree(out)
    line = refused(out)
    assert named in line and "--force" in line
    assert tree(out) == before


def test_an_entry_added_while_the_site_is_written_is_kept(tmp_path: Path) -> None:
    out = written(tmp_path / "site")

    def files() -> Iterator[tuple[str, bytes]]:
        yield FILES[0]
        (out / "late.md").write_text("mine")  # someone's editor, while the pages render
        yield from FILES[1:]

    with pytest.raises(UsageError, match=r"'late\.md'"):
        write_site(out, files())
    assert (out / "late.md").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_walk_stops_at_the_first_few_foreign_entries(tmp_path: Path) -> None:
    out = written(tmp_path / "site")
    for i in range(50):
        (out / f"extra{i:02d}").mkdir()
    assert "'extra00/' and more" in refused(out)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder: an unreadable one cannot be made")
def test_an_unreadable_folder_is_foreign(tmp_path: Path) -> None:
    out = written(tmp_path / "site")
    (out / "private").mkdir()
    (out / "private").chmod(0)
    try:
        assert "'private/'" in refused(out)
    finally:
        (out / "private").chmod(0o700)


@pytest.mark.parametrize("force", [False, True])
def test_what_belongs_to_where_the_site_is_published_is_carried_over(tmp_path: Path, force: bool) -> None:
    out = written(tmp_path / "site")
    subprocess.run(["git", "init", "-q", str(out)], check=True)
    (out / "CNAME").write_text("dora.example.org\n")
    (out / ".nojekyll").write_text("")
    (out / ".well-known").mkdir()
    (out / ".well-known" / "security.txt").write_text("Contact: mailto:a@example.org\n")
    kept = {k: v for k, v in tree(out).items() if k.split("/")[0] in (".git", "CNAME", ".nojekyll", ".well-known")}
    written(out, force=force)
    after = tree(out)
    assert {k: after[k] for k in kept} == kept
    assert after["index.html"] == b"<p>index</p>"


def test_a_fresh_checkout_is_a_folder_the_site_may_fill(tmp_path: Path) -> None:
    out = tmp_path / "portal"
    subprocess.run(["git", "init", "-q", str(out)], check=True)
    (out / "CNAME").write_text("dora.example.org\n")
    written(out)
    assert (out / "index.html").is_file() and (out / ".git" / "HEAD").is_file()


def test_a_link_to_a_folder_is_followed_and_stays(tmp_path: Path) -> None:
    real = written(tmp_path / "real")
    link = tmp_path / "link"
    link.symlink_to(real)
    (real / "index.html").write_bytes(b"old")
    written(link)
    written(link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "index.html").read_bytes() == b"<p>index</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]  # nothing left beside them


def test_the_root_of_the_file_system_is_refused_at_once() -> None:
    start = time.monotonic()
    with pytest.raises(UsageError, match="root of the file system"):
        check_out(Path("/"), force=True)
    assert time.monotonic() - start < 1


def test_a_folder_holding_what_the_work_needs_is_refused_even_forced(tmp_path: Path) -> None:
    (tmp_path / "ws" / "repos" / "shop").mkdir(parents=True)
    (tmp_path / "ws" / "dora.toml").write_text("")
    protected = [("the config file", tmp_path / "ws" / "dora.toml"), ("a repository", tmp_path / "ws/repos/shop")]
    for out in (tmp_path, tmp_path / "ws", tmp_path / "ws" / "repos", tmp_path / "ws" / "repos" / "shop"):
        with pytest.raises(UsageError, match="even with --force") as caught:
            write_site(out, FILES, force=True, protected=protected)
        assert "the config file" in str(caught.value) or "a repository" in str(caught.value)
        assert (tmp_path / "ws" / "dora.toml").is_file() and (tmp_path / "ws/repos/shop").is_dir()
    (tmp_path / "linked").symlink_to(tmp_path / "ws")
    with pytest.raises(UsageError, match="the config file"):  # compared on resolved paths
        write_site(tmp_path / "linked", FILES, force=True, protected=protected)
    written(tmp_path / "ws" / "site", force=True)  # beside them is fine


def test_a_replaced_site_keeps_its_permissions_and_group(tmp_path: Path) -> None:
    out = written(tmp_path / "site")
    out.chmod(0o2750)
    group = 4321 if os.geteuid() == 0 else next((g for g in os.getgroups() if g != out.stat().st_gid), None)
    if group is not None:
        os.chown(out, -1, group)
    written(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o2750
    if group is not None:
        assert out.stat().st_gid == group


def test_a_new_site_is_made_as_the_umask_says(tmp_path: Path) -> None:
    script = "import sys; from pathlib import Path; from dora_tui.ops.site.writer import write_site; "
    script += "write_site(Path(sys.argv[1]), [('index.html', b'x')])"
    umask = 'umask 027 && exec "$0" -c "$1" "$2"'
    subprocess.run(["sh", "-c", umask, sys.executable, script, str(tmp_path / "site")], check=True)
    assert stat.S_IMODE((tmp_path / "site").stat().st_mode) == 0o750


def test_a_failure_while_carrying_over_puts_everything_back(tmp_path: Path) -> None:
    out = written(tmp_path / "site")
    subprocess.run(["git", "init", "-q", str(out)], check=True)
    (out / "CNAME").write_text("dora.example.org\n")
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("an entry that cannot be moved needs chattr +i, as root")
    if subprocess.run(["chattr", "+i", str(out / "CNAME")]).returncode != 0:
        pytest.skip("this file system has no immutable files")
    try:
        before = tree(out)
        with pytest.raises(UsageError, match="cannot write the site"):  # .git is moved, then CNAME cannot be
            write_site(out, [("index.html", b"new")])
        assert tree(out) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    finally:
        subprocess.run(["chattr", "-i", str(out / "CNAME")], check=True)


def test_a_bare_repository_or_a_folder_in_it_is_never_out(tmp_path: Path) -> None:
    mirror = tmp_path / "mirror.git"
    subprocess.run(["git", "init", "-q", "--bare", str(mirror)], check=True)
    for out in (mirror, mirror / "refs" / "site", mirror / "site"):
        with pytest.raises(UsageError, match="the git folder of a repository; the site never writes there"):
            check_out(out, force=True)
    assert (mirror / "HEAD").is_file() and not (mirror / "site").exists()
    check_out(tmp_path / "site", force=True)  # beside it: fine


@pytest.mark.skipif(not os.path.ismount("/proc"), reason="needs a mount point other than /")
def test_a_mount_point_is_never_out_it_cannot_be_renamed() -> None:
    # a Docker volume given as OUT failed after all the work: "Device or resource busy" (a review's finding)
    with pytest.raises(UsageError, match="is a mount point, and the site replaces OUT whole by renaming folders"):
        check_out(Path("/proc"), force=True)
