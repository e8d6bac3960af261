"""fastjsonschema's code rewritten to say the same yes or no with less work.

fastjsonschema writes general code: an ``enum`` of strings becomes a chain of ``isinstance(v, str)
and v == 'x' or ...`` (thirty comparisons for an account's platform), an object's keys are copied
into a set and each known key removed from it to find the unknown ones, a regex is looked up by
its source in a dict at every use, a list is walked with ``enumerate`` and measured whether or not
the index and length are read, and a value's type is tested again right after a test that already
raised when it was wrong. Each rewrite here replaces one such shape with code that takes the same
branches for every value, and applies only where the whole shape is there (any other use of the
names involved leaves the code as fastjsonschema wrote it):

- ``isinstance(v, str) and v == 'a' or isinstance(v, str) and v == 'b' ...`` becomes
  ``isinstance(v, str) and v in {'a', 'b', ...}`` (a constant frozenset; for a string, equal to
  one of them is being in the set);
- ``keys = set(d.keys())``, then ``if 'p' in keys: keys.remove('p'); ...`` for each property and
  ``if keys: raise Invalid`` becomes ``if 'p' in d: ...`` and ``if not d.keys() <= KNOWN: raise
  Invalid``: what is left in ``keys`` at the end is exactly the keys of ``d`` outside the removed
  names, as nothing else touches it (without that test, the set and removals simply go);
- ``keys = set(d.keys())`` then ``for key in keys: if key not in []: value = d.get(key); ...``
  becomes ``for key, value in d.items(): ...``;
- ``missing = set([...]) - d.keys()`` then ``if missing: raise Invalid`` becomes ``if 'a' not in d
  or ...: raise Invalid``;
- ``REGEX_PATTERNS[p].search`` becomes a module name bound once to ``re.compile(p).search``
  (the schema's own pattern, as jsonschema searches it: see _bind_regexes);
- ``if not isinstance(v, T): raise Invalid`` followed by ``if isinstance(v, T): body`` (or by
  ``v_is = isinstance(v, T)`` and ``if v_is: body``) keeps the first and runs ``body`` directly;
- after ``if not isinstance(v, str): raise Invalid``, the tests that depend on the string alone
  (its length, a regex) run only for a string not seen passing them at that place before (see
  _remember_strings; up to REMEMBERED strings a place, never an entity's own id);
- ``for v_x, v_item in enumerate(v)`` with ``v_x`` unread becomes ``for v_item in v``, and a length
  ``v_len = len(v)`` or a type test ``v_is_list = isinstance(v, T)`` never read is dropped (after
  the tests before them, neither has an effect).
- after a number's type test (fastjsonschema's for "integer" or "number"), the test
  ``isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)`` before its bounds is true:
  the bounds run directly; after ``if not isinstance(v, str): raise Invalid``, a conjunct
  ``isinstance(v, str)`` of a test that raises goes (``not (isinstance(v, str) and v in S)``
  becomes ``v not in S``), and ``v_len = len(v)`` then ``if v_len < 1: raise Invalid`` (the
  length read nowhere else) becomes ``if not v: raise Invalid``;
- a place that remembers strings remembers that they passed their format too, for the formats
  whose check answers from the string alone (PURE_FORMATS);
- ``isinstance(v, (list, tuple))`` and every other tuple of plain type names becomes a module
  name bound once to that tuple (_type_tuples).

tests/test_leaner.py compares the rewritten checks with jsonschema on strangers' entities (and
tests/test_fastcheck.py on examples and mutations).
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterator


def leaner(
    source: str, entry: str = "", unique: tuple[str, ...] = ()
) -> tuple[str, tuple[str, ...]]:
    """``source`` (fastjsonschema's code, failures made bare) with the rewrites above, and with
    the test that each property in ``unique`` of the value given to the function ``entry`` (a
    list of strings) holds no string twice, where that property's check is found; the properties
    whose test could not be written in are returned, for the caller to test."""
    module = ast.parse(source)
    _without_names_for_messages(module)
    regexes = _bind_regexes(module)
    constants: list[ast.stmt] = []
    # A function that reads its names through locals() keeps them all: only its enums change.
    functions = [node for node in module.body if isinstance(node, ast.FunctionDef)]
    plain = [function for function in functions if not _reads_locals(function)]
    for function in functions:
        _Enums().visit(function)
    for function in plain:
        _known_keys(function, constants)
        _items_loops(function)
        _simpler_tests(function.body, function)
        _plain_loops(function)
    for function in plain:
        _truthy_lengths(function)
        own_id = _own_id(function) if function.name == entry else None
        _remember_strings(function, function.body, constants, own_id)
    _decimal_when_asked(module)
    _type_tuples(module, constants)
    at = _after_imports(module)
    module.body[at:at] = [*regexes, *constants]
    left = tuple(name for name in unique if not _unique_inline(module, entry, name))
    return ast.unparse(ast.fix_missing_locations(module)), left


def _simpler_tests(body: list[ast.stmt], function: ast.FunctionDef) -> None:
    """The type-test and required-key rewrites in ``body`` (a statement list of ``function``)
    and every statement list inside it."""
    body[:] = _without_repeated_type_tests(body)
    _required_keys(body, function)
    for statement in body:
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(statement, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                _simpler_tests(inner, function)
        for handler in getattr(statement, "handlers", ()):
            _simpler_tests(handler.body, function)


def _loads(node: ast.AST) -> Counter[str]:
    """How often each name is read in ``node``."""
    return Counter(
        part.id
        for part in ast.walk(node)
        if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Load)
    )


def _bodies(node: ast.AST) -> Iterator[list[ast.stmt]]:
    """Every statement list inside ``node``, outer ones first."""
    for child in ast.walk(node):
        for field in ("body", "orelse", "finalbody"):
            value = getattr(child, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                yield value
        for handler in getattr(child, "handlers", ()):
            yield handler.body


def _assigns(node: ast.stmt, name: str) -> bool:
    return (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id == name
    )


def _after_imports(module: ast.Module) -> int:
    """Where the module's imports (and the classes standing for one: _decimal_when_asked) end."""
    at = 0
    for index, node in enumerate(module.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)) or (
            isinstance(node, ast.ClassDef) and node.name in _STANDING_IN
        ):
            at = index + 1
    return at


def _name(node: ast.AST | None) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _raises_only(body: list[ast.stmt]) -> bool:
    return len(body) == 1 and isinstance(body[0], ast.Raise)


# -- strings remembered --------------------------------------------------------------------


REMEMBERED = 8192
"""How many strings each place in a check remembers as passed: a full place holds about 0.5 MB
of set and, in a process that outlives its model (the language server), as much again of the
strings it keeps alive."""


def _own_id(function: ast.FunctionDef) -> str | None:
    """The name given ``data['id']`` in ``function`` (the entity's own id: unique, so never worth
    remembering)."""
    if not function.args.args:
        return None
    data = function.args.args[0].arg
    wanted = ast.dump(ast.Subscript(ast.Name(data, ast.Load()), ast.Constant("id"), ast.Load()))
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and ast.dump(node.value) == wanted
        ):
            return node.targets[0].id
    return None


def _remember_strings(
    function: ast.FunctionDef,
    body: list[ast.stmt],
    constants: list[ast.stmt],
    own_id: str | None,
) -> None:
    """After ``if not isinstance(v, str): raise Invalid``, the tests of ``v`` that depend on
    nothing but ``v`` (its length, regexes) run only for a string not seen passing them at that
    place before: ``if v not in SEEN_n: <tests>; SEEN_n.add(v)`` (up to REMEMBERED strings). A
    repository names the same people, teams and policies again and again; each is tested once."""
    index = 0
    while index < len(body):
        statement = body[index]
        for inner in _lists(statement):
            _remember_strings(function, inner, constants, own_id)
        guard = _guard(statement)
        value = _isinstance_of(statement.test.operand) if guard else None  # type: ignore[attr-defined]
        if value is None or value[1] != "str" or value[0] == own_id:
            index += 1
            continue
        name = value[0]
        end = index + 1
        assigned: set[str] = set()
        while end < len(body) and _pure_test(body[end], name, assigned):
            end += 1
        block = body[index + 1 : end]
        searches = any(
            isinstance(node, ast.Call) and (_name(node.func) or "").startswith("SEARCH_")
            for statement in block
            for node in ast.walk(statement)
        )
        elsewhere = _loads(function) - _loads(ast.Module(block, []))
        if not searches or any(elsewhere[name] for name in assigned):
            index += 1
            continue
        seen = f"SEEN_{sum(1 for c in constants if _assigns_prefix(c, 'SEEN_'))}"
        constants.append(
            ast.Assign([ast.Name(seen, ast.Store())], ast.Call(ast.Name("set", ast.Load()), [], []))
        )
        remember = ast.If(
            ast.Compare(
                ast.Call(ast.Name("len", ast.Load()), [ast.Name(seen, ast.Load())], []),
                [ast.Lt()],
                [ast.Constant(REMEMBERED)],
            ),
            [
                ast.Expr(
                    ast.Call(
                        ast.Attribute(ast.Name(seen, ast.Load()), "add", ast.Load()),
                        [ast.Name(name, ast.Load())],
                        [],
                    )
                )
            ],
            [],
        )
        test = ast.Compare(ast.Name(name, ast.Load()), [ast.NotIn()], [ast.Name(seen, ast.Load())])
        body[index + 1 : end] = [ast.If(test, [*block, remember], [])]
        index += 2


def _assigns_prefix(node: ast.stmt, prefix: str) -> bool:
    return (
        isinstance(node, ast.Assign)
        and len(node.targets) == 1
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.startswith(prefix)
    )


def _pure_test(statement: ast.stmt, name: str, assigned: set[str]) -> bool:
    """Whether ``statement`` is ``x = len(name)`` or ``if <test>: raise Invalid`` whose test
    reads only ``name``, names assigned so (``assigned``, added to), constants and calls of
    ``len`` and the bound regexes: its effect depends on the string ``name`` alone."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and _length(statement.value)
        and _name(statement.value.args[0]) == name  # type: ignore[attr-defined]
    ):
        assigned.add(statement.targets[0].id)
        return True
    if not (isinstance(statement, ast.If) and not statement.orelse):
        return False
    if not (_raises_only(statement.body) and _name(statement.body[0].exc) == "Invalid"):  # type: ignore[attr-defined]
        return False
    formats = {
        id(part)
        for node in ast.walk(statement.test)
        if _pure_format(node)
        for part in ast.walk(node)
    }
    for node in ast.walk(statement.test):
        if id(node) in formats:
            continue
        if isinstance(node, ast.Call):
            called = _name(node.func) or ""
            pure = called == "len" or called.startswith("SEARCH_") or id(node.func) in formats
            if not pure or node.keywords:
                return False
            if len(node.args) != 1 or _name(node.args[0]) != name:
                return False
        elif isinstance(node, ast.Name):
            known = node.id in (name, "len") or node.id in assigned
            if not known and not node.id.startswith("SEARCH_"):
                return False
        elif not isinstance(
            node,
            (
                ast.Compare,
                ast.BoolOp,
                ast.UnaryOp,
                ast.Constant,
                ast.cmpop,
                ast.boolop,
                ast.unaryop,
                ast.expr_context,
            ),
        ):
            return False
    return True


PURE_FORMATS = frozenset({"date", "date-time", "email", "uri", "uri-reference"})
"""The formats whose check (socialgov.schema.fastcheck.format_checks: jsonschema's format
checker, with its common valid forms told first) answers from the string alone: a place that
remembers the strings passing its pattern remembers that they passed these too. Any other
format is asked every time (a caller's own function may not be pure)."""


def _pure_format(node: ast.AST) -> bool:
    """Whether ``node`` is ``custom_formats['f']`` with f in PURE_FORMATS."""
    if isinstance(node, ast.Subscript):
        return (
            _name(node.value) == "custom_formats"
            and isinstance(node.slice, ast.Constant)
            and node.slice.value in PURE_FORMATS
        )
    return False


# -- unique strings -------------------------------------------------------------------------


def _unique_inline(module: ast.Module, entry: str, name: str) -> bool:
    """Whether ``if len(v) > 1 and len(set(v)) != len(v): raise Invalid`` could be added at the
    end of ``if 'name' in data: v = data['name']; ...`` in the statements of ``entry`` (its
    value's property checked once, the list's items checked as strings above it)."""
    function = next(
        (node for node in module.body if isinstance(node, ast.FunctionDef) and node.name == entry),
        None,
    )
    if function is None or not function.args.args:
        return False
    data = function.args.args[0].arg
    found = [
        statement
        for statement in function.body
        if isinstance(statement, ast.If)
        and not statement.orelse
        and isinstance(statement.test, ast.Compare)
        and _membership(statement.test, data) == name
        and isinstance(statement.body[0], ast.Assign)
        and len(statement.body[0].targets) == 1
        and isinstance(statement.body[0].targets[0], ast.Name)
        and ast.dump(statement.body[0].value)
        == ast.dump(ast.Subscript(ast.Name(data, ast.Load()), ast.Constant(name), ast.Load()))
    ]
    if len(found) != 1:
        return False
    block = found[0]
    value = block.body[0].targets[0].id  # type: ignore[attr-defined]
    if not any(
        isinstance(node, ast.Name) and node.id == value and isinstance(node.ctx, ast.Store)
        for node in ast.walk(block)
    ):
        return False
    length = ast.Call(ast.Name("len", ast.Load()), [ast.Name(value, ast.Load())], [])
    distinct = ast.Call(
        ast.Name("len", ast.Load()),
        [ast.Call(ast.Name("set", ast.Load()), [ast.Name(value, ast.Load())], [])],
        [],
    )
    block.body.append(
        ast.If(
            ast.BoolOp(
                ast.And(),
                [
                    ast.Compare(length, [ast.Gt()], [ast.Constant(1)]),
                    ast.Compare(distinct, [ast.NotEq()], [length]),
                ],
            ),
            [ast.Raise(ast.Name("Invalid", ast.Load()))],
            [],
        )
    )
    return True


# -- messages ---------------------------------------------------------------------------------


def _without_names_for_messages(module: ast.Module) -> None:
    """``None`` for the name a subschema's function is given for its messages (``(name_prefix
    or 'data') + '.x[{data__x_x}]'.format(**locals())``, once per item), if nothing but such
    calls reads ``name_prefix``: the messages are gone (failures are bare)."""
    calls = [
        node
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id.startswith("validate")
        and len(node.args) == 3
        and not node.keywords
    ]
    passed = {id(node) for call in calls for node in ast.walk(call.args[2])}
    for node in ast.walk(module):
        if isinstance(node, ast.Name) and node.id == "name_prefix" and id(node) not in passed:
            return
    for call in calls:
        call.args[2] = ast.Constant(None)


def _reads_locals(function: ast.FunctionDef) -> bool:
    return any(_name(node) in ("locals", "vars", "eval", "exec") for node in ast.walk(function))


# -- enums ------------------------------------------------------------------------------------


def _string_choice(node: ast.expr) -> tuple[str, str] | None:
    """(v, 'a') for ``isinstance(v, str) and v == 'a'``."""
    if not (isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And)):
        return None
    if len(node.values) != 2:
        return None
    kind, compare = node.values
    name = _isinstance_of(kind)
    if name is None or name[1] != "str":
        return None
    if (
        isinstance(compare, ast.Compare)
        and _name(compare.left) == name[0]
        and len(compare.ops) == 1
        and isinstance(compare.ops[0], ast.Eq)
        and isinstance(compare.comparators[0], ast.Constant)
        and type(compare.comparators[0].value) is str
    ):
        return name[0], compare.comparators[0].value
    return None


def _isinstance_of(node: ast.expr) -> tuple[str, str] | None:
    """(v, 'T') for ``isinstance(v, T)`` with a plain name T."""
    if (
        isinstance(node, ast.Call)
        and _name(node.func) == "isinstance"
        and len(node.args) == 2
        and not node.keywords
    ):
        value, kind = node.args
        if isinstance(value, ast.Name) and isinstance(kind, ast.Name):
            return value.id, kind.id
    return None


class _Enums(ast.NodeTransformer):
    def visit_BoolOp(self, node: ast.BoolOp) -> ast.expr:
        self.generic_visit(node)
        if not isinstance(node.op, ast.Or) or len(node.values) < 2:
            return node
        choices = [_string_choice(value) for value in node.values]
        if any(choice is None for choice in choices):
            return node
        names = {choice[0] for choice in choices if choice is not None}
        if len(names) != 1:
            return node
        (name,) = names
        words = sorted({choice[1] for choice in choices if choice is not None})
        kept = ast.Set(elts=[ast.Constant(word) for word in words])
        return ast.copy_location(
            ast.BoolOp(
                op=ast.And(),
                values=[
                    ast.Call(
                        ast.Name("isinstance", ast.Load()),
                        [ast.Name(name, ast.Load()), ast.Name("str", ast.Load())],
                        [],
                    ),
                    ast.Compare(ast.Name(name, ast.Load()), [ast.In()], [kept]),
                ],
            ),
            node,
        )


# -- known keys -------------------------------------------------------------------------------


def _set_of_keys(node: ast.stmt) -> tuple[str, str] | None:
    """(keys, d) for ``keys = set(d.keys())``."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
        return None
    target, value = _name(node.targets[0]), node.value
    if (
        target is not None
        and isinstance(value, ast.Call)
        and _name(value.func) == "set"
        and len(value.args) == 1
        and not value.keywords
        and _keys_of(value.args[0]) is not None
    ):
        return target, _keys_of(value.args[0])  # type: ignore[return-value]
    return None


def _keys_of(node: ast.expr) -> str | None:
    """d for ``d.keys()``."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "keys"
        and not node.args
        and not node.keywords
    ):
        return _name(node.func.value)
    return None


def _membership(node: ast.expr, container: str) -> str | None:
    """'p' for ``'p' in container``."""
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], ast.In)
        and _name(node.comparators[0]) == container
        and isinstance(node.left, ast.Constant)
        and type(node.left.value) is str
    ):
        return node.left.value
    return None


def _removal(node: ast.stmt, container: str) -> str | None:
    """'p' for the statement ``container.remove('p')``."""
    if not isinstance(node, ast.Expr):
        return None
    call = node.value
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "remove"
        and _name(call.func.value) == container
        and len(call.args) == 1
        and not call.keywords
        and isinstance(call.args[0], ast.Constant)
        and type(call.args[0].value) is str
    ):
        return call.args[0].value
    return None


def _known_keys(function: ast.FunctionDef, constants: list[ast.stmt]) -> None:
    for body in list(_bodies(function)):
        for start, node in enumerate(body):
            found = _set_of_keys(node)
            if found is None:
                continue
            keys, mapping = found
            known = _known_keys_in(body[start + 1 :], keys)
            if known is None:
                continue
            removed, final = known
            final += start + 1
            if not removed and not any(
                isinstance(statement, ast.If) and _name(statement.test) == keys
                for statement in body[start + 1 : final + 1]
            ):
                continue
            region = _own(body[start : final + 1])
            if not _dead(body[final + 1 :], keys) or not _dead_outside(
                body, keys, _parents(function), region
            ):
                continue
            name = f"KNOWN_{len(constants)}"
            constants.append(
                ast.Assign(
                    [ast.Name(name, ast.Store())],
                    ast.Call(
                        ast.Name("frozenset", ast.Load()),
                        [ast.Set([ast.Constant(key) for key in removed])] if removed else [],
                        [],
                    ),
                )
            )
            for statement in body[start + 1 : final + 1]:
                if not isinstance(statement, ast.If):
                    continue
                if _name(statement.test) == keys:
                    statement.test = ast.UnaryOp(
                        ast.Not(),
                        ast.Compare(
                            ast.Call(
                                ast.Attribute(ast.Name(mapping, ast.Load()), "keys", ast.Load()),
                                [],
                                [],
                            ),
                            [ast.LtE()],
                            [ast.Name(name, ast.Load())],
                        ),
                    )
                elif _membership(statement.test, keys) is not None:
                    statement.test.comparators[0] = ast.Name(mapping, ast.Load())  # type: ignore[attr-defined]
                    del statement.body[0]
                    if not statement.body:
                        statement.body.append(ast.Pass())
            del body[start]
            break


def _known_keys_in(rest: list[ast.stmt], keys: str) -> tuple[list[str], int] | None:
    """The names removed from ``keys`` and the index of the last test, if ``rest`` (the
    statements after its assignment) reads ``keys`` only in ``if 'p' in keys: keys.remove('p');
    ...`` (``keys`` not read in the rest of that block) and then, if at all, in one ``if keys:
    raise Invalid`` (the index is that of the last statement when there is none)."""
    removed: list[str] = []
    for index, statement in enumerate(rest):
        if isinstance(statement, ast.If) and not statement.orelse:
            word = _membership(statement.test, keys)
            if word is not None and statement.body and _removal(statement.body[0], keys) == word:
                if any(
                    _name(node) == keys for part in statement.body[1:] for node in ast.walk(part)
                ):
                    return None
                removed.append(word)
                continue
            if _name(statement.test) == keys and _raises_only(statement.body):
                if len(set(removed)) != len(removed):
                    return None
                return removed, index
        if any(_name(node) == keys for node in ast.walk(statement)):
            return None
    return removed, len(rest) - 1  # no test of what is left: only the removals go


_LISTS = ("body", "orelse", "finalbody")


def _lists(statement: ast.stmt) -> list[list[ast.stmt]]:
    """The statement lists directly inside ``statement``."""
    found = [getattr(statement, field, None) for field in _LISTS]
    found += [handler.body for handler in getattr(statement, "handlers", ())]
    return [body for body in found if isinstance(body, list)]


def _parents(function: ast.FunctionDef) -> dict[int, tuple[list[ast.stmt], int]]:
    """For each statement list in ``function`` (by id), the list and index of the statement
    holding it."""
    parents: dict[int, tuple[list[ast.stmt], int]] = {}

    def visit(body: list[ast.stmt]) -> None:
        for index, statement in enumerate(body):
            for inner in _lists(statement):
                parents[id(inner)] = (body, index)
                visit(inner)

    visit(function.body)
    return parents


def _dead(statements: list[ast.stmt], name: str) -> bool:
    """Whether running ``statements`` never reads ``name`` before assigning it anew (told
    conservatively: a read anywhere but after an assignment at the same level counts)."""
    for statement in statements:
        if isinstance(statement, ast.Assign) and any(
            _name(target) == name for target in statement.targets
        ):
            return not any(_name(node) == name for node in ast.walk(statement.value))
        inner = _lists(statement)
        inner_ids = {id(body) for body in inner}
        for field, value in ast.iter_fields(statement):
            if (isinstance(value, list) and id(value) in inner_ids) or field == "handlers":
                continue
            nodes = value if isinstance(value, list) else [value]
            for node in nodes:
                if isinstance(node, ast.AST) and any(
                    _name(part) == name for part in ast.walk(node)
                ):
                    return False
        for handler in getattr(statement, "handlers", ()):
            if handler.type is not None and any(
                _name(part) == name for part in ast.walk(handler.type)
            ):
                return False
        if not all(_dead(body, name) for body in inner):
            return False
    return True


def _dead_outside(
    body: list[ast.stmt],
    name: str,
    parents: dict[int, tuple[list[ast.stmt], int]],
    region: set[ast.AST],
) -> bool:
    """Whether nothing run after ``body`` (in the statements holding it, up to the function)
    reads ``name`` before assigning it anew. Inside a loop, anything of the loop outside
    ``region`` (the rewritten statements) may run after them: there ``name`` must not appear;
    inside a ``try``, its handlers and other parts may run after them."""
    while id(body) in parents:
        outer, index = parents[id(body)]
        holder = outer[index]
        others = [inner for inner in _lists(holder) if inner is not body]
        if isinstance(holder, (ast.For, ast.While)) and any(
            _name(node) == name for node in ast.walk(holder) if node not in region
        ):
            return False
        if not all(_dead(inner, name) for inner in others) or not _dead(outer[index + 1 :], name):
            return False
        body = outer
    return True


def _own(body: list[ast.stmt]) -> set[ast.AST]:
    return {node for statement in body for node in ast.walk(statement)}


def _items_loops(function: ast.FunctionDef) -> None:
    """``keys = set(d.keys())`` then ``for key in keys: if key not in []: value = d.get(key);
    ...`` (an object with only ``additionalProperties``) as ``for key, value in d.items(): ...``
    (the same pairs; the order does not change a yes or no), where ``keys`` is read nowhere
    else."""
    for body in list(_bodies(function)):
        for start in range(len(body) - 1):
            found = _set_of_keys(body[start])
            loop = body[start + 1]
            if found is None or not isinstance(loop, ast.For) or loop.orelse:
                continue
            keys, mapping = found
            key = _name(loop.target)
            if key is None or _name(loop.iter) != keys or len(loop.body) != 1:
                continue
            test = loop.body[0]
            if not (
                isinstance(test, ast.If)
                and not test.orelse
                and ast.dump(test.test)
                == ast.dump(
                    ast.Compare(
                        ast.Name(key, ast.Load()), [ast.NotIn()], [ast.List([], ast.Load())]
                    )
                )
                and isinstance(test.body[0], ast.Assign)
                and len(test.body[0].targets) == 1
                and _name(test.body[0].targets[0]) is not None
            ):
                continue
            value = _name(test.body[0].targets[0])
            got = ast.Call(
                ast.Attribute(ast.Name(mapping, ast.Load()), "get", ast.Load()),
                [ast.Name(key, ast.Load())],
                [],
            )
            if ast.dump(test.body[0].value) != ast.dump(got) or len(test.body) < 2:
                continue
            region = _own(body[start : start + 2])
            if not _dead(body[start + 2 :], keys) or not _dead_outside(
                body, keys, _parents(function), region
            ):
                continue
            loop.target = ast.Tuple(
                [ast.Name(key, ast.Store()), ast.Name(value, ast.Store())], ast.Store()
            )
            loop.iter = ast.Call(
                ast.Attribute(ast.Name(mapping, ast.Load()), "items", ast.Load()), [], []
            )
            loop.body = test.body[1:]
            del body[start]
            break


# -- required keys ----------------------------------------------------------------------------


def _required_keys(body: list[ast.stmt], function: ast.FunctionDef) -> None:
    """``missing = set([...]) - d.keys()`` and ``if missing: raise`` in ``body`` as one test of
    each name, where nothing run after them reads ``missing`` before assigning it anew."""
    index = 0
    while index + 1 < len(body):
        node, following = body[index], body[index + 1]
        required = _missing(node)
        if (
            required is None
            or not isinstance(following, ast.If)
            or following.orelse
            or _name(following.test) != required[0]
            or not _raises_only(following.body)
            or not _dead(body[index + 2 :], required[0])
            or not _dead_outside(body, required[0], _parents(function), _own([node, following]))
        ):
            index += 1
            continue
        _, mapping, words = required
        tests: list[ast.expr] = [
            ast.Compare(ast.Constant(word), [ast.NotIn()], [ast.Name(mapping, ast.Load())])
            for word in words
        ]
        test = tests[0] if len(tests) == 1 else ast.BoolOp(ast.Or(), tests)
        body[index : index + 2] = [ast.If(test, following.body, [])]
        index += 1


def _missing(node: ast.stmt) -> tuple[str, str, list[str]] | None:
    """(missing, d, names) for ``missing = set([names]) - d.keys()``."""
    if not (isinstance(node, ast.Assign) and len(node.targets) == 1):
        return None
    target, value = _name(node.targets[0]), node.value
    if target is None or not (isinstance(value, ast.BinOp) and isinstance(value.op, ast.Sub)):
        return None
    mapping = _keys_of(value.right)
    wanted = value.left
    if (
        mapping is None
        or not isinstance(wanted, ast.Call)
        or _name(wanted.func) != "set"
        or len(wanted.args) != 1
        or not isinstance(wanted.args[0], ast.List)
        or not wanted.args[0].elts
    ):
        return None
    words = []
    for item in wanted.args[0].elts:
        if not (isinstance(item, ast.Constant) and type(item.value) is str):
            return None
        words.append(item.value)
    return target, mapping, words


# -- type tests -------------------------------------------------------------------------------


def _guard(node: ast.stmt) -> str | None:
    """The dumped ``isinstance(...)`` call of ``if not isinstance(...): raise Invalid``."""
    if (
        isinstance(node, ast.If)
        and not node.orelse
        and _raises_only(node.body)
        and isinstance(node.test, ast.UnaryOp)
        and isinstance(node.test.op, ast.Not)
        and isinstance(node.test.operand, ast.Call)
        and _name(node.test.operand.func) == "isinstance"
    ):
        return ast.dump(node.test.operand)
    return None


_NUMBER_GUARDS = (
    # fastjsonschema's "integer" type test, then its "number" type test: each raises unless
    # the value is an int or float (an integral one, for "integer") and not a bool.
    "not isinstance({v}, int) and (not (isinstance({v}, float) and {v}.is_integer()))"
    " or isinstance({v}, bool)",
    "not isinstance({v}, (int, float, Decimal)) or isinstance({v}, bool)",
)
_NUMBER = "isinstance({v}, (int, float, Decimal)) and (not isinstance({v}, bool))"
"""fastjsonschema's test before a number's bounds: true of every value past a number guard."""


def _template(text: str, name: str) -> str:
    return ast.dump(ast.parse(text.format(v=name), mode="eval").body)


def _number_guard(node: ast.stmt) -> str | None:
    """The name tested by ``if <a number guard>: raise Invalid`` (_NUMBER_GUARDS)."""
    if not (
        isinstance(node, ast.If)
        and not node.orelse
        and _raises_only(node.body)
        and isinstance(node.test, ast.BoolOp)
        and isinstance(node.test.op, ast.Or)
    ):
        return None
    last = _isinstance_of(node.test.values[-1])
    if last is None or last[1] != "bool":
        return None
    test = ast.dump(node.test)
    if any(test == _template(guard, last[0]) for guard in _NUMBER_GUARDS):
        return last[0]
    return None


def _stores(node: ast.AST) -> bool:
    return any(
        isinstance(part, ast.Name) and not isinstance(part.ctx, ast.Load) for part in ast.walk(node)
    )


def _without_guarded(test: ast.expr, guarded: dict[str, str]) -> ast.expr:
    """``not (A and B ...)`` without the conjuncts known true (type tests in ``guarded``);
    ``not (v in S)`` written ``v not in S``."""
    if not (
        isinstance(test, ast.UnaryOp)
        and isinstance(test.op, ast.Not)
        and isinstance(test.operand, ast.BoolOp)
        and isinstance(test.operand.op, ast.And)
    ):
        return test
    kept = [value for value in test.operand.values if ast.dump(value) not in guarded]
    if len(kept) == len(test.operand.values) or not kept:
        return test
    if len(kept) > 1:
        return ast.UnaryOp(ast.Not(), ast.BoolOp(ast.And(), kept))
    (only,) = kept
    if isinstance(only, ast.Compare) and len(only.ops) == 1 and isinstance(only.ops[0], ast.In):
        return ast.Compare(only.left, [ast.NotIn()], only.comparators)
    return ast.UnaryOp(ast.Not(), only)


def _without_repeated_type_tests(body: list[ast.stmt]) -> list[ast.stmt]:
    result: list[ast.stmt] = []
    guarded: dict[str, str] = {}
    """The type tests that have raised already if false (cleared at anything else), with the
    name each tests."""
    flags: dict[str, str] = {}
    """Names assigned a guarded type test, by name."""
    for node in body:
        guard = _guard(node)
        if guard is not None:
            guarded[guard] = _name(node.test.operand.args[0]) or ""  # type: ignore[attr-defined]
            result.append(node)
            continue
        number = _number_guard(node)
        if number is not None:
            guarded[_template(_NUMBER, number)] = number
            result.append(node)
            continue
        if (
            isinstance(node, ast.If)
            and not node.orelse
            and _raises_only(node.body)
            and _name(node.body[0].exc) == "Invalid"  # type: ignore[attr-defined]
            and not _stores(node.test)
        ):
            # A test that only raises leaves every guard true after it.
            node.test = _without_guarded(node.test, guarded)
            result.append(node)
            continue
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and ast.dump(node.value) in guarded
        ):
            flags[node.targets[0].id] = ast.dump(node.value)
            result.append(node)
            continue
        if isinstance(node, ast.If) and not node.orelse:
            test = node.test
            flag = flags.get(test.id) if isinstance(test, ast.Name) else None
            if (flag is not None and flag in guarded) or ast.dump(test) in guarded:
                result.extend(node.body)
                stored = {
                    part.id
                    for statement in node.body
                    for part in ast.walk(statement)
                    if isinstance(part, ast.Name) and isinstance(part.ctx, ast.Store)
                }
                if stored & set(guarded.values()) or stored & set(flags):
                    guarded.clear()  # a tested name assigned anew: its tests no longer hold
                    flags.clear()
                continue
        guarded.clear()
        flags.clear()
        result.append(node)
    return result


# -- loops and lengths ------------------------------------------------------------------------


def _plain_loops(function: ast.FunctionDef) -> None:
    reads = Counter(
        node.id
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    )
    for node in ast.walk(function):
        if (
            isinstance(node, ast.For)
            and isinstance(node.target, ast.Tuple)
            and len(node.target.elts) == 2
            and all(isinstance(elt, ast.Name) for elt in node.target.elts)
            and isinstance(node.iter, ast.Call)
            and _name(node.iter.func) == "enumerate"
            and len(node.iter.args) == 1
            and not node.iter.keywords
            and reads[node.target.elts[0].id] == 0  # type: ignore[attr-defined]
        ):
            node.target = node.target.elts[1]
            node.iter = node.iter.args[0]
    # A type test or length that nothing reads goes: never read at all, or (fastjsonschema's
    # root ``data_is_dict = isinstance(data, dict)`` before an if/then whose every branch
    # assigns it anew before reading it) read only after it is assigned anew. Told on the
    # function as written, then removed, so that the places _dead_outside reads stay put.
    parents = _parents(function)
    unread = set()
    for body in _bodies(function):
        for index, node in enumerate(body):
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and (_type_test(node.value) or _length(node.value))
            ):
                continue
            name = node.targets[0].id
            if reads[name] == 0 or (
                _dead(body[index + 1 :], name)
                and _dead_outside(body, name, parents, _own(body[index : index + 1]))
            ):
                unread.add(id(node))
    for body in _bodies(function):
        body[:] = [node for node in body if id(node) not in unread] or [ast.Pass()]


def _truthy_lengths(function: ast.FunctionDef) -> None:
    """After ``if not isinstance(v, str): raise Invalid``, ``v_len = len(v)`` and ``if v_len <
    1: raise Invalid`` (a ``minLength`` of 1, ``v_len`` read nowhere else) as ``if not v: raise
    Invalid``: a string is false exactly when its length is 0 (both ask its length), and the
    length is not asked for in a call of ``len``."""
    reads = _loads(function)
    for body in list(_bodies(function)):
        index = 0
        while index + 1 < len(body):
            assign, test = body[index], body[index + 1]
            value = _short_string(assign, test, reads)
            if value is None or not _str_guarded(body[:index], value):
                index += 1
                continue
            body[index : index + 2] = [
                ast.If(
                    ast.UnaryOp(ast.Not(), ast.Name(value, ast.Load())),
                    [ast.Raise(ast.Name("Invalid", ast.Load()))],
                    [],
                )
            ]
            index += 1


def _short_string(assign: ast.stmt, test: ast.stmt, reads: Counter[str]) -> str | None:
    """v for ``n = len(v)`` then ``if n < 1: raise Invalid``, with ``n`` read there alone."""
    if not (
        isinstance(assign, ast.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0], ast.Name)
        and _length(assign.value)
    ):
        return None
    length = assign.targets[0].id
    if reads[length] != 1 or not (
        isinstance(test, ast.If)
        and not test.orelse
        and _raises_only(test.body)
        and _name(test.body[0].exc) == "Invalid"  # type: ignore[attr-defined]
        and ast.dump(test.test)
        == ast.dump(ast.Compare(ast.Name(length, ast.Load()), [ast.Lt()], [ast.Constant(1)]))
    ):
        return None
    return _name(assign.value.args[0])  # type: ignore[attr-defined]


def _str_guarded(before: list[ast.stmt], name: str) -> bool:
    """Whether ``before`` (the statements before a point) ends in ``if not isinstance(name,
    str): raise Invalid`` followed only by tests that raise, and assignments that leave
    ``name`` alone."""
    wanted = _template("isinstance({v}, str)", name)
    for statement in reversed(before):
        if _guard(statement) == wanted:
            return True
        if isinstance(statement, ast.If) and not statement.orelse and _raises_only(statement.body):
            if _stores(statement.test):
                return False
            continue
        if isinstance(statement, ast.Assign) and not any(
            _name(target) == name for target in statement.targets
        ):
            if _stores(statement.value):
                return False
            continue
        return False
    return False


def _type_tuples(module: ast.Module, constants: list[ast.stmt]) -> None:
    """``isinstance(v, (list, tuple))`` (any tuple of plain names: builtins, or ``Decimal``
    imported by the module) as ``isinstance(v, TYPES_n)``, the tuple made once instead of at
    every test (three instructions and a tuple allocated and freed, for each list and number
    checked). Only where no function assigns any of the names."""
    assigned = {
        node.id
        for node in ast.walk(module)
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
    }
    made: dict[tuple[str, ...], str] = {}

    class Hoist(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.expr:
            self.generic_visit(node)
            if not (_type_test(node) and isinstance(node.args[1], ast.Tuple)):
                return node
            names = tuple(_name(kind) or "" for kind in node.args[1].elts)
            if set(names) & assigned:
                return node
            if names not in made:
                made[names] = f"TYPES_{len(made)}"
                constants.append(
                    ast.Assign(
                        [ast.Name(made[names], ast.Store())],
                        ast.Tuple([ast.Name(kind, ast.Load()) for kind in names], ast.Load()),
                    )
                )
            node.args[1] = ast.Name(made[names], ast.Load())
            return node

    for node in module.body:
        if isinstance(node, ast.FunctionDef):
            Hoist().visit(node)


_DECIMAL_WHEN_ASKED = '''
class _DecimalType(type):

    def __instancecheck__(cls, value):
        from decimal import Decimal
        return isinstance(value, Decimal)


class Decimal(metaclass=_DecimalType):
    """decimal.Decimal to isinstance, imported when a value is none of the types before it."""
'''
"""What stands for ``from decimal import Decimal`` in a check that reads ``Decimal`` only as a
type given to ``isinstance``: the same answer for every value, without importing decimal (and
numbers) until a value is asked about that is none of the other types of its test."""
_STANDING_IN = frozenset({"_DecimalType", "Decimal"})
"""The classes _DECIMAL_WHEN_ASKED defines, which stand where an import was."""


def _decimal_when_asked(module: ast.Module) -> None:
    """``from decimal import Decimal`` as _DECIMAL_WHEN_ASKED's class, where every read of
    ``Decimal`` is a type given to ``isinstance`` (alone or in a tuple), with ``Decimal`` put last
    in each tuple (``isinstance`` with a tuple is true when any of its types is, whatever their
    order; a value parsed from YAML or JSON then reaches ``Decimal`` only when it is none of the
    others: an invalid value). Every cold run imported decimal for these tests alone (~5 M
    instructions), and no value parsed from YAML or JSON is one. Where nothing reads ``Decimal``
    (fastjsonschema imports it in every check), the import goes."""
    imports = [
        index
        for index, node in enumerate(module.body)
        if isinstance(node, ast.ImportFrom)
        and node.module == "decimal"
        and [(alias.name, alias.asname) for alias in node.names] == [("Decimal", None)]
    ]
    tests = [node for node in ast.walk(module) if _type_test(node)]
    tuples = [node.args[1] for node in tests if isinstance(node.args[1], ast.Tuple)]
    types = {id(node.args[1]) for node in tests} | {
        id(kind) for kinds in tuples for kind in kinds.elts
    }
    reads = [
        node for node in ast.walk(module) if isinstance(node, ast.Name) and node.id == "Decimal"
    ]
    if len(imports) != 1 or any(id(node) not in types for node in reads):
        return  # Decimal read or assigned another way: left as written
    for kinds in tuples:
        kinds.elts.sort(key=lambda kind: _name(kind) == "Decimal")
    index = imports[0]
    module.body[index : index + 1] = ast.parse(_DECIMAL_WHEN_ASKED).body if reads else []


def _type_test(node: ast.expr) -> bool:
    """Whether ``node`` is ``isinstance(v, T)`` or ``isinstance(v, (T, U))`` with plain names."""
    if not (
        isinstance(node, ast.Call)
        and _name(node.func) == "isinstance"
        and len(node.args) == 2
        and not node.keywords
        and isinstance(node.args[0], ast.Name)
    ):
        return False
    kinds = node.args[1]
    return isinstance(kinds, ast.Name) or (
        isinstance(kinds, ast.Tuple) and all(isinstance(kind, ast.Name) for kind in kinds.elts)
    )


def _length(node: ast.expr) -> bool:
    """Whether ``node`` is ``len(v)`` (of a value whose type was tested: a list, string or
    mapping, whose length has no effect)."""
    return (
        isinstance(node, ast.Call)
        and _name(node.func) == "len"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Name)
    )


# -- regexes ----------------------------------------------------------------------------------


def _bind_regexes(module: ast.Module) -> list[ast.stmt]:
    """Replace ``REGEX_PATTERNS[p].search`` by a name bound once to ``re.compile(p).search``;
    the bindings to add. ``p`` is the schema's own pattern: fastjsonschema compiles it with each
    ``$`` made ``\\Z``, which refuses a string ending in a newline that jsonschema's
    ``re.search(p, value)`` accepts, so its "no" sent such values to jsonschema; the schema's
    pattern gives jsonschema's answer itself. ``REGEX_PATTERNS`` goes when nothing else reads it."""
    names: dict[str, str] = {}

    class Bind(ast.NodeTransformer):
        def visit_Attribute(self, node: ast.Attribute) -> ast.expr:
            self.generic_visit(node)
            value = node.value
            if (
                node.attr == "search"
                and isinstance(value, ast.Subscript)
                and _name(value.value) == "REGEX_PATTERNS"
                and isinstance(value.slice, ast.Constant)
                and isinstance(value.slice.value, str)
            ):
                pattern = value.slice.value
                name = names.setdefault(pattern, f"SEARCH_{len(names)}")
                return ast.copy_location(ast.Name(name, ast.Load()), node)
            return node

    Bind().visit(module)
    if not any(
        _name(node) == "REGEX_PATTERNS"
        for statement in module.body
        if not _assigns(statement, "REGEX_PATTERNS")
        for node in ast.walk(statement)
    ):
        module.body[:] = [node for node in module.body if not _assigns(node, "REGEX_PATTERNS")]
    return [
        ast.Assign(
            [ast.Name(name, ast.Store())],
            ast.Attribute(
                ast.Call(
                    ast.Attribute(ast.Name("re", ast.Load()), "compile", ast.Load()),
                    [ast.Constant(pattern)],
                    [],
                ),
                "search",
                ast.Load(),
            ),
        )
        for pattern, name in names.items()
    ]
