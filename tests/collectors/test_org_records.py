"""The organization's records read from real repositories: Backstage catalog files, CODEOWNERS
rules, and monorepo modules and pre-releases from tag names."""

from __future__ import annotations

from collectors.org import codeowners
from collectors.org.backstage import read_catalog
from collectors.org.monorepo import PRERELEASE, find_modules, guess_tag_pattern, is_prerelease, module_pattern
from collectors.org.tree import committed_files, folders_of, read_committed

CHECKOUT = "kind: Component\nmetadata: {name: checkout}\nspec: {owner: payments}"
ROOT_CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: storefront
spec:
  owner: group:default/web
  system: shop
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments
spec:
  type: team
  profile:
    displayName: Payments Team
---
kind: System
metadata:
  name: shop
spec:
  owner: web
---
kind: Location
metadata:
  name: more
spec:
  targets:
    - ./services/*/catalog-info.yaml
    - ./catalog/extra.yaml
    - ../outside/catalog-info.yaml
    - https://example.com/catalog-info.yaml
"""


def test_a_catalog_of_several_documents_a_location_and_owners_in_each_spelling(make_repo) -> None:
    repo = make_repo("shop")
    repo.commit_files(
        "2024-01-01T09:00:00",
        {
            "catalog-info.yaml": ROOT_CATALOG,
            "services/checkout/catalog-info.yaml": CHECKOUT,
            "services/cart/catalog-info.yaml": "kind: Component\nmetadata: {name: cart}\nspec: {owner: default/carts}",
            "catalog/extra.yaml": (
                "kind: Component\nmetadata:\n  name: search\n  annotations:\n"
                "    backstage.io/source-location: dir:../services/search\nspec:\n  owner: user:default/jdoe\n"
                "---\nkind: Component\nmetadata: {name: ledger}\nspec: {owner: 'group:ledgers'}\n"
                "---\nkind: Component\nmetadata: {name: [unclosed\n"
            ),
            "services/search/main.go": "package main\n",
        },
    )
    files = committed_files(repo.path)
    catalog = read_catalog(files, lambda names: read_committed(repo.path, names), "shop")
    components = {c.name: (c.path, c.owner and (c.owner.kind, c.owner.name), c.system) for c in catalog.components}
    assert components == {
        "storefront": ("", ("group", "web"), "shop"),
        "checkout": ("services/checkout", ("group", "payments"), ""),
        "cart": ("services/cart", ("group", "carts"), ""),
        "search": ("services/search", ("user", "jdoe"), ""),
        "ledger": ("catalog", ("group", "ledgers"), ""),
    }
    assert [(g.name, g.display_name) for g in catalog.groups] == [("payments", "Payments Team")]
    assert [(s.name, s.owner and s.owner.name) for s in catalog.systems] == [("shop", "web")]
    problems = [str(p) for p in catalog.problems]
    assert "catalog-info.yaml document 4: Location target '../outside/catalog-info.yaml' is outside" in problems[0]
    assert "'https://example.com/catalog-info.yaml' is a URL: not read (offline)" in problems[1]
    assert problems[2].startswith("catalog/extra.yaml document 3: not valid YAML at line ")
    assert len(problems) == 3


def test_codeowners_last_matching_rule_wins_with_comments_and_an_escaped_hash(make_repo) -> None:
    text = (
        "# platform owns everything by default\n"
        "*                    @acme/platform @ada\n"
        "/services/           @acme/services   # inline comment\n"
        "services/cart/       @acme/carts\n"
        "*.md                 @acme/docs\n"
        "docs/**              @acme/docs\n"
        "/services/legacy/\n"
        "\\#notes              @acme/notes\n"
        "payments             @solo\n"
    )
    owners = codeowners.parse("CODEOWNERS", text)
    assert owners.rules[-2].pattern == "#notes"

    def owner(folder: str) -> tuple[int, str | None] | None:
        rule = codeowners.owner_rule(owners, folder)
        return None if rule is None else (rule.line, codeowners.team_of(rule))

    assert owner("") == (2, "platform")
    assert owner("services/checkout") == (3, "services")
    assert owner("services/cart") == (4, "carts")
    assert owner("services/cart/api") == (4, "carts")
    assert owner("docs/guide") == (6, "docs")
    assert owner("services/legacy") == (7, None)  # a rule with no owner
    assert owner("lib/payments") == (9, None)  # a person, not a team
    repo_files = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]
    assert codeowners.pick(repo_files) == ".github/CODEOWNERS"
    assert codeowners.pick(repo_files[1:]) == "CODEOWNERS"


def test_a_go_style_monorepo_gives_a_module_per_tagged_folder(make_repo) -> None:
    repo = make_repo("contrib")
    folders = [
        "instrumentation/net/http/otelhttp",
        "instrumentation/github.com/aws/aws-sdk-go-v2/otelaws",
        "services/checkout",
        "a/tools",
        "b/tools",
    ]
    repo.commit_files("2024-01-01T09:00:00", {f"{f}/go.mod": "module x\n" for f in folders})
    tags = [
        "v1.25.0",
        "v1.26.0-rc.1",
        "instrumentation/net/http/otelhttp/v0.50.0",
        "instrumentation/net/http/otelhttp/v0.51.0-rc.1",
        "instrumentation/github.com/aws/aws-sdk-go-v2/otelaws/v0.50.0",
        "checkout/v1.2.0",
        "tools/v1.0.0",
        "release/2024",
    ]
    modules, rest, ambiguous = find_modules(tags, folders_of(committed_files(repo.path)))
    assert [(m.path, module_pattern(m), m.tags, m.prereleases) for m in modules] == [
        (
            "instrumentation/github.com/aws/aws-sdk-go-v2/otelaws",
            "instrumentation/github.com/aws/aws-sdk-go-v2/otelaws/v*",
            1,
            0,
        ),
        ("instrumentation/net/http/otelhttp", "instrumentation/net/http/otelhttp/v*", 2, 1),
        ("services/checkout", "checkout/v*", 1, 0),
    ]
    assert sorted(rest) == ["release/2024", "tools/v1.0.0", "v1.25.0", "v1.26.0-rc.1"]
    assert ambiguous == ["tools"]
    assert guess_tag_pattern(rest, monorepo=True) == (r"re:v[0-9][^/]*", PRERELEASE)


def test_pre_releases_in_every_common_spelling_and_releases_that_are_not() -> None:
    pre = ["v1.2.3-rc.1", "v1.0.0-beta.2", "v1.0.0-alpha", "v2.0.0-pre", "v1.0.0-dev", "1.0.0-0.3.7"]
    pre += ["v7.1.0.rc1", "v7.1.0.beta1", "v7.0.0.alpha", "2.0rc1", "v1.0.0.RC1", "svc/v1.2.0-SNAPSHOT"]
    pre += ["v1.0.0a1", "v1.0.0b2", "v3.1-rc-2", "v2.0.0_dev3"]
    # a rework word in the series' name, before its version, is no hotfix of the release
    pre += ["rollback-controller-1.1.0-rc1", "hotfix-tool-1.2.0-rc.1", "svc/revert-bot-v2.0.0-beta.1"]
    pre += ["k8s-rollback-1.0.0-rc1", "s3-revert-1.0.0-rc.1", "ipv6-hotfix-2.0.0-beta1"]  # a digit in the name
    pre += ["python3.11-rollback-1.0.0-rc1", "ubuntu-22.04-revert-tool-1.0.0-rc1"]  # a version in the name
    assert [t for t in pre if not is_prerelease(t)] == []
    releases = ["v1.2.3", "v1.2.3+build.5", "release-2024-01-15", "release-7", "v7.1.0", "svc-2/v1.0.0"]
    releases += ["v2-devops", "v20240115-predeploy", "v3-canaryislands", "v1.4-prepaid"]
    releases += ["v1.1.0-hotfix.1", "v1.2.3-rc.1-rollback", "rollback-controller-1.2.0", "hotfix-tool-1.2.0-hotfix"]
    releases += ["v10-rc1-hotfix", "v2rc1-hotfix", "2024.01.15-hotfix-2"]  # the word after the last version
    assert [t for t in releases if is_prerelease(t)] == []
    assert guess_tag_pattern(["v7.1.0", "v7.1.0.rc1", "v7.0.8"]) == ("v*", PRERELEASE)


def test_a_module_pattern_stays_a_glob_unless_a_deeper_module_shares_its_prefix(make_repo) -> None:
    repo = make_repo("etcd")
    folders = ["client/v3", "client/vendor", "server/vendor", "api/v2"]
    repo.commit_files("2024-01-01T09:00:00", {f"{f}/go.mod": "module x\n" for f in folders})
    tags = ["client/v2.1.0", "server/v3.5.0", "api/v0.1.0", "server/vendor/v1.0.0"]
    modules, _, _ = find_modules(tags, folders_of(committed_files(repo.path)))
    assert {m.path: module_pattern(m) for m in modules} == {
        "api": "re:api/v[0-9][^/]*",  # a folder api/v2 whose tags api/v* would match, though none yet
        "client": "re:client/v[0-9][^/]*",  # client/v3 likewise
        "server": "re:server/v[0-9][^/]*",  # the deeper module server/vendor has a tag
        "server/vendor": "server/vendor/v*",
    }
    modules, _, _ = find_modules(["client/v2.1.0"], {"client", "client/vendor", "client/docs"})
    assert [module_pattern(m) for m in modules] == ["client/v*"]  # client/vendor has no version's name


def test_codeowners_patterns_own_a_folder_as_github_documents() -> None:
    cases = {  # pattern: (folders it owns, folders it does not)
        "*": (["", "docs", "a/b/c"], []),
        "docs/*": (["docs"], ["docs/build-app", "x/docs", ""]),  # files directly in docs/, nothing nested
        "/*": ([""], ["lib", "lib/a"]),
        "/build/logs/": (["build/logs", "build/logs/deep"], ["build", "x/build/logs"]),
        "apps/": (["apps", "x/apps", "x/apps/y"], ["apps2", ""]),
        "/docs/": (["docs", "docs/a"], ["x/docs"]),
        "**/logs": (["logs", "build/logs", "deeply/nested/logs"], ["logs2"]),
        "docs/guide": (["docs/guide", "docs/guide/a"], ["x/docs/guide", "docs"]),  # a slash inside: anchored
        "logs": (["logs", "x/logs/y"], ["logs2"]),  # no slash: at any depth
        "services/*/": (["services/a", "services/a/b"], ["services"]),
        "/": ([], ["", "a"]),
    }
    wrong = []
    for pattern, (owned, not_owned) in cases.items():
        owners = codeowners.parse("CODEOWNERS", f"{pattern} @acme/team\n")
        for folder in owned + not_owned:
            if (codeowners.owner_rule(owners, folder) is not None) != (folder in owned):
                wrong.append((pattern, folder))
    assert wrong == []
    text = "*  @org/default\nservices/*  @org/star-direct\n/apps/ @a/apps\n/apps/github\n"
    owners = codeowners.parse("CODEOWNERS", text)

    def owner(folder: str) -> tuple[int, str | None] | None:
        rule = codeowners.owner_rule(owners, folder)
        return None if rule is None else (rule.line, codeowners.team_of(rule))

    assert owner("services/alpha") == (1, "default")
    assert owner("services") == (2, "star-direct")
    assert owner("apps/github") == (4, None)  # a rule with no owner: no one
    assert owner("apps/web") == (3, "apps")
