"""The parser version follows the extractor's code and lexicons, so a rule change re-parses."""

from pathlib import Path

from flows.parse.extract import parser_version


def test_a_change_to_the_extractors_code_changes_the_parser_version(monkeypatch):
    before = parser_version()
    read_bytes = Path.read_bytes

    def edited(path: Path) -> bytes:
        data = read_bytes(path)
        return data + b"\n# a new rule\n" if path.name == "strikes.py" else data

    monkeypatch.setattr(Path, "read_bytes", edited)
    after = parser_version()
    assert after != before
    assert after.split("-")[1] == before.split("-")[1]  # the lexicons did not change


def test_the_parser_version_is_stable_between_calls():
    assert parser_version() == parser_version()
