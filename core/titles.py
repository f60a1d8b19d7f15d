"""Page titles that name the search or filter shown, so that a results page is told apart
from the unfiltered list in the browser's history, tabs and bookmarks."""

from __future__ import annotations

from collections.abc import Iterable


def search_words(*, q: str = "", filters: Iterable[tuple[str, str]] = ()) -> str:
    """The words typed, then each filter chosen (label and value), as in "matching
    ‘obesity’, lead department DH"; empty when nothing narrows the list."""
    parts = [f"matching ‘{q.strip()}’"] if q.strip() else []
    parts += [f"{label} {value}" for label, value in filters if value]
    return ", ".join(parts)
