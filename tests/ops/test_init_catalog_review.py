"""`dora-tui init` on catalog files as a review found them: impossible dates and values the
YAML reader cannot build, source locations in another repository or on GitLab and Bitbucket,
system references in every spelling, a folder whose name holds a line break, and
descriptors in vendored or hidden folders."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dora_tui import config as config_module
from dora_tui.cli import main

WHEN = "2024-01-02T09:00:00"


def init_lines(capsys, *args: str) -> list[str]:
    """``dora-tui init src`` (or ``init ARGS``)'s output lines, once it exited 0."""
    assert main(["init", *(args or ("src",))]) == 0
    return capsys.readouterr().out.splitlines()


def services(tmp_path: Path) -> dict[str, dict[str, object]]:
    """The ``[[services]]`` written, by name, as the TOML reads them (repo left out)."""
    data = tomllib.loads((tmp_path / "dora.toml").read_text(encoding="utf-8"))
    return {s["name"]: {k: v for k, v in s.items() if k not in ("name", "repo")} for s in data["services"]}


REVIEWED = """\
kind: Component
metadata:
  name: shop
  annotations:
    example.com/last-review: 2024-02-30
    example.com/next-review: 2024-13-45
    example.com/reviewed-at: 2024-01-01 25:00:00
    example.com/created: 2024-01-01
  tags: [2024-02-30]
spec: {owner: group:payments, lifecycle: production}
"""


def test_an_impossible_date_in_a_catalog_file_is_text_not_a_crash(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit_files(WHEN, {"catalog-info.yaml": REVIEWED})
    out = init_lines(capsys)
    assert out == ["Wrote dora.toml with 1 service: shop.", "Check it, then run `dora-tui collect`."]
    assert services(tmp_path) == {"shop": {"team": "payments", "tag_pattern": "v*"}}


def test_an_impossible_date_does_not_stop_init_update(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/shop").commit_files(WHEN, {"catalog-info.yaml": "kind: Component\nmetadata: {name: shop}\n"})
    init_lines(capsys)
    make_repo("src/cart").commit_files(WHEN, {"catalog-info.yaml": REVIEWED.replace("name: shop", "name: cart")})
    assert main(["init", "--update", "src"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Updated dora.toml: 1 service added (cart); 1 team added (payments)."
    assert [s.name for s in config_module.load_file(tmp_path / "dora.toml").services] == ["shop", "cart"]


def test_a_value_the_yaml_reader_cannot_build_is_said_like_any_invalid_document(
    tmp_path: Path, make_repo, capsys
) -> None:
    huge = "9" * 5000  # Python reads at most 4300 digits into an int
    make_repo("src/shop").commit_files(
        WHEN,
        {
            "catalog-info.yaml": (
                "kind: Component\nmetadata: {name: shop}\n---\n"
                f"kind: Component\nmetadata: {{name: big}}\nspec:\n  replicas: {huge}\n---\n"
                "kind: Component\nmetadata: {name: after}\n"
            ),
            "a/catalog-info.yaml": "kind: Component\nmetadata: {name: a}\nspec: {flag: !!bool maybe}\n",
            "b/catalog-info.yaml": "kind: Component\nmetadata: {name: b}\nspec: {at: !!timestamp 2024-02-30}\n",
        },
    )
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 2 services: b, shop."
    assert out[1] == "Could not be told (4); fill these in by hand:"  # two documents, and two services with no owner
    assert out[2:4] == [
        "  - src/shop: a/catalog-info.yaml document 1: not valid YAML at line 3 (!!bool 'maybe' cannot be read): "
        "it and the documents after it were not read",
        "  - src/shop: catalog-info.yaml document 2: not valid YAML at line 7 (!!int '99999999999999999999...' "
        "cannot be read: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits; "
        "use sys.set_int_max_str_digits() to increase the limit): it and the documents after it were not read",
    ]
    assert services(tmp_path)["b"] == {"path": "b", "tag_pattern": "v*"}


def test_yaml_1_1_booleans_are_names_as_backstage_reads_them(tmp_path: Path, make_repo, capsys) -> None:
    # `name: on` and `owner: yes` read as booleans (YAML 1.1): the component was "without
    # metadata.name", the owner dropped; Backstage reads YAML 1.2, where they are text
    make_repo("src/shop").commit_files(
        WHEN, {"catalog-info.yaml": "kind: Component\nmetadata: {name: on}\nspec: {owner: yes, live: true}\n"}
    )
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 1 service: on."
    assert services(tmp_path) == {"on": {"team": "yes", "tag_pattern": "v*"}}


def test_merge_keys_that_copy_too_many_keys_are_said_like_any_invalid_document(
    tmp_path: Path, make_repo, capsys
) -> None:
    # a 150 KB file whose merge keys copy 3,000 keys 6,000 times took init 32 s
    base = "{" + ", ".join(f"k{i}: {i}" for i in range(3000)) + "}"
    merges = "".join(f"  e{i}: {{<<: *b}}\n" for i in range(6000))
    bomb = f"kind: Component\nmetadata: {{name: bomb}}\nspec:\n  base: &b {base}\n{merges}"
    make_repo("src/shop").commit_files(
        WHEN,
        {
            "catalog-info.yaml": "kind: Component\nmetadata: {name: shop}\nspec: {owner: web, x: {<<: {a: 1}}}\n",
            "bomb/catalog-info.yaml": bomb,
        },
    )
    out = init_lines(capsys)
    assert out[0] == "Wrote dora.toml with 1 service: shop."
    assert any(
        "bomb/catalog-info.yaml document 1: not valid YAML" in line and "merge keys (<<) copy over 100,000 keys" in line
        for line in out
    ), out


SHOP_API = """\
kind: Component
metadata:
  name: shop-api
  annotations:
    backstage.io/source-location: url:https://github.com/acme/shopsrc/tree/main/
spec: {owner: group:payments, type: service}
"""


def test_a_source_location_in_another_repository_is_said_with_the_component(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/catalog").commit_files(
        WHEN,
        {
            "catalog-info.yaml": "kind: Location\nmetadata: {name: root}\nspec: {targets: [./components/*.yaml]}\n",
            "components/shopapi.yaml": SHOP_API,
        },
    )
    source = make_repo("src/shopsrc")
    source.commit_files(WHEN, {"CODEOWNERS": "* @acme/payments\n"})
    source.tag("v1.0.0", WHEN)
    out = init_lines(capsys)
    assert out[:3] == [
        "Wrote dora.toml with 2 services: shop-api, shopsrc.",
        "Could not be told (1); fill these in by hand:",
        "  - src/catalog: components/shopapi.yaml document 1: backstage.io/source-location "
        "'url:https://github.com/acme/shopsrc/tree/main/' is in another repository, shopsrc: component shop-api "
        "is written as a service of this repository, in components (its descriptor's folder); if its code and "
        "tags are in shopsrc, set its repo (and path) to that repository's folder",
    ]
    assert services(tmp_path)["shop-api"] == {"team": "payments", "path": "components", "tag_pattern": "v*"}


def located(name: str, source: str) -> str:
    """A Component with a source location, owned by group ``a``."""
    return (
        f"kind: Component\nmetadata:\n  name: {name}\n  annotations:\n"
        f"    backstage.io/source-location: {source}\nspec: {{owner: group:a}}\n"
    )


def test_gitlab_bitbucket_and_azure_source_locations_name_their_folders(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/glrepo")
    repo.commit_files(
        WHEN,
        {
            "catalog-info.yaml": "---\n".join(
                [
                    located("gl-svc", "url:https://gitlab.com/acme/glrepo/-/tree/main/svc"),
                    located("gh-web", "url:https://github.com/acme/glrepo/tree/main/web/"),
                    located("bb-api", "url:https://bitbucket.org/acme/glrepo/src/main/api/"),
                    located(
                        "gl-ops", "url:https://git.example.com/acme/platform/GLRepo/-/blob/v1/ops/m.go?ref_type=tags"
                    ),
                    located("az-infra", "url:https://dev.azure.com/acme/shop/_git/glrepo?path=/infra%20as%20code"),
                ]
            ),
            "db/catalog-info.yaml": located("bbs-db", "url:https://bb.example.com/projects/A/repos/glrepo/browse/db"),
            "ftp/catalog-info.yaml": located("ftp", "url:ftp://example.com/glrepo/tree/main/ftp"),
            "bare/catalog-info.yaml": located("bare", "https://github.com/acme/glrepo/tree/main/web"),
            **{f"{folder}/f": "x\n" for folder in ("svc", "web", "api", "ops", "infra as code")},
            "ops/m.go": "package m\n",
        },
    )
    out = init_lines(capsys)
    taken = "is written as a service of this repository, in {} (its descriptor's folder)"
    unknown = (
        "is not a URL init reads (GitHub's /tree/REF/PATH, GitLab's /-/tree/REF/PATH, Bitbucket's /src/REF/PATH, "
        "Azure's /_git/REPO?path=PATH)"
    )
    assert out[1:5] == [
        "Could not be told (3); fill these in by hand:",
        "  - src/glrepo: bare/catalog-info.yaml document 1: backstage.io/source-location "
        f"'https://github.com/acme/glrepo/tree/main/web' is not a url: or dir: location: component bare {taken}".format(
            "bare"
        ),
        "  - src/glrepo: db/catalog-info.yaml document 1: backstage.io/source-location "
        f"'url:https://bb.example.com/projects/A/repos/glrepo/browse/db' {unknown}: component bbs-db {taken}".format(
            "db"
        ),
        "  - src/glrepo: ftp/catalog-info.yaml document 1: backstage.io/source-location "
        f"'url:ftp://example.com/glrepo/tree/main/ftp' {unknown}: component ftp {taken}".format("ftp"),
    ]
    assert {name: s.get("path") for name, s in services(tmp_path).items()} == {
        "gl-svc": "svc",
        "gh-web": "web",
        "bb-api": "api",
        "gl-ops": "ops",
        "az-infra": "infra as code",
        "bare": "bare",
        "bbs-db": "db",
        "ftp": "ftp",
    }


def in_system(name: str, system: str) -> str:
    """A Component in ``name``'s folder, owned by group ``t``, of ``system``."""
    return (
        f"kind: Component\nmetadata: {{name: {name}, annotations: {{backstage.io/source-location: 'dir:./{name}'}}}}\n"
        f"spec: {{owner: group:t, system: '{system}'}}\n"
    )


def test_system_references_in_every_spelling_are_one_system(tmp_path: Path, make_repo, capsys) -> None:
    make_repo("src/sys").commit_files(
        WHEN,
        {
            "catalog-info.yaml": "---\n".join(
                [
                    "kind: System\nmetadata: {name: commerce}\nspec: {owner: group:t}\n",
                    in_system("a", "system:commerce"),
                    in_system("b", "default/commerce"),
                    in_system("c", "System:default/Commerce"),
                    in_system("f", "Billing"),
                    in_system("g", "system:default/billing"),
                ]
            ),
            **{f"{name}/f": "x\n" for name in "abcfg"},
        },
    )
    make_repo("src/web").commit_files(
        WHEN,
        {
            "catalog-info.yaml": "kind: System\nmetadata: {name: COMMERCE}\n---\n" + in_system("d", "COMMERCE"),
            "d/f": "x\n",
        },
    )
    out = init_lines(capsys)
    assert out == ["Wrote dora.toml with 6 services: a, b, c, f, g, d.", "Check it, then run `dora-tui collect`."]
    text = (tmp_path / "dora.toml").read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line.startswith("# system")] == [
        "# system commerce: from sys/catalog-info.yaml document 1"
    ]
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert {s.name: s.system for s in cfg.services} == {
        "a": "commerce",
        "b": "commerce",
        "c": "commerce",
        "d": "commerce",
        "f": "Billing",
        "g": "Billing",
    }


def test_a_catalog_file_in_a_folder_named_with_a_line_break_is_said(tmp_path: Path, make_repo, capsys) -> None:
    component = "kind: Component\nmetadata: {{name: {}}}\nspec: {{owner: group:t}}\n"
    make_repo("src/shop").commit_files(
        WHEN,
        {
            "a\nb/catalog-info.yaml": component.format("broken"),
            "c\rd/catalog-info.yaml": component.format("returned"),
            "sp ace/catalog-info.yaml": component.format("spaced"),
            "catalog-info.yaml": (
                "kind: Location\nmetadata: {name: all}\nspec: {targets: ['./*/catalog-info.yaml']}\n---\n"
                'kind: Component\nmetadata: {name: pointed, annotations: {backstage.io/source-location: "dir:a\\nb"}}\n'
                "spec: {owner: group:t}\n"
            ),
        },
    )
    out = init_lines(capsys)
    why = "the path holds a line break, which git's batch reads (init's and collect's) cannot take: not read"
    assert out == [
        "Wrote dora.toml with 2 services: pointed, spaced.",
        "Could not be told (3); fill these in by hand:",
        f"  - src/shop: a\\nb/catalog-info.yaml: {why}",
        f"  - src/shop: c\\rd/catalog-info.yaml: {why}",
        "  - src/shop: catalog-info.yaml document 2: backstage.io/source-location 'dir:a\\nb' names a folder whose "
        "name holds a line break: component pointed is written as a service of this repository, in the top folder "
        "(its descriptor's folder)",
        "Fill those in, then run `dora-tui collect`.",
    ]
    assert services(tmp_path) == {
        "pointed": {"team": "t", "tag_pattern": "v*"},
        "spaced": {"team": "t", "path": "sp ace", "tag_pattern": "v*"},
    }


def test_vendored_descriptors_are_left_out_and_a_hidden_folder_describes_its_parent(
    tmp_path: Path, make_repo, capsys
) -> None:
    component = "kind: Component\nmetadata: {{name: {}}}\nspec: {{owner: group:t}}\n"
    repo = make_repo("src/g")
    repo.commit_files(
        WHEN,
        {
            "vendor/github.com/acme/lib/catalog-info.yaml": component.format("acme-lib"),
            "web/node_modules/left-pad/catalog-info.yaml": component.format("left-pad"),
            "third_party/zlib/catalog-info.yaml": component.format("zlib"),
            "third_party/brotli/catalog-info.yaml": component.format("brotli"),
            "services/vendor/catalog-info.yaml": component.format("vendor-portal"),  # a service named vendor
            ".backstage/catalog-info.yaml": (
                component.format("g")
                + "---\nkind: Location\nmetadata: {name: deps}\nspec: {target: ../third_party/zlib/catalog-info.yaml}\n"
            ),
            "api/.github/catalog-info.yaml": component.format("api"),
            "api/main.go": "package main\n",
        },
    )
    repo.tag("v1.0.0", WHEN)
    out = init_lines(capsys)
    assert out == [
        "Wrote dora.toml with 4 services: g, api, vendor-portal, zlib.",
        "Could not be told (1); fill these in by hand:",
        "  - src/g: 3 catalog files in vendored folders (vendor/, node_modules/, third_party/) are a dependency's, "
        "not read: third_party/brotli/catalog-info.yaml, vendor/github.com/acme/lib/catalog-info.yaml, "
        "web/node_modules/left-pad/catalog-info.yaml (to read one, target it from a Location)",
        "Fill those in, then run `dora-tui collect`.",
    ]
    assert {name: s.get("path", "") for name, s in services(tmp_path).items()} == {
        "g": "",  # .backstage/ describes the repository's top folder
        "api": "api",
        "vendor-portal": "services/vendor",
        "zlib": "third_party/zlib",  # a Location's target is read wherever it is
    }


def test_a_clone_named_otherwise_than_its_repository_knows_its_source_locations(
    tmp_path: Path, make_repo, capsys
) -> None:
    # a clone in a folder named shop-main, its origin acme/shop: the catalog's URLs name shop
    repo = make_repo("src/shop-main")
    repo.commit_files(
        WHEN,
        {
            "catalog-info.yaml": located("cart", "url:https://github.com/acme/shop/tree/main/services/cart/"),
            "services/cart/main.go": "package main\n",
        },
    )
    repo.tag("v1.0.0", WHEN)
    repo.git("remote", "add", "origin", "git@github.com:acme/shop.git")
    out = init_lines(capsys)
    assert not any("another repository" in line for line in out), out
    assert services(tmp_path)["cart"]["path"] == "services/cart"
