"""The leaner compiled checks say yes exactly when jsonschema finds no error.

socialgov.schema.leaner rewrites fastjsonschema's code into cheaper code with the same answers.
Here both judges see entities written the way strangers write them: fields from the docs with
values of the wrong type, enum words in the wrong case or with a space, typos of field names and
fields nobody defined, ids at the edges of their pattern and length, dates that do not exist or
are written another way, lists with repeats, mappings where lists belong. The shipped check, the
check compiled at run time and jsonschema must give the same yes or no on every one.
"""

from __future__ import annotations

import ast
import copy
import itertools
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from socialgov.schema import validation as schema
from socialgov.schema.fastcheck import compile_check
from socialgov.schema.leaner import leaner
from test_fastcheck import paths

CHECKED = [*schema.KIND_FILES.values(), schema.CONFIG_FILE]

IDS = [
    "acme", "a", "0", "a-b.c_d", "team-0001", "person-000276", "a" * 128, "a" * 129, "", "A",
    "Acme", "-a", ".a", "_a", "a b", "a\n", "a\t", " a", "caf\u00e9", "\uff41", "\u0661\u0662",
    "a/b", "a@1", "a@0", "a@01", "social-media@2", "a@", "@1", "a:b", "a" * 139 + "@1",
]  # fmt: skip
DATES = [
    "2026-11-24", "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10",
    "2026-1-24", "2026-11-24T10:00:00", "2026-11-24 ", "2026-11-24\n", "20261124", "2026-W48-2",
    "0000-01-01", "9999-12-31", "\u0662\u0660\u0662\u0666-11-24", "24/11/2026", "2026/11/24",
    "2026-11-24T10:00:00Z",
]  # fmt: skip
URLS = [
    "https://x.com/acme", "https://www.threads.net/@acme", "https://a.b/%C3%A9?q=1#top",
    "http://a b", "https://a.b/%zz", "https://a.b:8080/", "ftp://files.example.com/a",
    "x.com/acme", "mailto:press@example.com", "", "https://", "https://u@a.b/x", "//x.com/a",
    "https://example.com/f/1200\n", "https://[::1]/x",
]  # fmt: skip
TEXTS = ["", " ", "Acme", "Mon-Fri 08:00-20:00", "a@b", "ab", "@", "x@y.z", "\u2603", "yes"]
NUMBERS: list[Any] = [
    0, 1, -1, 1.0, 1.5, -0.0, 0.5, 10**30, float("inf"), float("nan"), 7, 100, -2.5, 10.0, -1.0,
]  # fmt: skip
ODD: list[Any] = [None, True, False, [], {}, [1], ["a", "a"], ["a", "b"], {"a": 1}, {"x": [1]}]
UNKNOWN_KEYS: list[Any] = ["Owner", "notes", "x-extra", "ownr", "", "id ", 1, "kind2", "labels"]


def _words(value: Any) -> Iterator[str]:
    """Every enum or const string written anywhere in a schema, and every property name."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "enum" and isinstance(item, list):
                yield from (word for word in item if isinstance(word, str))
            elif key == "const" and isinstance(item, str):
                yield item
            elif key == "properties" and isinstance(item, dict):
                yield from item
            if key not in ("examples", "default"):
                yield from _words(item)
    elif isinstance(value, list):
        for item in value:
            yield from _words(item)


class Stranger:
    """Writes entities for one schema as people who half read its documentation do."""

    def __init__(self, file_name: str, seed: int) -> None:
        self.schema = schema.load_schema(file_name)
        self.rng = random.Random(seed)
        words = sorted(set(_words(self.schema)))
        self.words = words
        self.fields = list(self.schema.get("properties", {}))
        variants = [word.upper() for word in words[:20]] + [word + " " for word in words[:10]]
        self.scalars: list[Any] = [
            *IDS, *DATES, *URLS, *TEXTS, *NUMBERS, *words, *variants,
        ]  # fmt: skip

    def value(self, depth: int = 0) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55 or depth > 2:
            # a copy: ODD's lists and mappings are edited in place later (once shared, an edit
            # could put one inside itself)
            return copy.deepcopy(rng.choice(self.scalars + ODD))
        if roll < 0.8:
            return [self.value(depth + 1) for _ in range(rng.randint(0, 3))]
        return self.mapping(depth + 1, self.words)

    def mapping(self, depth: int, keys: list[str]) -> dict[Any, Any]:
        rng = self.rng
        result: dict[Any, Any] = {}
        for _ in range(rng.randint(0, 5)):
            key = rng.choice(keys) if rng.random() < 0.9 else rng.choice(UNKNOWN_KEYS)
            result[key] = self.value(depth)
        return result

    def entity(self) -> Any:
        rng = self.rng
        examples = self.schema.get("examples", [])
        if examples and rng.random() < 0.7:
            value = copy.deepcopy(rng.choice(examples))
            for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
                value = self.edit(value)
            return value
        value = self.mapping(0, self.fields)
        if "id" in self.fields and rng.random() < 0.8:
            value["id"] = rng.choice(IDS)
        return value

    def edit(self, value: Any) -> Any:
        rng = self.rng
        places = list(paths(value))
        if not places:
            return self.value()
        path = rng.choice(places)
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        roll = rng.random()
        if roll < 0.15:
            del parent[last]
        elif roll < 0.25 and isinstance(parent, dict):
            parent[rng.choice(UNKNOWN_KEYS)] = parent[last]
        elif roll < 0.35 and isinstance(parent[last], list) and parent[last]:
            parent[last].append(parent[last][0])  # a repeat
        elif roll < 0.45 and isinstance(parent[last], str):
            parent[last] = rng.choice([parent[last].upper(), parent[last] + " ", [parent[last]]])
        else:
            parent[last] = self.value(1)
        return value


def _jsonschema_valid(validator: Draft202012Validator, value: Any) -> bool:
    return next(validator.iter_errors(value), None) is None


@pytest.mark.parametrize("file_name", CHECKED)
def test_strangers_entities_get_jsonschemas_yes_or_no_from_the_compiled_checks(
    file_name: str,
) -> None:
    validator = Draft202012Validator(
        schema.load_schema(file_name), format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    shipped = schema.shipped_check_for(file_name)
    compiled = compile_check(schema.load_schema(file_name))
    assert shipped is not None and compiled is not None
    verdicts = {True: 0, False: 0}
    for seed in range(3):
        stranger = Stranger(file_name, seed)
        for _ in range(600):
            value = stranger.entity()
            expected = _jsonschema_valid(validator, value)
            assert shipped(value) == expected, (file_name, expected, value)
            assert compiled(value) == expected, (file_name, expected, value)
            verdicts[expected] += 1
    # Both answers are exercised often: the test could fail either way.
    assert verdicts[True] > 100 and verdicts[False] > 300, verdicts


EDGE_IDS = ["a", "a\n", "a" * 128, "a" * 129, "", "A", "caf\u00e9", "-a"]


@pytest.mark.parametrize("identifier", EDGE_IDS)
def test_an_id_at_the_edge_of_its_pattern_gets_jsonschemas_answer(identifier: str) -> None:
    # "a\n" matches the schema's ``^...$`` as jsonschema searches it: the compiled check says
    # yes too instead of sending it to jsonschema for nothing.
    account = {"id": identifier, "platform": "x"}
    validator = Draft202012Validator(schema.load_schema("account.schema.json"))
    check = schema.shipped_check_for("account.schema.json")
    assert check is not None
    assert check(account) == _jsonschema_valid(validator, account)
    assert schema.validate_entity("Account", account) == [] or not check(account)


FASTJSONSCHEMA_SHAPES = """
def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, dict):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id']) - data.keys()
        if data__missing_keys:
            raise Invalid
        data_keys = set(data.keys())
        if 'id' in data_keys:
            data_keys.remove('id')
            data__id = data['id']
            if not isinstance(data__id, str):
                raise Invalid
            if isinstance(data__id, str):
                if not REGEX_PATTERNS['^[a-z]+$'].search(data__id):
                    raise Invalid
        if 'status' in data_keys:
            data_keys.remove('status')
            data__status = data['status']
            if not (isinstance(data__status, str) and data__status == 'a' or (isinstance(data__status, str) and data__status == 'b')):
                raise Invalid
        if 'tags' in data_keys:
            data_keys.remove('tags')
            data__tags = data['tags']
            if not isinstance(data__tags, (list, tuple)):
                raise Invalid
            data__tags_is_list = isinstance(data__tags, (list, tuple))
            if data__tags_is_list:
                data__tags_len = len(data__tags)
                for data__tags_x, data__tags_item in enumerate(data__tags):
                    if not isinstance(data__tags_item, str):
                        raise Invalid
        if data_keys:
            raise Invalid
    return data
"""
PRELUDE = "import re\nREGEX_PATTERNS = {'^[a-z]+$': re.compile('^[a-z]+\\\\Z')}\n"


def _run(source: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(compile(source, "<test>", "exec"), namespace)
    invalid = namespace["Invalid"]

    def check(value: Any) -> bool:
        try:
            namespace["validate"](value)
        except invalid:
            return False
        return True

    return check


def _module(code: str) -> str:
    return "class Invalid(Exception):\n    pass\n" + code


LEANER_VALUES: list[Any] = [
    {"id": "a"},
    {"id": "a\n"},
    {"id": "A"},
    {"id": 1},
    {},
    {"id": "a", "status": "a"},
    {"id": "a", "status": "c"},
    {"id": "a", "status": ["a"]},
    {"id": "a", "tags": ["x", "y"]},
    {"id": "a", "tags": ["x", 1]},
    {"id": "a", "tags": "x"},
    {"id": "a", "other": 1},
    {"id": "a", 1: 1},
    [],
    None,
]


def test_each_rewrite_is_made_and_answers_as_before_but_for_jsonschemas_dollar() -> None:
    before = _run(_module(PRELUDE + FASTJSONSCHEMA_SHAPES))
    code, unique = leaner(PRELUDE + FASTJSONSCHEMA_SHAPES, "validate", ("tags",))
    after = _run(_module(code))
    assert unique == ()  # the repeat test of tags is in the code
    for value in LEANER_VALUES:
        expected = before(value) or value == {"id": "a\n"}  # `$`, as jsonschema reads it
        assert after(value) == expected, value
    assert after({"id": "a", "tags": ["x", "x"]}) is False
    assert after({"id": "a", "tags": ["x", "y"]}) is True
    tree = ast.parse(code)
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert "data_keys" not in names and "data__missing_keys" not in names
    assert "REGEX_PATTERNS" not in names and "enumerate" not in calls
    assert "data__tags_len" not in names and "data__tags_is_list" not in names
    assert code.count("isinstance(data__id, str)") == 1
    assert "data__status in {'a', 'b'}" in code


IF_THEN_SHAPE = """
def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, dict):
        raise Invalid
    data_is_dict = isinstance(data, dict)
    if 'id' not in data:
        raise Invalid
    try:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            if 'status' not in data:
                raise Invalid
            if data['status'] != 'departed':
                raise Invalid
    except (Invalid, Invalid):
        pass
    else:
        data_is_dict = isinstance(data, dict)
        if data_is_dict:
            if 'departed_on' not in data:
                raise Invalid
    return data
"""


def test_a_type_test_read_only_after_it_is_made_anew_goes() -> None:
    # fastjsonschema's root data_is_dict before an if/then (the Person schema's shape): each
    # branch assigns it anew before reading it, so the first one is never read.
    code, _ = leaner(IF_THEN_SHAPE, "validate", ())
    function = ast.parse(code).body[0]
    assert isinstance(function, ast.FunctionDef)
    assert not any(
        isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "data_is_dict"
        for node in function.body
    )
    assert code.count("data_is_dict = isinstance(data, dict)") == 2  # the branches' own
    check, before = _run(_module(code)), _run(_module(IF_THEN_SHAPE))
    for value in ({"id": "a"}, {"id": "a", "status": "departed"}, {"status": "x"}, [], None,
                  {"id": "a", "status": "departed", "departed_on": "x"}, {"id": "a", "status": 1}):  # fmt: skip
        assert check(value) == before(value), value
    # Read before it is assigned anew, it stays.
    read = IF_THEN_SHAPE.replace(
        "    if 'id' not in data:\n", "    if data_is_dict and 'id' not in data:\n"
    )
    assert leaner(read, "validate", ())[0].count("data_is_dict = isinstance(data, dict)") == 3
    # And in a loop that reads it at its start, the assignment at its end stays.
    looped = IF_THEN_SHAPE.replace(
        "    return data\n",
        "    for _ in range(2):\n        if data_is_dict:\n            pass\n"
        "        data_is_dict = isinstance(data, dict)\n    return data\n",
    )
    assert leaner(looped, "validate", ())[0].count("data_is_dict = isinstance(data, dict)") == 4


def test_the_set_of_keys_stays_where_it_is_read_otherwise() -> None:
    # Read after its last test (here: counted), the set of keys is needed as it was.
    source = PRELUDE + FASTJSONSCHEMA_SHAPES.replace(
        "    return data\n", "    return len(data_keys)\n"
    ).replace("        if data_keys:\n            raise Invalid\n", "")
    code, _ = leaner(source, "validate", ())
    assert "data_keys = set(data.keys())" in code and "data_keys.remove('id')" in code
    assert _run(_module(code))({"id": "a", "other": 1}) is True
    # Inside a loop whose other statements read it, too.
    looped = source.replace("    return len(data_keys)\n", "    return data\n").replace(
        "    if data_is_dict:\n", "    for _ in range(2):\n        len(data_keys) if _ else 0\n"
    )
    looped_code, _ = leaner(looped, "validate", ())
    assert "data_keys.remove('id')" in looped_code


def test_a_repeat_test_not_written_in_is_left_to_the_caller() -> None:
    _, unique = leaner(PRELUDE + FASTJSONSCHEMA_SHAPES, "validate", ("tags", "nowhere"))
    assert unique == ("nowhere",)
    _, unique = leaner(PRELUDE + FASTJSONSCHEMA_SHAPES, "other_function", ("tags",))
    assert unique == ("tags",)


REMEMBERING = """
def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, dict):
        raise Invalid
    if 'id' in data:
        data__id = data['id']
        if not isinstance(data__id, str):
            raise Invalid
        if not REGEX_PATTERNS['^[a-z]+$'].search(data__id):
            raise Invalid
    if 'owner' in data:
        data__owner = data['owner']
        if not isinstance(data__owner, str):
            raise Invalid
        data__owner_len = len(data__owner)
        if data__owner_len > 3:
            raise Invalid
        if not REGEX_PATTERNS['^[a-z]+$'].search(data__owner):
            raise Invalid
        if not custom_formats['x'](data__owner):
            raise Invalid
    return data
"""


def test_strings_that_passed_a_place_are_remembered_there_and_nothing_else() -> None:
    code, _ = leaner(PRELUDE + REMEMBERING, "validate", ())
    namespace: dict[str, Any] = {}
    exec(compile(_module(code), "<test>", "exec"), namespace)
    validate, invalid = namespace["validate"], namespace["Invalid"]
    refused: list[str] = []

    def formats(value: str) -> bool:  # not pure as far as the check knows: asked every time
        refused.append(value)
        return value != "bad"

    def check(value: Any) -> bool:
        try:
            validate(value, {"x": formats})
        except invalid:
            return False
        return True

    seen = [name for name in namespace if name.startswith("SEEN_")]
    assert len(seen) == 1  # the owner's tests; the entity's own id is never remembered
    assert [check({"owner": owner}) for owner in ("ann", "ann", "bad", "bad", "toolong")] == [
        True,
        True,
        False,
        False,
        False,
    ]
    assert namespace[seen[0]] == {"ann", "bad"}  # passed the length and the pattern
    assert refused == ["ann", "ann", "bad", "bad"]  # the format is asked every time
    assert [check({"id": identifier}) for identifier in ("a", "a", "A")] == [True, True, False]


def test_a_place_remembers_at_most_its_cap_and_still_checks_what_it_forgot() -> None:
    from socialgov.schema.leaner import REMEMBERED

    code, _ = leaner(PRELUDE + REMEMBERING, "validate", ())
    namespace: dict[str, Any] = {}
    exec(compile(_module(code), "<test>", "exec"), namespace)
    validate, invalid = namespace["validate"], namespace["Invalid"]

    def check(value: Any) -> bool:
        try:
            validate(value, {"x": lambda text: True})
        except invalid:
            return False
        return True

    letters = "abcdefghijklmnopqrstuvwxyz"  # the owners this check takes: up to 3 letters
    owners = ["".join(three) for three in itertools.product(letters, repeat=3)]
    owners = owners[: REMEMBERED + 50]
    assert all(check({"owner": owner}) for owner in owners)
    (seen,) = [namespace[name] for name in namespace if name.startswith("SEEN_")]
    assert len(seen) == REMEMBERED and seen <= set(owners)
    assert check({"owner": owners[-1]}) and not check({"owner": "toolong"})


def test_the_missing_keys_stay_a_set_where_read_again() -> None:
    source = PRELUDE + FASTJSONSCHEMA_SHAPES.replace(
        "    return data\n", "    return data__missing_keys\n"
    )
    code, _ = leaner(source, "validate", ())
    assert "data__missing_keys = set(['id']) - data.keys()" in code
    assert _run(_module(code))({"status": "a"}) is False
    plain, _ = leaner(PRELUDE + FASTJSONSCHEMA_SHAPES, "validate", ())
    assert "data__missing_keys" not in plain and "'id' not in data" in plain


NUMBERS_AND_ENUMS = """
def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, dict):
        raise Invalid
    if 'count' in data:
        data__count = data['count']
        if not isinstance(data__count, int) and (not (isinstance(data__count, float) and data__count.is_integer())) or isinstance(data__count, bool):
            raise Invalid
        if isinstance(data__count, (int, float, Decimal)) and (not isinstance(data__count, bool)):
            if data__count < 0:
                raise Invalid
            if data__count > 10:
                raise Invalid
    if 'rate' in data:
        data__rate = data['rate']
        if not isinstance(data__rate, (int, float, Decimal)) or isinstance(data__rate, bool):
            raise Invalid
        if isinstance(data__rate, (int, float, Decimal)) and (not isinstance(data__rate, bool)):
            if data__rate < 0:
                raise Invalid
    if 'status' in data:
        data__status = data['status']
        if not isinstance(data__status, str):
            raise Invalid
        if not (isinstance(data__status, str) and data__status in {'a', 'b'}):
            raise Invalid
    if 'note' in data:
        data__note = data['note']
        if not isinstance(data__note, str):
            raise Invalid
        data__note_len = len(data__note)
        if data__note_len < 1:
            raise Invalid
    if 'tags' in data:
        data__tags = data['tags']
        if not isinstance(data__tags, (list, tuple)):
            raise Invalid
        for data__tags_item in data__tags:
            if not isinstance(data__tags_item, str):
                raise Invalid
            data__tags_item_len = len(data__tags_item)
            if data__tags_item_len < 1:
                raise Invalid
            if data__tags_item_len > 3:
                raise Invalid
    if 'size' in data:
        data__size = data['size']
        data__size_len = len(data__size)
        if data__size_len < 1:
            raise Invalid
    return data
"""


class _Text(str):
    """A string that says it is empty."""

    def __len__(self) -> int:
        return 0


NUMBER_VALUES: list[Any] = [
    0, 1, -1, 11, 10, 1.0, -1.0, 2.5, -2.5, 0.0, -0.0, 10.0, 10.5, True, False, None, "1",
    float("nan"), float("inf"), float("-inf"), 10**30, -(10**30), Decimal("1"), Decimal("-1"),
    Decimal("1.5"), [1], {"a": 1},
]  # fmt: skip
TEXT_VALUES: list[Any] = [
    "a", "b", "", "c", "A", "a ", 1, None, True, ["a"], {"a": 1}, _Text("a"), _Text(""), "\u00e9",
]  # fmt: skip


def test_number_bounds_enums_and_lengths_are_tested_once_with_the_same_answers() -> None:
    source = "from decimal import Decimal\n" + NUMBERS_AND_ENUMS
    before = _run(_module(source))
    code, _ = leaner(source, "validate", ())
    after = _run(_module(code))
    values: list[Any] = [{"count": value} for value in NUMBER_VALUES]
    values += [{"rate": value} for value in NUMBER_VALUES]
    values += [{field: value} for field in ("status", "note") for value in TEXT_VALUES]
    values += [{"size": value} for value in TEXT_VALUES if hasattr(value, "__len__")]
    values += [{"tags": value} for value in TEXT_VALUES]
    values += [{"tags": [value]} for value in TEXT_VALUES] + [{"tags": ["a", "abcd"]}]
    for value in values:
        assert after(value) == before(value), value
    assert after({"count": 3}) and not after({"count": True}) and not after({"rate": -0.5})
    # the bounds test fastjsonschema repeats after a number's type test is gone, ...
    assert "and (not isinstance(data__count, bool))" not in code
    assert "and (not isinstance(data__rate, bool))" not in code
    # ... the enum's string test after the string's own, ...
    assert code.count("isinstance(data__status, str)") == 1
    assert "if data__status not in {'a', 'b'}:" in code
    # ... a string's length of at least one is its truth, where the length is read once and
    # the value is surely a string (not for size, whose type is not tested, nor for tags'
    # items, whose length is read twice) ...
    assert "if not data__note:" in code and "data__note_len" not in code
    assert "data__size_len = len(data__size)" in code
    assert "data__tags_item_len = len(data__tags_item)" in code
    # ... and each tuple of types is made once, not at every test.
    assert "(list, tuple)" not in code.split("def validate")[1]
    assert "(int, float, Decimal)" not in code.split("def validate")[1]
    assert "TYPES_0 = (int, float, Decimal)" in code or "TYPES_1 = (int, float, Decimal)" in code


def test_a_tuple_of_types_is_left_where_one_of_its_names_is_assigned() -> None:
    source = "from decimal import Decimal\n" + NUMBERS_AND_ENUMS.replace(
        "    return data\n", "    tuple = list\n    return data\n"
    )
    code, _ = leaner(source, "validate", ())
    assert "isinstance(data__tags, (list, tuple))" in code
    assert "(int, float, Decimal)" not in code.split("def validate")[1]


def test_decimal_is_a_type_imported_only_when_a_value_is_none_of_the_others() -> None:
    source = "from decimal import Decimal\n" + NUMBERS_AND_ENUMS.replace(
        "(int, float, Decimal)", "(int, Decimal, float)"
    )
    code, _ = leaner(source, "validate", ())
    assert not [
        node
        for node in ast.parse(code).body
        if isinstance(node, (ast.Import, ast.ImportFrom)) and "decimal" in ast.unparse(node)
    ]
    assert "class Decimal(metaclass=_DecimalType)" in code
    assert "= (int, float, Decimal)" in code  # last in its tuple: asked only of the others' misses
    namespace: dict[str, Any] = {}
    exec(compile(_module(code), "<test>", "exec"), namespace)
    stand_in = namespace["Decimal"]
    for value in NUMBER_VALUES + TEXT_VALUES:
        assert isinstance(value, stand_in) == isinstance(value, Decimal), value
    before = _run(_module(source))
    after = _run(_module(code))
    for value in NUMBER_VALUES:
        assert after({"rate": value}) == before({"rate": value}), value
    # Decimal read nowhere: no import, and nothing standing for it
    unread, _ = leaner("from decimal import Decimal\n" + REMEMBERED_DATES, "validate", ())
    assert "decimal" not in unread and "Decimal" not in unread
    # Decimal read any other way: the import stays as written
    for other in ("    limit = Decimal('1.5')\n", "    Decimal = float\n"):
        kept, _ = leaner(source.replace("    return data\n", other + "    return data\n"))
        assert kept.startswith("from decimal import Decimal") and "_DecimalType" not in kept


def test_valid_entities_are_checked_without_importing_decimal() -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from socialgov.schema import validation as v\n"
        "for name in [*v.KIND_FILES.values(), v.CONFIG_FILE]:\n"
        "    for example in v.load_schema(name).get('examples', []):\n"
        "        assert v.check_schema(name, example) == [], (name, example)\n"
        "assert 'decimal' not in sys.modules and 'numbers' not in sys.modules\n"
        "account = {'id': 'acme-x', 'platform': 'x', 'metrics': {'posts_per_month': 'many'}}\n"
        "assert v.check_schema('account.schema.json', account) != []\n"
        "assert 'decimal' in sys.modules  # asked of a value none of the other types is\n"
        "from decimal import Decimal\n"
        "account['metrics']['posts_per_month'] = Decimal('2.5')\n"
        "assert v.check_schema('account.schema.json', account) == []\n"
        "assert v.shipped_check_for('account.schema.json')(account)\n"
    )
    project = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(project / "src")}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


REMEMBERED_DATES = """
def validate(data, custom_formats={}, name_prefix=None):
    if 'day' in data:
        data__day = data['day']
        if not isinstance(data__day, str):
            raise Invalid
        if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}$'].search(data__day):
            raise Invalid
        if not custom_formats['date'](data__day):
            raise Invalid
    if 'when' in data:
        data__when = data['when']
        if not isinstance(data__when, str):
            raise Invalid
        if not REGEX_PATTERNS['^[0-9]{4}-[0-9]{2}-[0-9]{2}$'].search(data__when):
            raise Invalid
        if not custom_formats['mine'](data__when):
            raise Invalid
    return data
"""


def test_a_date_that_passed_its_pattern_and_format_is_remembered_with_both() -> None:
    prelude = "import re\nREGEX_PATTERNS = {}\n"
    code, _ = leaner(prelude + REMEMBERED_DATES, "validate", ())
    namespace: dict[str, Any] = {}
    exec(compile(_module(code), "<test>", "exec"), namespace)
    validate, invalid = namespace["validate"], namespace["Invalid"]
    asked: list[tuple[str, str]] = []

    def judge(name: str) -> Any:
        def format_check(value: str) -> bool:
            asked.append((name, value))
            return value != "2026-02-30"

        return format_check

    formats = {"date": judge("date"), "mine": judge("mine")}

    def check(value: Any) -> bool:
        try:
            validate(value, formats)
        except invalid:
            return False
        return True

    days = ["2026-11-24", "2026-11-24", "2026-02-30", "2026-02-30", "24/11/2026", "2026-11-24"]
    assert [check({"day": day}) for day in days] == [True, True, False, False, False, True]
    # "date" is a pure format: asked once for a string that passed, every time for one that
    # did not (it is not remembered); the pattern refuses the last before it is asked.
    assert asked == [("date", "2026-11-24"), ("date", "2026-02-30"), ("date", "2026-02-30")]
    asked.clear()
    assert [check({"when": day}) for day in days] == [True, True, False, False, False, True]
    # a format this module does not know to be pure is asked every time
    assert [value for _, value in asked] == [*days[:4], days[5]]
