"""The random text every generator of synthetic data shares: people's names, sentences of
common words, commit ids and ids of letters and digits. Each draw comes from the caller's
random generator, so the same seed gives the same text."""

from __future__ import annotations

import random

# The names people are drawn from (first and last apart), and the words of titles and descriptions.
FIRST_NAMES = (
    "Alice",
    "Bob",
    "Carol",
    "Dan",
    "Erin",
    "Frank",
    "Grace",
    "Heidi",
    "Ivan",
    "Judy",
    "Mallory",
    "Niaj",
    "Olivia",
    "Peggy",
    "Rupert",
    "Sybil",
    "Trent",
    "Uma",
    "Victor",
    "Wendy",
    "Xavier",
    "Yasmin",
    "Zoe",
    "Amir",
    "Bea",
    "Chen",
    "Dmitri",
    "Esther",
    "Farid",
    "Gita",
)
LAST_NAMES = (
    "Smith",
    "Jones",
    "Garcia",
    "Nguyen",
    "Okafor",
    "Kowalski",
    "Tanaka",
    "Silva",
    "Müller",
    "Dubois",
    "Rossi",
    "Haddad",
    "Ivanova",
    "O'Brien",
    "Larsen",
    "Patel",
)
WORDS = (
    "the",
    "checkout",
    "retry",
    "timeout",
    "cache",
    "user",
    "order",
    "page",
    "error",
    "latency",
    "search",
    "index",
    "payment",
    "refund",
    "token",
    "session",
    "mobile",
    "login",
    "report",
    "export",
    "import",
    "flag",
    "rollout",
    "config",
    "queue",
    "message",
    "email",
    "invoice",
    "price",
    "stock",
    "banner",
    "button",
    "layout",
)
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"  # the letters and digits of PagerDuty's ids


def random_sha(rng: random.Random) -> str:
    """A commit id: 40 hex digits."""
    return f"{rng.getrandbits(160):040x}"


def random_name(rng: random.Random) -> str:
    """A person's first and last name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def random_sentence(rng: random.Random, words: int) -> str:
    """``words`` common words, lower case, without a full stop."""
    return " ".join(rng.choice(WORDS) for _ in range(words))
