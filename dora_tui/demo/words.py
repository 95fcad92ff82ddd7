"""The words the demo's people write: commit messages, ticket summaries and their parts.

Static data only (no randomness, no I/O), like :mod:`dora_tui.demo.cast`, which holds the
people, teams and services. :mod:`dora_tui.demo.service` fills commit messages from these
lists (``{a}`` is one of a service's areas), :mod:`dora_tui.demo.tickets` fills Jira
summaries, :mod:`dora_tui.demo.git` picks a comment marker per language and
:mod:`dora_tui.demo.exports` spells Jira's month names.
"""

from __future__ import annotations

#: Monorepo chores: (message, repo path); they touch neither service's folder.
MONOREPO_CHORES = (
    ("Update the on-call runbook", "docs/runbook.md"),
    ("Add ADR for event sourcing in the ledger", "docs/adr/0007-event-sourcing.md"),
    ("Cache Gradle in CI", ".github/workflows/ci.yml"),
    ("Bump actions/checkout from 3 to 4", ".github/workflows/ci.yml"),
    ("Document local setup on Apple silicon", "docs/local-setup.md"),
    ("Move the shared Money type to libs/money", "libs/money/Money.kt"),
    ("Tidy up the Makefile targets", "Makefile"),
    ("Run detekt on pull requests", ".github/workflows/ci.yml"),
    ("Fix Money.toString for negative amounts", "libs/money/Money.kt"),
    ("Update CODEOWNERS for the billing folder", ".github/CODEOWNERS"),
)

#: Commit message parts: "Fix {bug} in {area}", "Add {feature} to {area}",
#: "Handle {edge} in {area}", "{verb} {area}" (Jira summaries use them too).
BUGS = (
    "an off-by-one error",
    "a race condition",
    "a time zone bug",
    "null handling",
    "a rounding error",
    "a memory leak",
    "a flaky retry",
    "a misleading error message",
    "a missing index",
    "a stale cache entry",
)
FEATURES = (
    "retries",
    "metrics",
    "structured logging",
    "a feature flag",
    "input validation",
    "caching",
    "tracing",
    "pagination",
    "an audit log",
    "a circuit breaker",
)
VERBS = (
    "Refactor",
    "Simplify",
    "Tidy up",
    "Speed up",
    "Document",
    "Add tests for",
    "Clean up logging in",
    "Improve error messages in",
    "Remove dead code from",
)
EDGES = (
    "empty baskets",
    "timeouts",
    "duplicate requests",
    "expired sessions",
    "unicode names",
    "daylight saving changes",
    "zero amounts",
    "slow upstream responses",
)
#: Chore commits (``{a}``: the area).
CHORES = (
    "Move {a} settings to environment variables",
    "Log request ids in {a}",
    "Add a dashboard panel for {a}",
    "Add an alert for {a} errors",
    "Rename helpers in {a}",
    "Split {a} into smaller functions",
    "Make {a} timeouts configurable",
    "Add an integration test for {a}",
    "Remove the old {a} feature flag",
    "Add a runbook link to {a} alerts",
    "Stop logging personal data in {a}",
    "Warm up {a} caches on start",
)
#: Per language: the dependencies a bump commit updates, the file that lists them, and
#: (per file extension) the comment marker a commit writes its line after.
DEPENDENCIES = {
    "py": ("requests", "pydantic", "sqlalchemy", "boto3", "structlog"),
    "ts": ("react", "next", "typescript", "eslint", "@testing-library/react"),
    "go": ("golang.org/x/net", "github.com/stretchr/testify", "google.golang.org/grpc"),
    "kt": (
        "io.ktor:ktor-server-core",
        "org.jetbrains.kotlinx:kotlinx-coroutines-core",
        "com.fasterxml.jackson.core:jackson-databind",
        "org.flywaydb:flyway-core",
    ),
}
DEPENDENCY_FILE = {"py": "requirements.txt", "ts": "package.json", "go": "go.mod", "kt": "build.gradle.kts"}
COMMENT = {"py": "#", "ts": "//", "go": "//", "kt": "//", "md": "-", "": "#"}

#: Jira ticket wording: planned and unplanned summaries, and the labels of planned work.
PLANNED = (
    "Add {feat} to {a}",
    "{verb} {a}",
    "Spike: replace {a}",
    "Make {a} configurable",
    "Track {a} in the dashboard",
    "Split {a} into smaller modules",
)
UNPLANNED = (
    "{a}: 500 errors for some customers",
    "{a}: slow at peak traffic",
    "{a}: wrong totals shown",
    "{a} fails for {edge}",
    "Customer reports broken {a}",
    "{a}: alerts firing every night",
)
PLANNED_LABELS = (
    "backend",
    "frontend",
    "tech-debt",
    "performance",
    "accessibility",
    "security",
    "q3-goal",
    "discovery",
)
#: Month names as Jira's CSV export writes dates ("07/Dec/26 9:30 AM").
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
