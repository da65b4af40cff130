"""Every code is declared once, in schemas/vocabulary.py: the models check with it and the
extractor's lexicons only produce codes it declares."""

from __future__ import annotations

import polars as pl
import pytest

from flows.parse.lexicons import LEXICON_DIR
from schemas import dbt_sources, vocabulary
from schemas.vocabulary import CLAIM_TYPE, COUNT_QUALIFIER, SIDE, TARGET_TYPE, VERIFICATION, VICTIM_GROUP, WEAPON

#: lexicon file -> (its label column, the vocabulary the label must belong to)
LEXICON_LABELS = {
    "weapons": ("weapon", WEAPON),
    "sides": ("side", SIDE),
    "claimants": ("side", SIDE),
    "targets": ("target_type", TARGET_TYPE),
    "victim_groups": ("victim_group", VICTIM_GROUP),
    "count_qualifiers": ("qualifier", COUNT_QUALIFIER),
    "verification": ("verification", VERIFICATION),
    "claim_verbs": ("claim_type", CLAIM_TYPE),
}


@pytest.mark.parametrize("lexicon", list(LEXICON_LABELS))
def test_lexicon_labels_are_declared_codes(lexicon):
    column, vocab = LEXICON_LABELS[lexicon]
    labels = set(pl.read_csv(LEXICON_DIR / f"{lexicon}.csv", infer_schema=False)[column].drop_nulls())
    assert labels and labels <= set(vocab), labels - set(vocab)


def test_every_isin_check_is_a_declared_vocabulary():
    declared = [list(vocab) for vocab in vocabulary.VOCABULARIES]
    for source in dbt_sources.SOURCES:
        for table in source.tables:
            for name, column in table.model.to_schema().columns.items():
                values = dbt_sources.allowed_values(column)
                assert values is None or values in declared, (table.name, name, values)


def test_codes_and_names_are_unique():
    names = [vocab.name for vocab in vocabulary.VOCABULARIES]
    assert len(names) == len(set(names))
    for vocab in vocabulary.VOCABULARIES:
        codes = list(vocab)
        assert len(codes) == len(set(codes)) and all(code.description for code in vocab.codes), vocab.name
