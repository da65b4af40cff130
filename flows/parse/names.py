"""Place-name keys: one spelling-insensitive key for every romanisation of a name.

``Kostiantynivka`` / ``Kostyantynivka``, ``Zeleniy Hai`` / ``Zelenyy Hay``,
``Charków`` / ``Kharkov`` and ``Mikołajów`` / ``Mykolaiv``'s Polish forms fold to
keys that the gazetteer's aliases and the text's candidate names are joined on.
The same expression runs on both sides, so a folding can never match one way only.
"""

from __future__ import annotations

import polars as pl

#: Letters NFKD does not take apart.
_LETTER_MAP = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ı": "i", "ʹ": "", "ʼ": ""}
#: Folds applied in order on the lower-case ASCII form: Polish and German
#: digraphs first, then the vowel and consonant variants of romanisations.
_FOLDS = (
    ("szcz", "shch"),
    ("sz", "sh"),
    ("cz", "ch"),
    ("rz", "zh"),
    ("w", "v"),
    ("kh", "h"),
    ("ch", "h"),
    ("zh", "z"),
    ("ts", "c"),
    ("tz", "c"),
    ("ye", "e"),
    ("ie", "e"),
    ("yi", "i"),
    ("iy", "i"),
    ("yy", "i"),
    ("ii", "i"),
    ("j", "i"),
    ("y", "i"),
    ("ii", "i"),
    ("ia", "a"),
    ("iu", "u"),
)


def name_key(expr: pl.Expr) -> pl.Expr:
    """Spelling-insensitive key of a place name (lower ASCII letters only)."""
    out = expr.str.to_lowercase()
    for source, target in _LETTER_MAP.items():
        out = out.str.replace_all(source, target, literal=True)
    out = out.str.normalize("NFKD").str.replace_all(r"[^a-z]", "")
    for source, target in _FOLDS:
        out = out.str.replace_all(source, target, literal=True)
    return out


def key_of(text: str) -> str:
    """``name_key`` of one string (for tests and small lookups)."""
    return pl.select(name_key(pl.lit(text))).item()
