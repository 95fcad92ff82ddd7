"""The demo's cast: people, teams (each with the profile it plays), projects and services.

Static data only (no randomness, no I/O). :mod:`dora_tui.demo.story` draws from it with a
seeded ``random.Random``; the words these people write are in :mod:`dora_tui.demo.words`.
The shop is "Larkspur", a fictional online retailer; every e-mail address is under the
reserved ``.example`` domain.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DOMAIN = "larkspur.example"


@dataclass(frozen=True)
class Person:
    """Someone (or some bot) who writes commits, tags, tickets or answers pages."""

    name: str
    email: str


def person(name: str) -> Person:
    """A Larkspur employee called ``name``, with a first.last e-mail address."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(part.replace("'", "") for part in ascii_name.lower().split())
    return Person(name, f"{local}@{DOMAIN}")


RELEASE_BOT = Person("Larkspur Release Bot", f"release-bot@{DOMAIN}")
GITHUB = Person("GitHub", "noreply@github.com")
DEPENDABOT = Person("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
SUPPORT = person("Fiona Customer-Care")

#: team -> (profile, members). Profiles: "improving", "sliding", "steady".
TEAMS: dict[str, tuple[str, tuple[Person, ...]]] = {
    "storefront": (
        "improving",
        tuple(person(n) for n in ("Priya Shah", "Tomasz Nowak", "Zoë Adeyemi", "Liam O'Brien", "Mei Chen")),
    ),
    "payments": ("sliding", tuple(person(n) for n in ("Hannah Okafor", "Jonas Berg", "Ravi Patel", "Chloé Martin"))),
    "platform": ("steady", tuple(person(n) for n in ("Sam Taylor", "Aisha Rahman", "Dan Murphy", "Grace Kim"))),
}

#: Jira project key and name per team.
PROJECTS = {"storefront": ("SHOP", "Storefront"), "payments": ("PAY", "Payments"), "platform": ("PLAT", "Platform")}


@dataclass(frozen=True)
class ServiceSpec:
    """One demo service: where its code lives and what its people talk about."""

    name: str
    team: str
    repo: str  # folder under repos/
    path: str  # "" or the monorepo folder, e.g. "services/ledger"
    tag_prefix: str  # "" or e.g. "ledger/"
    lang: str  # py, ts, go, kt: picks comment style and dependency names
    areas: tuple[tuple[str, str], ...]  # (what people call it, file under the service root)
    curated: tuple[tuple[str, int], ...]  # (believable commit message, area index)
    late: tuple[tuple[str, int], ...]  # messages placed in the last months (markup demo)
    pd_name: str  # service name as PagerDuty knows it
    alerts: tuple[str, ...]  # incident titles
    version: tuple[int, int, int]
    commit_rate: float  # commits per working day


SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "checkout",
        "storefront",
        "checkout",
        "",
        "",
        "py",
        (
            ("VAT calculation", "checkout/tax.py"),
            ("basket totals", "checkout/basket.py"),
            ("payment webhook", "checkout/webhooks.py"),
            ("promo codes", "checkout/promotions.py"),
            ("receipts", "checkout/receipts.py"),
            ("address lookup", "checkout/address.py"),
            ("order confirmation emails", "checkout/emails.py"),
        ),
        (
            ("Fix rounding in VAT calculation", 0),
            ("Add retry to payment webhook", 2),
            ("Stop double-charging when the webhook arrives twice", 2),
            ("Round line totals before applying discounts", 0),
            ("Support split payments with gift cards", 1),
            ("Validate UK postcodes before calling the address API", 5),
            ("Show the VAT breakdown on receipts", 4),
        ),
        (
            ("Escape [bold red] in receipts and [/] tags", 4),
            ("Reject promo codes named [@click=app.quit]x[/] in the admin form", 3),
        ),
        "checkout-api",
        (
            "High 5xx rate on checkout-api",
            "[FIRING:1] CheckoutLatencyP99High",
            "Orders stuck in PENDING_PAYMENT",
            "Payment webhook queue backing up",
            "Basket totals off by 1p on multi-buy orders",
        ),
        (2, 3, 0),
        2.1,
    ),
    ServiceSpec(
        "storefront-web",
        "storefront",
        "storefront-web",
        "",
        "",
        "ts",
        (
            ("product page", "src/pages/product.tsx"),
            ("search results", "src/pages/search.tsx"),
            ("mini basket", "src/components/MiniBasket.tsx"),
            ("image carousel", "src/components/Carousel.tsx"),
            ("cookie banner", "src/components/CookieBanner.tsx"),
            ("checkout form", "src/pages/checkout.tsx"),
        ),
        (
            ("Lazy-load product images below the fold", 0),
            ("Fix mini basket count after removing the last item", 2),
            ("Add skeleton loading state to search results", 1),
            ("Respect prefers-reduced-motion in the carousel", 3),
            ("Move cookie banner text to the CMS", 4),
            ("Show 'Only 3 left' stock badges", 0),
        ),
        (),
        "storefront-web",
        (
            "Storefront LCP above 4s",
            "[FIRING:2] storefront-web 5xx at the CDN edge",
            "Search results page blank in Safari",
            "Product images returning 404",
        ),
        (4, 11, 0),
        1.8,
    ),
    ServiceSpec(
        "ledger",
        "payments",
        "payments",
        "services/ledger",
        "ledger/",
        "kt",
        (
            ("journal postings", "src/main/kotlin/ledger/Postings.kt"),
            ("account balances", "src/main/kotlin/ledger/Balances.kt"),
            ("reconciliation job", "src/main/kotlin/ledger/Reconciliation.kt"),
            ("currency conversion", "src/main/kotlin/ledger/Fx.kt"),
            ("month-end close", "src/main/kotlin/ledger/MonthEnd.kt"),
        ),
        (
            ("Post refunds as reversing journal entries", 0),
            ("Fix off-by-one in month-end close for leap years", 4),
            ("Reconcile PSP settlements in batches of 500", 2),
            ("Store FX rates with 6 decimal places", 3),
            ("Lock account rows during balance updates", 1),
        ),
        (),
        "ledger",
        (
            "[FIRING:1] LedgerPostingLagHigh (ledger-consumer)",
            "Reconciliation job failed",
            "Ledger balances diverge from PSP settlement",
            "ledger-db connection pool exhausted",
        ),
        (1, 2, 0),
        1.5,
    ),
    ServiceSpec(
        "billing",
        "payments",
        "payments",
        "services/billing",
        "billing/",
        "kt",
        (
            ("invoice numbering", "src/main/kotlin/billing/Invoices.kt"),
            ("dunning emails", "src/main/kotlin/billing/Dunning.kt"),
            ("subscription renewals", "src/main/kotlin/billing/Renewals.kt"),
            ("credit notes", "src/main/kotlin/billing/CreditNotes.kt"),
            ("tax reports", "src/main/kotlin/billing/TaxReports.kt"),
        ),
        (
            ("Number invoices per legal entity", 0),
            ("Send dunning email on day 3, 7 and 14", 1),
            ("Pro-rate subscription upgrades", 2),
            ("Fix credit note totals with mixed VAT rates", 3),
            ("Export the VAT return CSV for HMRC", 4),
        ),
        (),
        "billing",
        (
            "Subscription renewals not charged",
            "[FIRING:1] BillingInvoiceRunFailed",
            "Duplicate invoices sent to customers",
            "Dunning emails delayed",
        ),
        (1, 0, 0),
        1.2,
    ),
    ServiceSpec(
        "payment-gateway",
        "payments",
        "payment-gateway",
        "",
        "",
        "go",
        (
            ("card authorisation", "internal/auth/authorise.go"),
            ("3-D Secure flow", "internal/threeds/flow.go"),
            ("refunds", "internal/refunds/refunds.go"),
            ("PSP failover", "internal/psp/failover.go"),
            ("idempotency keys", "internal/api/idempotency.go"),
        ),
        (
            ("Fail over to the backup PSP after 3 timeouts", 3),
            ("Add idempotency keys to refund requests", 2),
            ("Handle 3-D Secure challenge timeouts", 1),
            ("Retry card authorisations on 502 from the PSP", 0),
            ("Mask PANs in request logs", 0),
        ),
        (),
        "payment-gateway-prod",
        (
            "Card authorisation success rate below 92%",
            "[FIRING:1] PSPTimeoutsHigh",
            "3-D Secure challenges timing out",
            "Refunds failing with 409 Conflict",
        ),
        (3, 7, 0),
        1.3,
    ),
    ServiceSpec(
        "identity",
        "platform",
        "identity",
        "",
        "",
        "go",
        (
            ("login", "internal/login/login.go"),
            ("session tokens", "internal/session/tokens.go"),
            ("password reset", "internal/reset/reset.go"),
            ("Google sign-in", "internal/sso/google.go"),
            ("rate limiting", "internal/limits/limits.go"),
        ),
        (
            ("Rotate session signing keys weekly", 1),
            ("Rate-limit password reset emails", 2),
            ("Add Sign in with Google", 3),
            ("Expire refresh tokens after 30 days", 1),
        ),
        (),
        "identity",
        ("Login error rate above 2%", "[FIRING:1] IdentityTokenSigningErrors", "Password reset emails not arriving"),
        (5, 2, 0),
        1.2,
    ),
    ServiceSpec(
        "notifications",
        "platform",
        "notifications",
        "",
        "",
        "py",
        (
            ("email templates", "notifications/templates.py"),
            ("SMS provider", "notifications/sms.py"),
            ("push notifications", "notifications/push.py"),
            ("delivery retries", "notifications/retry.py"),
            ("unsubscribe links", "notifications/unsubscribe.py"),
        ),
        (
            ("Retry SMS delivery with exponential backoff", 1),
            ("Add List-Unsubscribe header to marketing emails", 4),
            ("Render order emails in the customer's language", 0),
            ("Batch email sends to 100 per request", 3),
        ),
        (),
        "notifications",
        ("Email send queue above 10k", "SMS provider returning 503", "[FIRING:1] PushFanoutStalled"),
        (0, 9, 0),
        0.9,
    ),
)
