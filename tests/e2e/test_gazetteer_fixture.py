"""The unit tests' small gazetteer (``tests/fixtures/gazetteer``) is still what the real one
gives for its keys: every alias with those keys, their places and the landmark settlements,
row for row. When the gazetteer build changes, ``python -m tests.fixtures.gazetteer.regenerate``."""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from tests.fixtures import gazetteer as fixture_gazetteer
from tests.fixtures.gazetteer.regenerate import KEYS, subset


@pytest.mark.e2e
def test_small_gazetteer_is_the_real_one_cut_to_its_keys(gazetteer_frames, small_gazetteer):
    places, aliases = gazetteer_frames
    keys = set(KEYS.read_text(encoding="utf-8").split())
    expected_places, expected_aliases = subset(places, aliases, keys)
    small_places, small_aliases = small_gazetteer
    assert_frame_equal(small_places, expected_places)
    assert_frame_equal(small_aliases, expected_aliases)
    # the CSVs are read with these types: they must be the real build's
    assert dict(places.schema) == fixture_gazetteer.PLACES_SCHEMA
    assert dict(aliases.schema) == fixture_gazetteer.ALIASES_SCHEMA
