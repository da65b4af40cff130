"""Load the extractor's lexicons (``lexicons/*.csv``): rules kept as data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from flows.parse.text import ascii_words

LEXICON_DIR = Path(__file__).with_name("lexicons")


@cache
def table(name: str) -> pl.DataFrame:
    """One lexicon as a frame (all columns as strings, empty cells null)."""
    return pl.read_csv(LEXICON_DIR / f"{name}.csv", infer_schema=False)


def alternation(patterns: list[str], case_insensitive: bool = True) -> str:
    """One regex that matches any of ``patterns`` (longest listed first wins ties)."""
    body = ascii_words("|".join(f"(?:{p})" for p in patterns))
    return f"(?i:{body})" if case_insensitive else f"(?:{body})"


def classify(expr: pl.Expr, name: str, label: str, default: str | None = None) -> pl.Expr:
    """The ``label`` of the first row of lexicon ``name`` whose pattern ``expr`` contains.

    Rows are tried in file order, so a file lists specific patterns first.
    """
    rows = table(name).select("pattern", label).rows()
    out = pl.lit(default, pl.String)
    for pattern, value in reversed(rows):
        out = pl.when(expr.str.contains(ascii_words(f"(?i){pattern}"))).then(pl.lit(value)).otherwise(out)
    return out


def fingerprint() -> str:
    """Changes whenever a lexicon changes: part of the parser version."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted(LEXICON_DIR.glob("*.csv")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
