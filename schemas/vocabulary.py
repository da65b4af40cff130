"""The closed vocabularies of the warehouse: every code a side, weapon, date precision, ...
column may hold, with what it means. Declared here once.

The pandera models (``schemas/raw.py``, ``staging.py``, ``reference.py``) check columns with
``isin=list(SIDE)``; ``python -m schemas.generate`` turns each vocabulary into the dbt
source tests (``accepted_values``), the dbt docs blocks (``dbt_project/models/_vocabulary.md``)
and, for sides and weapons, the dbt seeds the marts' ``relationships`` tests point at. The
extractor's lexicons (``flows/parse/lexicons/*.csv``) may only use these codes
(``tests/schemas/test_vocabulary.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    description: str
    #: Display name, for vocabularies with a seed that carries one (sides).
    label: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    """A closed set of codes; iterating gives the codes in their documented order."""

    #: Also the name of its dbt docs block: ``{{ doc('side') }}``.
    name: str
    summary: str
    codes: tuple[Code, ...]
    #: The dbt seed generated from it (``dbt_project/seeds/<seed>.csv``), if any.
    seed: str | None = None

    def __iter__(self) -> Iterator[str]:
        return (code.code for code in self.codes)

    def __contains__(self, code: object) -> bool:
        return code in list(self)


SIDE = Vocabulary(
    "side",
    "The side of a perpetrator, claimant or gaining side, or the country a strike landed in.",
    (
        Code("RU", "Russian Federation armed forces and state bodies", "Russia"),
        Code("UA", "Ukrainian armed forces and state bodies", "Ukraine"),
        Code("BY", "Republic of Belarus", "Belarus"),
        Code("unknown", "The text does not say and the target country does not make it plain", "Unknown"),
    ),
    seed="sides",
)
#: Countries of the places facts are at (a subset of the side codes).
COUNTRY = Vocabulary(
    "country_code",
    "ISO 3166-1 alpha-2 country of a place.",
    (Code("UA", "Ukraine"), Code("RU", "Russia"), Code("BY", "Belarus")),
)
WEAPON = Vocabulary(
    "weapon",
    "Weapon class of a strike (EVENT_GUIDE.md, Strikes).",
    (
        Code("drone", "Uncrewed aerial vehicles: Shahed/Geran, Lancet, long-range attack drones"),
        Code(
            "missile",
            "Ballistic and cruise missiles: Iskander, Kh-101, Kalibr, Kinzhal, S-300 used against ground targets, "
            "ATACMS, Storm Shadow",
        ),
        Code("artillery", "Tube artillery, mortars, tank fire and unspecified shelling"),
        Code("rocket", "Multiple-launch rocket systems: Grad, Uragan, Smerch, HIMARS, and unspecified rockets"),
        Code("glide_bomb", "Guided aerial (glide) bombs: KAB, UMPK"),
        Code("air_strike", "Air strikes and aerial bombs dropped by aircraft"),
        Code("unknown", "A strike or attack with no weapon named"),
    ),
    seed="weapons",
)
FEATURE_TYPE = Vocabulary(
    "feature_type",
    "Level of a place in the gazetteer.",
    (
        Code("settlement", "A city, town or village"),
        Code("raion", "A district (Ukraine's raions)"),
        Code("oblast", "A top-level region: an oblast, Crimea, Kyiv City, Sevastopol, a Russian or Belarusian region"),
        Code("country", "A whole country"),
    ),
)
#: The levels a fact can be placed at: a fact is never placed at a whole country.
FACT_FEATURE_TYPE = Vocabulary("fact_feature_type", FEATURE_TYPE.summary, FEATURE_TYPE.codes[:3])
DATE_PRECISION = Vocabulary(
    "date_precision",
    "How exact the date is.",
    (
        Code("day", 'The text gives the day, or a weekday, "yesterday", "overnight"'),
        Code("article", "No date of its own: the article's date is used"),
        Code("week", '"last week"'),
        Code("month", '"earlier this month", "mid-April"'),
        Code("unknown", "No date can be given"),
    ),
)
CLAIM_TYPE = Vocabulary(
    "claim_type",
    "What a territorial claim says happened to the place.",
    (
        Code("capture", "The gaining side took the place"),
        Code("recapture", 'The gaining side took back a place it had lost ("recaptured", "liberated")'),
        Code("withdrawal", "The losing side says it withdrew from the place (the other side gains it)"),
    ),
)
VERIFICATION = Vocabulary(
    "verification",
    "Whether a claim is confirmed, as the text says.",
    (
        Code(
            "unverified",
            'The default; also when the other side "did not comment" or the report "could not be verified"',
        ),
        Code("confirmed", "The other side or an independent source confirms"),
        Code("denied", "The other side denies"),
    ),
)
VICTIM_GROUP = Vocabulary(
    "victim_group",
    "Who a count is of: civilian unless the text says otherwise.",
    (
        Code("civilian", "Civilians, residents, people (the default)"),
        Code("military", "Soldiers and other military personnel"),
        Code("child", "Children"),
        Code("emergency_worker", "Rescuers, firefighters, paramedics"),
        Code("journalist", "Journalists and media workers"),
    ),
)
COUNT_QUALIFIER = Vocabulary(
    "count_qualifier",
    "How exact a count is: the first four qualify a number, the rest stand for a null count.",
    (
        Code("at_least", '"at least 5"'),
        Code("more_than", '"more than 5"'),
        Code("up_to", '"up to 5"'),
        Code("approximately", '"about 5", "some 5"'),
        Code("dozens", '"dozens", with a null count'),
        Code("several", '"several", with a null count'),
        Code("multiple", '"multiple", with a null count'),
        Code("hundreds", '"hundreds", with a null count'),
    ),
)
TARGET_TYPE = Vocabulary(
    "target_type",
    "What a strike hit, when the text says.",
    (
        Code("energy", "Power plants, substations, the grid, electricity, gas and oil facilities"),
        Code("residential", "Homes and apartment blocks"),
        Code("civilian", "Hospitals, schools, markets, churches, humanitarian convoys and other civilian sites"),
        Code("military", "Airfields, bases, barracks, ammunition, command posts"),
        Code("infrastructure", "Bridges, railways, ports, dams, water supply, logistics"),
        Code("industrial", "Factories, plants, industrial enterprises"),
    ),
)
DATE_SOURCE = Vocabulary(
    "date_source",
    "Where an article's publication date came from.",
    (
        Code("header", "The file's `date` header"),
        Code("file_name", "A date in the file name"),
        Code("none", "Neither: the publication date is null"),
    ),
)

VOCABULARIES: tuple[Vocabulary, ...] = (
    SIDE,
    COUNTRY,
    WEAPON,
    FEATURE_TYPE,
    FACT_FEATURE_TYPE,
    DATE_PRECISION,
    CLAIM_TYPE,
    VERIFICATION,
    VICTIM_GROUP,
    COUNT_QUALIFIER,
    TARGET_TYPE,
    DATE_SOURCE,
)
