"""The people of the synthetic monorepo: who they are (:class:`Person`, :func:`people`) and
how git writes them with a time (:func:`ident`)."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from monorepo.vocabulary import FIRST, LAST, N_SERVICES, TIMEZONES


@dataclass
class Person:
    """A developer: a name, an e-mail made from it, and a fixed time zone."""

    name: str
    email: str
    tz: str


def ascii_only(text: str) -> str:
    """``text`` without its accents (``Zoë`` -> ``Zoe``), as e-mails and branch names need."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def people(rng: random.Random) -> tuple[list[list[Person]], list[Person]]:
    """Five or six developers per service, plus a few for docs/CI; fixed names."""
    pairs = [(first, last) for first in FIRST for last in LAST]
    rng.shuffle(pairs)
    it = iter(pairs)

    def person() -> Person:
        """The next name pair, with a time zone drawn for it."""
        first, last = next(it)
        return Person(
            f"{first} {last}",
            f"{ascii_only(first).lower()}.{ascii_only(last).lower()}@example.com",
            rng.choice(TIMEZONES),
        )

    per_service = [[person() for _ in range(5 + i % 2)] for i in range(N_SERVICES)]
    shared = [person() for _ in range(6)]
    return per_service, shared


def ident(p: Person | tuple[str, str], t: int, tz: str = "+0000") -> str:
    """An author, committer or tagger line's value: ``Name <email> TIME ZONE``; a (name, email)
    pair (a bot) is in ``tz``."""
    if isinstance(p, Person):
        return f"{p.name} <{p.email}> {t} {p.tz}"
    return f"{p[0]} <{p[1]}> {t} {tz}"
