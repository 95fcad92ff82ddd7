"""The fixed vocabulary of the synthetic monorepo: its seed and dates, its services and how
busy each is, people's names and time zones, the words of commit subjects, and its files
outside the services (docs, CI, the root). Changing any of it changes every commit id.
"""

from __future__ import annotations

SEED = 20220103
START = 1641168000  # 2022-01-03 00:00:00 UTC, a Monday
DAYS = 3 * 365 + 1  # three years: up to 2025-01-02
N_SERVICES = 10
SERVICES = [f"svc{i:02d}" for i in range(N_SERVICES)]
# How busy each service is (share of the commits) and how often it releases.
COMMIT_WEIGHTS = [18, 14, 12, 11, 10, 9, 8, 7, 6, 5]
RELEASE_WEIGHTS = [14, 12, 11, 10, 10, 10, 9, 9, 8, 7]
MAINT_SERVICE = 3  # the service with a maintenance branch and backports
TREE_TAG_SERVICE = 1  # `svc01/v0.0.0-tree` points at a tree
BLOB_TAG_SERVICE = 4  # `svc04/v-signing-key` points at a blob

FIRST = [
    "Alice",
    "Bilal",
    "Chen",
    "Dana",
    "Emeka",
    "Fatima",
    "Gustav",
    "Hana",
    "Ivan",
    "José",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomoko",
    "Umar",
    "Valeria",
    "Wei",
    "Ximena",
    "Yusuf",
    "Zoë",
]
LAST = [
    "Andersen",
    "Bakker",
    "Costa",
    "Dubois",
    "Eriksson",
    "Fischer",
    "García",
    "Haddad",
    "Ito",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Ueda",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
]
TIMEZONES = ["+0000", "+0100", "+0100", "+0200", "-0500", "-0800", "+0530", "+0900", "-0300"]
VERBS = [
    "Fix",
    "Add",
    "Update",
    "Refactor",
    "Remove",
    "Improve",
    "Handle",
    "Simplify",
    "Rename",
    "Document",
    "Test",
    "Speed up",
    "Validate",
    "Log",
    "Retry",
]
NOUNS = [
    "timeout handling",
    "config loader",
    "retry policy",
    "health check",
    "cache key",
    "metrics labels",
    "error message",
    "pagination",
    "input validation",
    "rate limiter",
    "connection pool",
    "feature flag",
    "serializer",
    "auth middleware",
    "date parsing",
    "migration",
    "batch size",
    "logging",
    "dependency pins",
    "API schema",
]
PACKAGES = ["core", "handlers", "storage"]
DOCS = [
    f"docs/{name}.md"
    for name in [
        "index",
        "architecture",
        "onboarding",
        "runbook",
        "oncall",
        "release-process",
        "style-guide",
        "adr/0001-monorepo",
        "adr/0002-tags",
        "adr/0003-ci",
        "api/overview",
        "api/errors",
        "security",
        "glossary",
        "faq",
        "roadmap",
    ]
]
CI = [
    f"ci/{name}"
    for name in [
        "pipeline.yml",
        "lint.yml",
        "test.yml",
        "release.yml",
        "deploy.yml",
        "scripts/build.sh",
        "scripts/release.sh",
        "docker/base.Dockerfile",
    ]
]
ROOT = ["README.md", "Makefile", ".gitignore", "CODEOWNERS", "pyproject.toml"]
BOT = ("Release Bot", "release-bot@example.com")  # tags most releases and every backport
GITHUB = ("GitHub", "noreply@github.com")  # commits the merges of pull requests
