"""Rich ``Text`` builders shared by every screen: literal text, trend arrows, marks.

Anything that came from a repository, an export or a person (commit subjects, tag names and
messages, incident titles, people's names) goes through :func:`literal`: it is made
printable by :func:`dora_tui.tui.facade.views.safe_text` and wrapped in a ``Text`` object, which
Textual shows as it is, never parsing it as markup. Never build markup strings from such
text.
"""

from __future__ import annotations

from rich.text import Text

from dora_tui.tui.facade.views import safe_text

ARROWS = {
    "improving": ("▲", "bold green"),
    "worsening": ("▼", "bold red"),
    "flat": ("▶", "dim"),
    "insufficient": ("·", "dim"),
}
TIER_STYLES = {"elite": "bold green", "high": "green", "medium": "yellow", "low": "red"}
ATTENTION = "⚑"


def literal(text: object, style: str = "") -> Text:
    """Untrusted ``text`` as a ``Text`` shown literally (control characters made visible)."""
    return Text(safe_text(text), style=style, no_wrap=True, overflow="ellipsis", end="")


def trend_arrow(trend: str) -> Text:
    """The arrow of a trend: green ▲ improving, red ▼ worsening, dim ▶ flat, dim · no data."""
    arrow, style = ARROWS.get(trend, ARROWS["insufficient"])
    return Text(arrow, style=style, end="")


def trend_style(trend: str) -> str:
    """The colour of a trend's words."""
    return ARROWS.get(trend, ARROWS["insufficient"])[1]


def attention_mark(needs_attention: bool) -> Text:
    """The "needs attention" mark, or nothing."""
    return Text(f"{ATTENTION} needs attention" if needs_attention else "", style="bold red", end="")


def tier_text(tier: str | None) -> Text:
    """A DORA tier, coloured; empty when the metric has no tier or no data."""
    if not tier:
        return Text("", end="")
    return Text.assemble("tier ", (tier, TIER_STYLES.get(tier, "")), end="")


def flag(on: bool, word: str, style: str) -> Text:
    """``word`` in ``style`` when ``on``, else a dim dash."""
    return Text(word, style=style, end="") if on else Text("–", style="dim", end="")


def legend() -> Text:
    """The line explaining the arrows and the mark on the home page."""
    parts: list[Text | tuple[str, str] | str] = []
    for trend, words in (
        ("improving", "improving"),
        ("worsening", "worsening"),
        ("flat", "flat"),
        ("insufficient", "not enough data"),
    ):
        arrow, style = ARROWS[trend]
        parts += [(arrow, style), f" {words}   "]
    parts += [(ATTENTION, "bold red"), " needs attention: 2 or more metrics worsening"]
    return Text.assemble(*parts, end="")


SPARK_BLOCKS = "▁▂▃▄▅▆▇█"


IN_PROGRESS = "…"  # the cells of the month in progress, as the metric page marks its label


def sparkline(values: list[float | int | None], width: int = 24, *, in_progress: bool = False) -> Text:
    """A one-line sparkline of monthly values; a month without data is a dim ``·``, never a 0.

    Each month takes ``width // len(values)`` cells (at least 1). With ``in_progress``, the
    last month is the month in progress: a few days of it would draw as a collapse after full
    months, so it is drawn as a dim ``…`` (its value is the card's "so far")
    and the bars are scaled on the other months.
    """
    if not values:
        return Text("", end="")
    cell = max(1, width // len(values))
    drawn = values[:-1] if in_progress else values
    known = [v for v in drawn if v is not None]
    low, high = (min(known), max(known)) if known else (0, 0)
    runs: list[tuple[str, str]] = []  # (blocks, style): neighbours of one style make one span
    for i, v in enumerate(values):
        style = "dim" if i >= len(drawn) or v is None else "cyan"
        if i >= len(drawn):
            blocks = IN_PROGRESS * cell
        elif v is None:
            blocks = "·" * cell
        else:
            level = 0 if high == low else round((v - low) / (high - low) * (len(SPARK_BLOCKS) - 1))
            blocks = SPARK_BLOCKS[level] * cell
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + blocks, style)
        else:
            runs.append((blocks, style))
    return Text.assemble(*runs, end="")
