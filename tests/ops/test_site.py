"""The static site: every page there, links that resolve, nothing from elsewhere, untrusted text inert."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from dora_tui.cli import main
from support.gitbuilder import GitBuilder
from support.site import (
    DEMO_DAY,
    HOSTILE_SERVICE,
    HOSTILE_SUBJECT,
    HOSTILE_SYSTEM,
    HOSTILE_TEAM,
    LONG_SERVICE,
    RTL_SERVICE,
    demo_site,
    hostile_workspace,
    read_page,
    write_site,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_site(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    return write_site(hostile_workspace(root), root / "site")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def check_links(site: Path) -> None:
    """Every link of every page resolves inside the site, fragments included; ids are unique."""
    ids = {}
    pages = {p: read_page(p) for p in html_files(site)}
    for path, page in pages.items():
        assert len(page.ids) == len(set(page.ids)), f"{path}: duplicate ids"
        ids[path.resolve()] = set(page.ids)
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{path}: {link} leaves the folder"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
            assert target.is_relative_to(site.resolve()), f"{path}: {link} leaves the folder"
            assert target.is_file(), f"{path}: {link} does not resolve"
            if parts.fragment:
                assert parts.fragment in ids.get(target, set()), f"{path}: {link}: no such id"


def collected_site(tmp_path: Path, config_text: str) -> Path:
    """The site (``tmp_path/site``, as of :data:`DEMO_DAY`) of the workspace ``tmp_path`` whose
    ``dora.toml`` is ``config_text``, once collected."""
    config = tmp_path / "dora.toml"
    config.write_text(config_text, encoding="utf-8")
    assert main(["collect", "--config", str(config)]) == 0
    out = tmp_path / "site"
    assert main(["site", str(out), "--as-of", DEMO_DAY.isoformat(), "--config", str(config)]) == 0
    return out


def test_the_demo_site_has_every_page_and_its_links_resolve(site: Path) -> None:
    for name in ("index.html", "definitions.html", "report.json", "static/site.css", "static/site.js"):
        assert (site / name).is_file(), name
    assert (site / "services" / "checkout.html").is_file()
    assert (site / "teams" / "payments.html").is_file()
    assert (site / "rows" / "services" / "checkout.html").is_file()
    assert (site / "rows" / "teams" / "payments.html").is_file()
    assert sorted(p.name for p in site.iterdir() if p.is_dir()) == ["rows", "services", "static", "teams"]
    assert all(p.is_file() for p in (site / "services").iterdir())  # no folder per service
    check_links(site)


def test_a_site_written_in_one_process_is_the_same(site: Path, tmp_path: Path) -> None:
    # A second process renders half the pages where a fork is safe; with another thread running
    # it is not, and one process writes the whole site: the same files, byte for byte.
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        alone = write_site(site.parent / "demo" / "dora.toml", tmp_path / "site")
    finally:
        release.set()
        other.join()
    assert files_of(alone) == files_of(site)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_recent_deployment_leads_to_its_row_and_its_changes(site: Path) -> None:
    page = (site / "services" / "checkout.html").read_text(encoding="utf-8")
    target = re.search(r'href="\.\./(rows/services/checkout\.html)#(d-[^"]+)"', page)
    assert target, "no recent deployment links to its row"
    month = (site / target[1]).read_text(encoding="utf-8")
    row = re.search(rf'<tr id="{target[2]}">.*?</tr>', month)
    assert row and re.search(r'<a href="#(c-[^"]+)">(\d+)</a>', row[0]), "the row links to its changes"
    group = re.search(r'<a href="#(c-[^"]+)">(\d+)</a>', row[0])
    assert group is not None
    body = re.search(rf'<tbody id="{group[1]}">(.*?)</tbody>', month, re.S)
    assert body and body[1].count("<tr>") == int(group[2])  # every change it carried, each with its lead time


def test_the_rows_pages_hold_the_trend_s_months_and_the_month_in_progress_newest_first(site: Path) -> None:
    text = (site / "rows" / "services" / "checkout.html").read_text(encoding="utf-8")
    months = re.findall(r'<h2 id="(\d{4}-\d{2})">', text)
    assert months == ["2026-11", "2026-10", "2026-09", "2026-08", "2026-07", "2026-06", "2026-05"]


def test_nothing_is_fetched_from_elsewhere(site: Path) -> None:
    for path in [*html_files(site), site / "static" / "site.css", site / "static" / "site.js"]:
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, path
        assert "@import" not in text and "url(" not in text, path


def test_report_json_is_the_report_command_s_document(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = site.parent / "demo" / "dora.toml"
    capsys.readouterr()
    assert main(["report", "--format", "json", "--as-of", DEMO_DAY.isoformat(), "--config", str(config)]) == 0
    assert (site / "report.json").read_text(encoding="utf-8") == capsys.readouterr().out


def test_a_service_page_shows_its_figures_as_the_report_has_them(site: Path) -> None:
    doc = json.loads((site / "report.json").read_text(encoding="utf-8"))
    checkout = next(e for e in doc["entities"] if e["name"] == "checkout")
    page = read_page(site / "services" / "checkout.html")
    text = " ".join(page.text)
    assert f"{checkout['window']['deployments']}" in text
    assert "Deployment frequency" in text and "Unplanned work" in text
    assert "(in progress)" in text  # 2026-11 is the month in progress on 2026-11-22
    assert page.tags.count("svg") == 6
    index = " ".join(read_page(site / "index.html").text)
    assert str(checkout["window"]["deployments"]) not in re.findall(r"\d+", index)  # trends only on the index


def test_untrusted_text_is_escaped(hostile: Path) -> None:
    check_links(hostile)
    pages = html_files(hostile)
    seen_subject = False
    for path in pages:
        raw = path.read_text(encoding="utf-8")
        page = read_page(path)
        assert page.tags.count("script") == 1, path  # only the site's own script
        assert "img" not in page.tags and "i" not in page.tags and "b" not in page.tags, path
        assert "\u202e" not in raw, path  # the override is shown as an escape
        assert not any(name.startswith("on") for name in page.attributes), path
        seen_subject = seen_subject or "<img src=x onerror=alert(1)> fix \\u202e" in " ".join(page.text)
    assert seen_subject
    index = " ".join(read_page(hostile / "index.html").text)
    for name in (HOSTILE_SERVICE, HOSTILE_TEAM, LONG_SERVICE, "API", "api"):
        assert name in index
    assert RTL_SERVICE.replace("\u202e", "\\u202e") in index
    api = " ".join(read_page(hostile / "services" / "api.html").text)
    assert "Part of system " + HOSTILE_SYSTEM.replace("\u202e", "\\u202e") in api  # its literal text
    assert HOSTILE_SUBJECT  # written into the hostile repository's commits and tag messages


def test_file_names_are_safe_and_never_clash(hostile: Path) -> None:
    names = [p.relative_to(hostile).as_posix() for p in hostile.rglob("*") if p.is_file()]
    assert all(re.fullmatch(r"[a-z0-9._/-]+", n) for n in names), names
    assert len({n.casefold() for n in names}) == len(names)
    assert (hostile / "services" / "api.html").is_file()  # a plain name is its own slug
    assert all(len(part) <= 80 for n in names for part in n.split("/"))


def test_a_month_page_lists_the_rows_the_report_counts(site: Path) -> None:
    doc = json.loads((site / "report.json").read_text(encoding="utf-8"))
    for name in ("checkout", "billing", "notifications"):
        entity = next(e for e in doc["entities"] if e["kind"] == "service" and e["name"] == name)
        checked = 0
        text = (site / "rows" / "services" / f"{name}.html").read_text(encoding="utf-8")
        for month in entity["months"][-7:]:
            key = month["month"]
            found = re.findall(rf'<h3 id="{key}-(\w+)">[^<(]*\((\d+)\)</h3>', text)
            listed = {kind: int(n) for kind, n in found}
            assert listed == {
                "deployments": month["deployments"],
                "changes": month["changes"],
                "incidents": month["incidents_resolved"],
                "tickets": month["tickets_resolved"],
            }, (name, month["month"])
            checked += 1
        assert checked == 7


def test_a_name_ending_in_html_beside_its_plain_twin_gets_its_own_pages(tmp_path: Path) -> None:
    repo = GitBuilder(tmp_path / "shop")
    repo.commit("2026-09-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-09-02T10:00:00")
    services = "".join(f'[[services]]\nname = "{name}"\nteam = "t"\nrepo = "shop"\n\n' for name in ("x", "x.html"))
    out = collected_site(tmp_path, f'database = "dora.db"\n\n[[teams]]\nname = "t"\n\n{services}')
    pages = sorted(p.name for p in (out / "services").glob("*.html"))
    assert len(pages) == 2 and "x.html" in pages and [p for p in pages if p.startswith("x-html--")]
    check_links(out)


def test_months_before_the_first_deployment_are_gaps_and_a_month_without_one_after_is_a_zero(tmp_path: Path) -> None:
    repo = GitBuilder(tmp_path / "late")
    repo.commit("2026-08-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-08-10T10:00:00")
    repo.commit("2026-09-20T10:00:00", "a change")
    repo.tag("v1.1.0", "2026-10-05T10:00:00")
    out = collected_site(
        tmp_path,
        'database = "dora.db"\n\n[[teams]]\nname = "t"\n\n[[services]]\nname = "late"\nteam = "t"\nrepo = "late"\n',
    )
    page = (out / "services" / "late.html").read_text(encoding="utf-8")
    chart = re.search(r'<section class="card" aria-labelledby="deployment_frequency">.*?</section>', page, re.S)
    assert chart and "Deployment frequency by month, 2025-12 to 2026-11; 8 months without data" in chart[0]
    first_column = dict(
        re.findall(r'<tr><th scope="row">(?:<a [^>]*>)?(\d{4}-\d{2})(?:</a>)?[^<]*</th><td>([^<]*)</td>', page)
    )
    assert [first_column[m] for m in ("2026-07", "2026-08", "2026-09", "2026-10")] == ["–", "1", "0", "1"]
    doc = json.loads((out / "report.json").read_text(encoding="utf-8"))
    months = {m["month"]: m["deployments"] for m in doc["entities"][0]["months"]}
    assert months["2026-07"] == 0  # the report counts 0, as it says: the chart shows the history had not begun


PAGERDUTY = (
    "id,incident_number,description,service_id,service_name,escalation_policy_id,escalation_policy_name,"
    "created_on,resolved_on,seconds_to_first_ack,seconds_to_resolve,urgency,change\n"
)


def test_two_imports_with_one_incident_id_keep_each_incident_its_own_row_and_deployment(tmp_path: Path) -> None:
    repo = GitBuilder(tmp_path / "shop")
    shas = [repo.commit(f"2026-06-{day}T09:00:00", f"c{day}") for day in ("01", "10", "20")]
    (tmp_path / "deploys.csv").write_text(
        "service,name,time,sha,message\n"
        f"shop,d1,2026-06-02T10:00:00Z,{shas[0]},\nshop,d2,2026-08-03T10:00:00Z,{shas[1]},\n"
        f"shop,d3,2026-11-09T10:00:00Z,{shas[2]},\n",
        encoding="utf-8",
    )
    (tmp_path / "pd-us.csv").write_text(
        PAGERDUTY + "INC-1,1,us outage,S,shop,E,M,2026-06-02T11:00:00Z,2026-06-02T12:00:00Z,,,high,\n"
        "EARLY,2,names a later deploy,S,shop,E,M,2026-10-28T10:00:00Z,2026-11-10T12:00:00Z,,,high,d3\n",
        encoding="utf-8",
    )
    (tmp_path / "pd-eu.csv").write_text(
        PAGERDUTY + "INC-1,1,eu outage,S,shop,E,M,2026-08-03T11:00:00Z,2026-08-03T12:00:00Z,,,high,\n",
        encoding="utf-8",
    )
    imports = "".join(
        f'[[imports]]\nkind = "incidents"\nfile = "pd-{r}.csv"\nformat = "pagerduty"\nname = "pagerduty-{r}"\n'
        'reference_column = "change"\n\n'
        for r in ("us", "eu")
    )
    config = tmp_path / "dora.toml"
    config.write_text(
        'database = "dora.db"\ntimezone = "UTC"\n\n'
        '[[services]]\nname = "shop"\nrepo = "shop"\ndeployments = "imports"\n\n'
        '[[imports]]\nkind = "deployments"\nfile = "deploys.csv"\nformat = "deployments"\n\n' + imports,
        encoding="utf-8",
    )
    assert main(["import", "--all", "--config", str(config)]) == 0
    assert main(["collect", "--config", str(config)]) == 0
    for months in ("12", "1"):  # with one month, EARLY (opened in October) is on no incidents page
        out = tmp_path / f"site-{months}"
        argv = ["site", str(out), "--as-of", DEMO_DAY.isoformat(), "--months", months, "--config", str(config)]
        assert main(argv) == 0
        check_links(out)  # ids unique, every "failed by" link leads to its incident's row
    page = (tmp_path / "site-12" / "rows" / "services" / "shop.html").read_text(encoding="utf-8")
    incidents = page[page.index('<section aria-labelledby="incidents">') :]
    failed = dict(
        re.findall(r'<td class="text">(\w+ outage)</td>.*?<td class="name"><a [^>]*>(d\d)</a></td></tr>', incidents)
    )
    assert failed == {"us outage": "d1", "eu outage": "d2"}
    june = re.search(r'<section aria-labelledby="2026-06">.*?</section>', page, re.S)
    assert june
    link = re.search(r'failed by <a href="\.\./\.\./rows/services/shop\.html#([^"]+)">INC-1</a>', june[0])
    assert link and re.search(rf'<tr id="{link[1]}">.*?us outage', incidents)


def test_a_change_committed_after_its_deployment_shows_when_it_was_committed(tmp_path: Path) -> None:
    repo = GitBuilder(tmp_path / "skew")
    repo.commit("2026-09-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-09-02T10:00:00")
    repo.commit("2026-10-10T12:30:00", "committed by a clock a week ahead")
    repo.tag("v1.1.0", "2026-10-03T10:00:00")
    out = collected_site(
        tmp_path, 'database = "dora.db"\ntimezone = "UTC"\n\n[[services]]\nname = "skew"\nrepo = "skew"\n'
    )
    october = (out / "rows" / "services" / "skew.html").read_text(encoding="utf-8")
    assert '0 min <span class="flag bad">clock skew: committed <time>2026-10-10 12:30</time></span>' in october


def test_a_team_without_services_says_so_on_its_rows_page(tmp_path: Path) -> None:
    repo = GitBuilder(tmp_path / "shop")
    repo.commit("2026-09-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-09-02T10:00:00")
    out = collected_site(
        tmp_path, 'database = "dora.db"\n\n[[teams]]\nname = "ghost"\n\n[[services]]\nname = "shop"\nrepo = "shop"\n'
    )
    text = (out / "rows" / "teams" / "ghost.html").read_text(encoding="utf-8")
    assert text.count("<p>No services.</p>") == 4 * 7 and "<tbody>\n</tbody>" not in text


def test_one_month_and_one_change_are_said_in_the_singular(tmp_path: Path) -> None:
    # with months = 1 every page said "1 months to ...", and a month of one change "1 changes"
    repo = GitBuilder(tmp_path / "shop")
    repo.commit("2026-10-01T10:00:00", "initial")
    repo.tag("v1.0.0", "2026-10-02T10:00:00")
    repo.commit("2026-11-20T10:00:00", "the one change")
    repo.tag("v1.1.0", "2026-11-21T10:00:00")
    service = '[[services]]\nname = "shop"\nteam = "t"\nrepo = "shop"\n'
    out = collected_site(tmp_path, f'database = "dora.db"\nmonths = 1\n\n[[teams]]\nname = "t"\n\n{service}')
    page = (out / "services" / "shop.html").read_text()
    assert "1 month to " in page and "1 months" not in page
    assert "1 change<" in page or "1 change " in page, re.findall(r"\d+ changes?", page)
    assert "1 changes" not in page


def test_a_team_s_rows_page_links_its_services_rows_without_setting_their_counts_side_by_side(site: Path) -> None:
    # one team or one service a page, never two side by side: a table of its services' counts
    # a month (checkout 3, storefront-web 2) is a league table inside the team
    text = (site / "rows" / "teams" / "storefront.html").read_text(encoding="utf-8")
    assert not re.search(r'<th scope="row"><a href="[^"]*rows/services/', text)  # a row of counts a service
    months = re.findall(r'<section aria-labelledby="(\d{4}-\d\d)">(.*?)</section>', text, re.S)
    assert months
    for key, section in months:
        for kind in ("deployments", "changes", "incidents", "tickets"):
            links = re.findall(rf'<a href="\.\./\.\./(rows/services/[^"#]+)#{key}-{kind}">([^<]+)</a>', section)
            assert [name for _, name in links] == ["checkout", "storefront-web"], (key, kind)
