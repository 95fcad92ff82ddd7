"""`dora-tui init` on an organization's repositories: services, teams and modules from
catalog files, CODEOWNERS and tags; what could not be told; then `collect` and `report` run
on the config as written."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

from collectors.org.monorepo import PRERELEASE
from dora_tui import config as config_module
from dora_tui.cli import main

CHECKOUT = "kind: Component\nmetadata:\n  name: checkout\nspec:\n  owner: group:default/payments\n  system: shop\n"
GROUPS = """\
kind: Group
metadata: {name: payments}
spec: {type: team, profile: {displayName: Payments Team}}
---
kind: System
metadata: {name: shop}
spec: {owner: payments}
---
kind: Location
metadata: {name: services}
spec:
  targets: [./services/*/catalog-info.yaml]
"""
CODEOWNERS = "*  @acme/platform\n/services/cart/  @acme/carts\n*.md  @acme/docs\n"


def organization(make_repo) -> None:
    """Three repositories: a monorepo with catalogs, a Go-style one, and rails-like tags."""
    shop = make_repo("src/shop")
    shop.commit_files(
        "2024-01-02T09:00:00",
        {
            "catalog-info.yaml": GROUPS,
            "services/checkout/catalog-info.yaml": CHECKOUT,
            "services/cart/catalog-info.yaml": "kind: Component\nmetadata: {name: cart}\n",
            ".github/CODEOWNERS": CODEOWNERS,
        },
    )
    for day in (3, 10):
        shop.commit(f"2024-01-{day:02d}T09:00:00", path="services/checkout/main.py")
        shop.tag(f"services/checkout/v1.{day}.0", f"2024-01-{day:02d}T12:00:00")
    shop.tag("services/checkout/v1.11.0-rc.1", "2024-01-11T12:00:00")
    shop.commit("2024-01-12T09:00:00", path="services/cart/main.py")
    shop.tag("cart/v2.0.0", "2024-01-12T12:00:00")

    contrib = make_repo("src/contrib")
    contrib.commit_files("2024-01-02T09:00:00", {"instrumentation/net/http/otelhttp/go.mod": "module x\n"})
    contrib.tag("v1.25.0", "2024-01-02T12:00:00")
    contrib.commit("2024-01-05T09:00:00", path="instrumentation/net/http/otelhttp/h.go")
    contrib.tag("instrumentation/net/http/otelhttp/v0.50.0", "2024-01-05T12:00:00")
    contrib.tag("instrumentation/net/http/otelhttp/v0.51.0-rc.1", "2024-01-06T12:00:00")

    rails = make_repo("src/rails")
    for day, tag in ((4, "v7.1.0.beta1"), (8, "v7.1.0.rc1"), (15, "v7.1.0"), (16, "v7.0.8")):
        rails.commit(f"2024-01-{day:02d}T09:00:00")
        rails.tag(tag, f"2024-01-{day:02d}T12:00:00")


def test_init_names_services_teams_and_modules_then_collect_and_report_run(tmp_path: Path, make_repo, capsys) -> None:
    organization(make_repo)
    assert main(["init", "src"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Wrote dora.toml with 5 services: otelhttp, contrib, rails, cart, checkout."
    assert out[1] == "Could not be told (3); fill these in by hand:"
    assert out[2:5] == [
        f"  - service {name}: no owner in a catalog, and no CODEOWNERS file: "
        'add team = "TEAM" to its [[services]] entry (and the team under [[teams]])'
        for name in ("otelhttp", "contrib", "rails")
    ]
    assert out[5] == "Fill those in, then run `dora-tui collect`."
    cfg = config_module.load_file(tmp_path / "dora.toml")
    found = {s.name: (s.team, s.path, s.tag_pattern.text, s.exclude_pattern.text) for s in cfg.services}
    assert found == {
        "checkout": ("payments", "services/checkout", "services/checkout/v*", PRERELEASE),
        "cart": ("carts", "services/cart", "cart/v*", ""),
        "contrib": (None, "", "re:v[0-9][^/]*", ""),
        "otelhttp": (None, "instrumentation/net/http/otelhttp", "instrumentation/net/http/otelhttp/v*", PRERELEASE),
        "rails": (None, "", "v*", PRERELEASE),
    }
    assert [t.name for t in cfg.teams] == ["carts", "payments"]
    text = (tmp_path / "dora.toml").read_text()
    for source in (
        "# from shop/catalog-info.yaml document 1",
        "# display name: Payments Team",
        '# owner from .github/CODEOWNERS line 2 in shop\nname = "carts"',
        "# system shop: from shop/catalog-info.yaml document 2",
        "# from services/checkout/catalog-info.yaml document 1",
        'system = "shop"',
        'team = "payments" # owner from services/checkout/catalog-info.yaml document 1',
        'team = "carts" # owner from .github/CODEOWNERS line 2',
        "# module from tags",
        '# team = "TEAM"  # could not be told: no owner in a catalog, and no CODEOWNERS file',
    ):
        assert source in text, source
    assert main(["collect"]) == 0
    capsys.readouterr()
    assert main(["report", "--format", "csv", "--as-of", "2024-01-31", "--months", "1"]) == 0
    rows = {(r["kind"], r["name"]): r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    deployments = {name: row["deployments"] for (kind, name), row in rows.items() if kind == "service"}
    assert deployments == {"checkout": "2", "cart": "1", "contrib": "1", "otelhttp": "1", "rails": "2"}
    assert rows[("team", "payments")]["deployments"] == "2"


def test_what_could_not_be_told_names_the_file_and_document(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/shop")
    repo.commit_files(
        "2024-01-02T09:00:00",
        {
            "catalog-info.yaml": (
                "kind: Component\nmetadata: {name: shop}\nspec: {owner: user:jdoe}\n---\n"
                "kind: Location\nspec: {target: ../elsewhere/catalog-info.yaml}\n---\nkind: [broken\n"
            ),
            "web/catalog-info.yaml": (
                "kind: Component\nmetadata:\n  name: web\n  annotations:\n"
                "    backstage.io/source-location: dir:..\nspec: {owner: web}\n"
            ),
        },
    )
    assert main(["init", "src"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Wrote dora.toml with 1 service: shop."
    assert out[1] == "Could not be told (4); fill these in by hand:"
    assert out[2].startswith(
        "  - src/shop: catalog-info.yaml document 2: Location target '../elsewhere/catalog-info.yaml' is outside"
    )
    assert out[3].startswith("  - src/shop: catalog-info.yaml document 3: not valid YAML at line 9")
    assert out[4] == (
        "  - src/shop: the top folder is claimed by shop (catalog-info.yaml document 1) and web "
        "(web/catalog-info.yaml document 1): web left out (to keep it, add a [[services]] with "
        'name = "web", repo and its own path)'
    )
    assert out[5].startswith("  - service shop: its catalog owner 'user:jdoe' is a user, not a group")
    data = tomllib.loads((tmp_path / "dora.toml").read_text())
    assert data["services"] == [{"name": "shop", "repo": "src/shop", "tag_pattern": "v*"}]
    assert main(["collect"]) == 0


def test_names_from_a_catalog_are_written_inert(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/shop")
    hostile = 'evil\\n[[services]]\\nname = \\"x\\"\\u202e'  # YAML escapes: a line break, quotes, a bidi control
    repo.commit_files(
        "2024-01-02T09:00:00",
        {
            "catalog-info.yaml": (
                f'kind: Component\nmetadata: {{name: "{hostile}"}}\nspec: {{owner: "group:{hostile}"}}\n---\n'
                f'kind: Group\nmetadata: {{name: "{hostile}"}}\nspec: {{profile: {{displayName: "a\\n[b]"}}}}\n'
            )
        },
    )
    assert main(["init", "src"]) == 0
    text = (tmp_path / "dora.toml").read_text()
    assert "\u202e" not in text and "\n[b]" not in text and "# display name: a\\n[b]" in text
    data = tomllib.loads(text)
    name = 'evil\n[[services]]\nname = "x"\u202e'
    assert data["teams"] == [{"name": name}]
    assert [(s["name"], s["team"]) for s in data["services"]] == [(name, name)]
    assert main(["collect"]) == 0


def test_modules_are_named_by_as_much_of_their_folder_as_tells_them_apart(tmp_path: Path, make_repo, capsys) -> None:
    repo = make_repo("src/etcd")
    folders = ["api", "client/v3", "detectors/aws/ec2", "detectors/gcp/ec2", "server"]
    repo.commit_files("2024-01-02T09:00:00", {f"{f}/go.mod": "module x\n" for f in folders})
    repo.tag("v3.5.0", "2024-01-02T10:00:00")
    for folder in folders:
        repo.tag(f"{folder}/v3.5.0", "2024-01-02T10:00:00")
    assert main(["init", "src"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Wrote dora.toml with 6 services: api, client-v3, aws-ec2, gcp-ec2, server, etcd."
    cfg = config_module.load_file(tmp_path / "dora.toml")
    assert [(s.name, s.path, s.tag_pattern.text) for s in cfg.services][1:3] == [
        ("client-v3", "client/v3", "client/v3/v*"),
        ("aws-ec2", "detectors/aws/ec2", "detectors/aws/ec2/v*"),
    ]


def test_release_tags_of_no_service_found_are_said_not_passed_over(tmp_path: Path, make_repo, capsys) -> None:
    shop = make_repo("src/shop")
    shop.commit_files("2024-01-02T09:00:00", {"services/checkout/catalog-info.yaml": CHECKOUT})
    shop.tag("services/checkout/v0.1.0", "2024-01-02T10:00:00")
    for tag in ("v1.0.0", "v1.1.0"):  # the repository's own releases: no catalog names them
        shop.tag(tag, "2024-01-02T11:00:00")
    assert main(["init", "src"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Wrote dora.toml with 1 service: checkout."
    assert (
        "  - src/shop: 2 tags (v1.0.0, v1.1.0) are of no service found: if they are deployments, add a [[services]] "
        'with repo and tag_pattern = "re:v[0-9][^/]*"'  # not the modules' tags
    ) in out
