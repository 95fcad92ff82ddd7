"""`dora-tui init` on hostile or unusual organization records, as a review found them: YAML
nested too deeply, a descriptor too large, a module whose tag pattern would take a deeper
module's tags, CODEOWNERS rules GitHub applies to a folder, owner references spelled in
another case, and a folder name that is not UTF-8."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

from dora_tui import config as config_module
from dora_tui.cli import main

WHEN = "2024-01-02T09:00:00"


def init_lines(capsys) -> list[str]:
    """``dora-tui init src``'s output lines, once it exited 0."""
    assert main(["init", "src"]) == 0
    return capsys.readouterr().out.splitlines()


def deployments(capsys) -> dict[str, str]:
    """``collect`` then ``report`` for January 2024: each service's deployment count."""
    assert main(["collect"]) == 0
    capsys.readouterr()
    assert main(["report", "--format", "csv", "--as-of", "2024-01-31", "--months", "1"]) == 0
    rows = csv.DictReader(io.StringIO(capsys.readouterr().out))
    return {row["name"]: row["deployments"] for row in rows if row["kind"] == "service"}


def test_yaml_nested_too_deeply_is_said_like_any_invalid_document(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/shop")
    deep = "[" * 20_000 + "]" * 20_000
    repo.commit_files(
        WHEN,
        {
            "catalog-info.yaml": (
                "kind: Component\nmetadata: {name: shop}\n---\n"
                f"kind: Component\nmetadata: {{name: deep}}\nspec: {{deep: {deep}}}\n"
            )
        },
    )
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 1 service: shop."
    assert out[2] == (
        "  - src/shop: catalog-info.yaml document 2: not valid YAML (nested too deeply): "
        "it and the documents after it were not read"
    )
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop"]


def test_a_descriptor_over_the_size_limit_is_refused_with_its_size(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/shop")
    big = "kind: Component\nmetadata: {name: big}\n#" + "x" * (1 << 20) + "\n"
    repo.commit_files(
        WHEN,
        {"catalog-info.yaml": "kind: Component\nmetadata: {name: shop}\n", "big/catalog-info.yaml": big},
    )
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 1 service: shop."
    assert out[2] == (
        f"  - src/shop: big/catalog-info.yaml: {len(big):,} bytes, over the 1 MiB a catalog file may be: not read"
    )


def test_a_module_with_a_deeper_module_sharing_its_prefix_counts_only_its_own_tags(
    tmp_path: Path, make_repo, capsys
) -> None:
    repo = make_repo("src/etcd")
    repo.commit_files(WHEN, {"client/go.mod": "module c\n", "client/v3/go.mod": "module c3\n", "api/go.mod": "m\n"})
    for day, tag in ((3, "client/v2.1.0"), (4, "client/v3/v3.0.0"), (5, "client/v3/v3.1.0"), (6, "api/v0.1.0")):
        repo.commit(f"2024-01-{day:02d}T09:00:00")
        repo.tag(tag, f"2024-01-{day:02d}T12:00:00")
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 3 services: api, client, client-v3."
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert {s.name: s.tag_pattern.text for s in cfg.services} == {
        "api": "api/v*",  # no deeper module: a glob still
        "client": "re:client/v[0-9][^/]*",
        "client-v3": "client/v3/v*",
    }
    assert deployments(capsys) == {"api": "1", "client": "1", "client-v3": "2"}


def test_a_codeowners_star_rule_owns_the_files_of_its_folder_not_the_folders_in_it(
    tmp_path: Path, make_repo, capsys
) -> None:
    repo = make_repo("src/shop")
    repo.commit_files(
        WHEN,
        {
            "services/alpha/catalog-info.yaml": "kind: Component\nmetadata: {name: alpha}\n",
            "CODEOWNERS": "*  @org/default\nservices/*  @org/star-direct\n",
        },
    )
    init_lines(capsys)
    data = tomllib.loads((tmp_path / "dora.toml").read_text())
    assert [(s["name"], s["team"]) for s in data["services"]] == [("alpha", "default")]
    assert data["teams"] == [{"name": "default"}]


def component(name: str, owner: str) -> str:
    """A catalog-info.yaml of one Component and its owner."""
    return f"kind: Component\nmetadata: {{name: {name}}}\nspec: {{owner: {owner}}}\n"


def test_owner_references_in_another_case_are_one_team(tmp_path: Path, make_repo, capsys) -> None:
    shop = make_repo("src/shop")
    shop.commit_files(
        WHEN,
        {
            "checkout/catalog-info.yaml": component("checkout", "group:default/Payments"),
            "catalog-info.yaml": (
                "kind: Group\nmetadata: {name: payments}\nspec: {profile: {displayName: Payments Team}}\n---\n"
                "kind: Group\nmetadata: {name: PayMents}\n"
            ),
            "cart/catalog-info.yaml": component("cart", "PAYMENTS"),
        },
    )
    web = make_repo("src/web")
    web.commit_files(
        WHEN,
        {
            "a/catalog-info.yaml": component("storefront", "group:Web-Team"),
            "b/catalog-info.yaml": component("search", "web-team"),
        },
    )
    out = init_lines(capsys)
    assert out[2] == (
        "  - src/shop: catalog-info.yaml document 2: a Group 'PayMents' is the Group 'payments' of "
        "catalog-info.yaml document 1 again: not read"
    )
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [t.name for t in cfg.teams] == ["Web-Team", "payments"]  # the Group's spelling, else the first read
    assert {s.name: s.team for s in cfg.services} == {
        "checkout": "payments",
        "cart": "payments",
        "storefront": "Web-Team",
        "search": "Web-Team",
    }


def test_a_folder_name_that_is_not_utf8_is_said_and_skipped(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/shop")
    folder = tmp_path / "src/shop" / "caf\udce9"  # the bytes c a f 0xE9: Latin-1, not UTF-8
    folder.mkdir(parents=True)
    (folder / "catalog-info.yaml").write_text("kind: Component\nmetadata: {name: cafe}\n")
    repo.commit_files(
        WHEN,
        {
            "catalog-info.yaml": (
                "kind: Component\nmetadata: {name: shop}\n---\n"
                'kind: Component\nmetadata: {name: "odd\\udce9"}\n'  # a YAML escape of a lone surrogate
            )
        },
    )
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "a folder named in Latin-1", when=WHEN)
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 1 service: shop."
    assert out[2:4] == [
        "  - src/shop: caf\\xe9/catalog-info.yaml: the path is not valid UTF-8 "
        "(it cannot be written in the config): not read",
        "  - src/shop: catalog-info.yaml document 2: metadata.name 'odd\\udce9' is not valid Unicode "
        "(it cannot be written in the config): not read",
    ]
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop"]
    assert main(["collect"]) == 0
