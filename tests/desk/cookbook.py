"""The SQL blocks of docs/queries.md."""

from __future__ import annotations

import re

from flows.config import REPO_ROOT

COOKBOOK = REPO_ROOT / "docs" / "queries.md"


def cookbook_queries() -> list[tuple[str, str]]:
    """(the question's heading, its SQL) for every ```sql block, in order."""
    text = COOKBOOK.read_text(encoding="utf-8")
    found = []
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        heading = section.splitlines()[0]
        found += [(heading, sql) for sql in re.findall(r"```sql\n(.*?)```", section, re.S)]
    return found
