"""The public marts carry enforced dbt model contracts (names and DuckDB types of every
column, checked by dbt at build time) that cover DATA_CONTRACT.md's required columns."""

from __future__ import annotations

import re

import yaml

from schemas.generate import DBT_PROJECT
from tests.conftest import SHARED, needs_shared

MARTS = DBT_PROJECT / "models" / "marts"
DATA_CONTRACT = SHARED / "docs" / "DATA_CONTRACT.md"


def mart_models() -> dict[str, dict]:
    return {
        model["name"]: model
        for path in sorted(MARTS.glob("*.yml"))
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", [])
    }


def column_types(model: dict) -> dict[str, str]:
    return {column["name"]: column.get("data_type") for column in model["columns"]}


def public_models() -> set[str]:
    """The models the ``public_contract`` exposure depends on."""
    exposures = yaml.safe_load((DBT_PROJECT / "models" / "exposures.yml").read_text(encoding="utf-8"))["exposures"]
    (public,) = [exposure for exposure in exposures if exposure["name"] == "public_contract"]
    return {re.fullmatch(r"ref\('(\w+)'\)", ref).group(1) for ref in public["depends_on"]}


def test_every_mart_has_an_enforced_contract_with_typed_columns():
    models = mart_models()
    assert public_models() <= set(models)
    for name, model in models.items():
        assert model.get("config", {}).get("contract", {}).get("enforced") is True, name
        untyped = [column for column, data_type in column_types(model).items() if not data_type]
        assert not untyped, (name, untyped)


@needs_shared
def test_contracts_cover_data_contract_md():
    """Every model and required column of DATA_CONTRACT.md is in a mart's contract."""
    models = mart_models()
    table = [line for line in DATA_CONTRACT.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    listed = {}
    for line in table:
        model, _, columns = (cell.strip() for cell in line.strip("|").split("|"))
        listed[model.strip("`")] = set(re.findall(r"`(\w+)`", re.sub(r"\([^)]*\)", "", columns)))
    assert set(listed) == public_models()
    for model, required in listed.items():
        assert required <= set(column_types(models[model])), (model, required - set(column_types(models[model])))
    assert column_types(models["dim_articles"])["published_date"] == "date"  # the contract says DATE
