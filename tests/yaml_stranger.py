"""YAML written the way many different people write it, for the parsers' differential tests.

Not one tidy style: each file picks its own habits (Style: indentation of one to eight spaces,
lists indented under their key or not, flow or block collections, quotes always, sometimes or
never, comments above, beside and between entries, text blocks with every header, CRLF line
ends, a byte order mark, several documents, anchors, aliases and merge keys, tags, ...), and
its values come from what inventories hold: names in many scripts, handles, URLs, dates, phone
numbers, text that looks like a number or a boolean, empty values. Deterministic for a seed.

Who writes like that, habit by habit (each a Style field, off in some files and on in others):

- ``anchors``/``aliases``/``merges``: someone copying settings around a file: an anchor on any
  node (a mapping of defaults, a list of tags, one owner's name), inside flows too, the same
  name defined again further down; an alias wherever a value goes, sometimes as a key; merge
  keys naming one mapping, a list of them, or a mapping written in place.
- ``spelling``: a scalar spelled as the person's tool or habit spells it: ``True``/``TRUE``,
  ``Null``/``~``/nothing, ``0x1F``, ``0o17``, ``+12``, ``007``, ``1e3``, ``.5``, ``-.INF``,
  ``.NaN``; and LOOKALIKES among the texts (YAML 1.1's ``yes``/``No``/``ON``, ``1_000``,
  ``nan``, ``infinity``, times, dates), plain where they may be.
- ``tags``: a Kubernetes or CloudFormation hand (``!!str 010``, ``!!int "3"``, ``!Ref x``,
  ``!!map``, a ``%TAG`` directive) or a tool that writes ``%YAML 1.1``.
- ``wrap``: an editor that wraps long values: plain and quoted scalars over several lines,
  with blank lines (kept as line breaks) and trailing spaces.
- ``escapes``: someone who writes double quotes with every escape YAML has (``\\x41``,
  ``\\u00e9``, ``\\U0001F600``, ``\\N``, ``\\_``, ``\\L``, ``\\P``, ``\\e``, ``\\0``, ``\\/``, a
  backslash at a line's end).
- ``aligned``: colons lined up (``id    : x``) or values lined up (``id:    x``).
- ``keys``: keys that look like other things, unquoted (``1:``, ``yes:``, ``on:``, ``~:``,
  ``nan:``, dates), quoted keys of every kind, ``? `` complex keys, very long keys.
- ``json``: someone pasting JSON: quoted keys, ``{"a":1}`` without spaces, flows over lines
  with trailing commas and comments inside (prettier's habit).
- ``compact``: most people and tools (Kubernetes, Ansible): ``- id: x`` with the rest of the
  mapping under ``id``, ``- - x`` for a list in a list, the dash followed by one to three spaces;
  now and then an anchor meant for that mapping put before its first key.
- ``untidy``: trailing spaces, a tab inside a value or before a comment, comments at odd
  indentation, a comment as the last line without a line break, empty documents, ``---`` and
  ``...`` with comments, a file made by concatenating two (a byte order mark in the middle), a
  part indented otherwise than the rest; in a one-line flow a trailing comma, an empty entry
  (``[a,, b]``) or a comment that hides its end; ``@handle``, ``%pct`` or ``|x`` unquoted.
- flows as people shorten them: ``{a, b: }`` for nulls, ``[id: x]`` for a list of one pair.
- UNICODE among the texts: emoji with joiners, right-to-left text and marks, combining marks,
  no-break spaces, zero-width characters, U+2028, U+0085, full-width punctuation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

WORDS = (
    "account", "owner", "Café Zürich", "Ærøskøbing", "Łódź office", "Ελένη", "Александр",
    "王芳", "محمد", "team: comms", "R&D", "a #hashtag", "50% off", "it's", 'say "hi"',
    "C:\\temp\\x", "tab\there", "https://www.example.com/path?q=1#frag", "@handle",
    "2026-09-02", "9:30", "+44 20 7946 0150", "+442079460150", "010", "0x1F", "1e3", ".5",
    "true", "False", "yes", "no", "on", "off", "null", "~", "NaN", ".inf", "-", "?", "x:y",
    "[draft]", "{tbc}", "a, b", "trailing space ", " leading", "😀 emoji", "line\nbreak",
    "", "12", "-7", "3.25", "0o17", "TRUE", "Null", "*star", "&amp", "!bang", "%pct",
    "|pipe", ">gt", "'quoted'", '"dq"', "back\\slash", "é", "über-long " * 6,
)  # fmt: skip
LOOKALIKES = (
    # YAML 1.1's booleans (text to the 1.2 core schema socialgov reads, booleans to old tools)
    "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n",
    "N",
    # numbers as programmers, spreadsheets and phones write them
    "0o17", "0O17", "0x1F", "0X1f", "0xff", "0b101", "1_000", "1,000", "1e3", "1E-3", "6.02e+23",
    ".5", "-.5", "+.5", "1.", "1.e3", "007", "-0", "+12", "0", "00", "-1_0", "12:30",
    "1:30:00", "190:20:30", "+1 555 0100", "1/2", "3.", "0.0", "-.0e-0",
    # infinities and not-a-number in every spelling
    ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.INF", ".nan", ".NaN", ".NAN",
    "nan", "NaN", "Nan", "NAN", "inf", "Inf", "-inf", "+inf", "infinity", "Infinity",
    "-Infinity", "-infinity", ".Nan", "-.nan",
    # nulls and booleans, capitalised or not
    "~", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE", "false", "False",
    "FALSE",
    # dates and times, which stay text
    "2026-09-02", "2026-09-02T10:00:00Z", "2001-12-14t21:59:43.10-05:00", "2026-9-2",
    "20260902", "2026-09-02 10:00:00 +1",
)  # fmt: skip
UNICODE = (
    "😀 emoji", "👨\u200d👩\u200d👧 family", "🇬🇧 flag", "שלום עולם", "\u200fRTL mark", "مرحبا بكم",
    "e\u0301 combining", "z\u0337\u0336algo", "no\u00a0break space", "\u00a0lead nbsp",
    "trail nbsp\u00a0", "zero\u200bwidth", "line\u2028separator", "para\u2029sep",
    "nel\u0085char", "“smart quotes”", "full\uff1awidth colon", "\uff46\uff55\uff4c\uff4c", "ǅ titlecase", "ß",
    "\U0001f600", "a\u00adsoft hyphen", "e\ufe0f variation",
)  # fmt: skip
TEXTS = WORDS + LOOKALIKES + UNICODE
KEYS = (
    "id", "kind", "name", "handle", "url", "platform", "owner", "backup", "team", "status",
    "labels", "notes", "description", "created", "policies", "Zürich", "名前", "x-y",
    "with space", "on", "yes", "1", "null", "key: colon", "#hash", "it's", "a-b_c.d",
)  # fmt: skip
ODD_KEYS = (
    "1", "007", "0x1F", "1e3", ".5", "-1", "yes", "No", "ON", "off", "y", "~", "null", "Null",
    "NULL", "true", "False", "nan", ".nan", "inf", ".inf", "-.Inf", "2026-09-02", "12:30", "<<",
    "=", "-x", "?x", ":x", "x?", "a b  c", "é", "😀", "שלום", "no\u00a0break", "x#y", "[x]",
    "{x}", "a,b", "it's", 'say "x"', "*star", "&amp", "!bang", "%pct", "@at", "`tick",
)  # fmt: skip
ANCHOR_NAMES = (
    "a", "b", "defaults", "base", "base-owner", "owner_1", "x1", "DEFAULTS", "Anchor", "1", "True",
    "null", "-x", "_", "a-b_c",
)  # fmt: skip
ODD_ANCHOR_NAMES = ("a.b", "café", "a:b", "a/b", "x[0]", "😀")
TAGS = (
    "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp", "!!binary", "!", "!Ref",
    "!secret", "!!python/object:os.system", "!<tag:yaml.org,2002:str>", "!e!x",
)  # fmt: skip
COMMENTS = (
    "# note", "#", "# it's: [x] {y} 'q' \"d\" - a", "# TODO |>", "#no space", "# é 😀",
    "# - item: x", "# &a *b !c", "# ---", "# ...", "#  |  >-  1",
)  # fmt: skip
_PLAIN_UNSAFE = set(":#,[]{}&*!|>'\"%@`\\\t\n")


@dataclass
class Style:
    indent: int
    indentless: bool
    quotes: str  # "never", "some", "always", "single", "double"
    flow: float  # chance a small collection is written in flow style
    comments: float
    blocks: float  # chance a longer text is written as a text block
    crlf: bool
    anchors: float  # chance a node (mapping, list or scalar) gets an anchor
    aliases: float = 0.0  # chance a value is an alias to a node anchored before it
    merges: float = 0.0  # chance a mapping merges others (<<)
    spelling: float = 0.0  # chance a number, boolean or null is spelled otherwise
    tags: float = 0.0  # chance a node is tagged
    wrap: float = 0.0  # chance a longer value is written over several lines
    escapes: float = 0.0  # chance a double-quoted value uses YAML's other escapes
    aligned: str = ""  # "", "colons" (id   : x) or "values" (id:   x)
    keys: float = 0.0  # chance a key is an odd one (a lookalike, quoted, complex, very long)
    json: float = 0.0  # chance a collection is written as JSON (over lines, trailing commas)
    untidy: float = 0.0  # trailing spaces, tabs, odd comments, empty documents, a BOM
    compact: float = 0.0  # chance a list's mapping or list starts on its dash's line

    @classmethod
    def pick(cls, rng: random.Random) -> Style:
        style = cls(
            indent=rng.choice([2, 2, 2, 3, 4, 4, 1, 8]),
            indentless=rng.random() < 0.4,
            quotes=rng.choice(["never", "some", "always", "single", "double"]),
            flow=rng.choice([0.0, 0.0, 0.2, 0.6]),
            comments=rng.choice([0.0, 0.1, 0.3]),
            blocks=rng.choice([0.0, 0.3, 0.7]),
            crlf=rng.random() < 0.15,
            anchors=rng.choice([0.0, 0.0, 0.1, 0.3]),
        )
        # the newer habits, each in about half the files at most, so that the plain ones
        # above still make most files (and the fast path still takes most of them)
        style.aliases = rng.choice([0.0, 0.0, 0.1, 0.3]) if style.anchors else 0.0
        style.merges = rng.choice([0.0, 0.0, 0.2, 0.5]) if style.anchors else 0.0
        style.spelling = rng.choice([0.0, 0.0, 0.3, 0.8])
        style.tags = rng.choice([0.0] * 6 + [0.05, 0.2])
        style.wrap = rng.choice([0.0, 0.0, 0.3, 0.7])
        style.escapes = rng.choice([0.0] * 4 + [0.3, 0.8])
        style.aligned = rng.choice(["", "", "", "colons", "values"])
        style.keys = rng.choice([0.0, 0.0, 0.05, 0.2])
        style.json = rng.choice([0.0] * 4 + [0.3, 0.8])
        style.untidy = rng.choice([0.0, 0.0, 0.05, 0.2])
        style.compact = rng.choice([0.0, 0.5, 0.9, 1.0])
        return style


def value(rng: random.Random, depth: int = 0) -> object:
    """A random piece of data, shaped like an inventory's."""
    roll = rng.random()
    if depth < 4 and roll < 0.25:
        return {_key(rng): value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    if depth < 4 and roll < 0.4:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.5:
        return rng.choice(
            [True, False, None, rng.randint(-5, 10**6), rng.random() * 100, rng.randint(0, 255)]
        )
    texts = rng.choice([WORDS, WORDS, LOOKALIKES, UNICODE])
    text = rng.choice(texts)
    if rng.random() < 0.25:
        text = " ".join(rng.choice(TEXTS) for _ in range(rng.randint(2, 12)))
    if rng.random() < 0.15:
        text = "\n".join(rng.choice(TEXTS) for _ in range(rng.randint(2, 5)))
    if rng.random() < 0.01:  # a bio pasted on one line
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(150, 400)))
    return text


def _key(rng: random.Random) -> str:
    return rng.choice(KEYS) if rng.random() < 0.8 else f"{rng.choice(KEYS)}{rng.randint(1, 99)}"


class Writer:
    """Writes one file of data in one person's style."""

    def __init__(self, rng: random.Random, style: Style) -> None:
        self.rng = rng
        self.style = style
        self.lines: list[str] = []
        self.anchors = 0
        self.named: list[tuple[str, str]] = []  # (name, "map", "seq" or "scalar") of this document

    def chance(self, habit: float) -> bool:
        return habit > 0 and self.rng.random() < habit

    def comment(self) -> str:
        return self.rng.choice(COMMENTS)

    def maybe_comment_line(self, pad: str) -> None:
        if self.chance(self.style.comments):
            if self.chance(self.style.untidy):  # a comment not lined up with its neighbours
                pad = self.rng.choice(["", " ", pad + "   "])
            self.lines.append(pad + self.comment())

    def tail(self) -> str:
        rng = self.rng
        end = ""
        if self.chance(self.style.comments):
            end = rng.choice(["  ", " ", "\t" if self.chance(self.style.untidy) else "   "])
            end += self.comment()
        if self.chance(self.style.untidy):
            end += rng.choice([" ", "  ", "\t"])  # trailing white space an editor left
        return end

    def spell(self, data: object) -> str:
        """A number, boolean or null as this person writes it (the same value to the YAML
        1.2 core schema, or on purpose not: ``yes``, ``1_000``)."""
        rng = self.rng
        other = self.chance(self.style.spelling)
        if data is None:
            return rng.choice(["", "~", "null", "Null", "NULL"]) if other else "null"
        if data is True or data is False:
            spellings = ["true", "True", "TRUE"] if data else ["false", "False", "FALSE"]
            if other and rng.random() < 0.2:  # YAML 1.1's words: text to socialgov
                spellings = ["yes", "Yes", "ON", "y"] if data else ["no", "No", "OFF", "n"]
            return rng.choice(spellings) if other else spellings[0]
        if isinstance(data, int):
            if not other:
                return str(data)
            choices = [f"+{data}" if data >= 0 else str(data), f"{data:_}", f"{data}.0"]
            if data >= 0:
                choices += [f"0x{data:X}", f"0x{data:x}", f"0o{data:o}", f"00{data}", f"{data}e0"]
            return rng.choice(choices)
        if isinstance(data, float):
            if not other:
                return repr(data)
            return rng.choice(
                [
                    f"{data:e}",
                    f"{data:E}",
                    f"{data:.3f}",
                    f"+{data}",
                    f".{int(data * 1000) % 1000:03d}",
                    rng.choice([".inf", ".Inf", "-.INF", "+.inf", ".NaN", ".nan", ".NAN", "-.inf"]),
                ]
            )
        raise TypeError(data)

    def scalar(self, data: object, pad: str, as_key: bool = False) -> list[str] | str:
        """A scalar as text: a line's remainder, or the lines of a text block or of a value
        over several lines."""
        rng = self.rng
        if data is None or isinstance(data, (bool, int, float)):
            spelled = self.spell(data)
            if as_key and not spelled:
                spelled = "null"
            return spelled if as_key else self.tagged(spelled, data)
        text = str(data)
        multi = "\n" in text or len(text) > 60
        if not as_key and (multi or rng.random() < 0.1) and rng.random() < self.style.blocks:
            block = self.block(text, pad)
            if block is not None:
                return block
        quotes = self.style.quotes
        if quotes == "some":
            quotes = rng.choice(["never", "single", "double"])
        plain = _plain_ok(text) or (self.chance(self.style.spelling) and _plain_enough(text))
        if not plain and self.chance(self.style.untidy) and _plain_enough(text[1:] or "x"):
            plain = text[:1] in tuple("@`%!&*|>")  # unquoted where YAML wants quotes: @handle
        if plain and (quotes == "never" or (quotes == "always" and not as_key)):
            if not as_key and len(text) > 30 and self.chance(self.style.wrap):
                return self.wrapped(text, pad, "")
            return text if as_key else self.tagged(text, data)
        if quotes == "single" and "\n" not in text and "\t" not in text:
            if not as_key and len(text) > 30 and self.chance(self.style.wrap):
                return self.wrapped(text.replace("'", "''"), pad, "'")
            written = "'" + text.replace("'", "''") + "'"
            return written if as_key else self.tagged(written, data)
        if not as_key and " " in text.strip() and self.chance(self.style.wrap):
            quoted = _double(text, rng, self.style.escapes)[1:-1]
            if "\\" not in quoted or self.chance(0.5):
                return self.wrapped(quoted, pad, '"')
        written = _double(text, rng, self.style.escapes)
        return written if as_key else self.tagged(written, data)

    def tagged(self, written: str, data: object) -> str:
        """``written`` with a tag before it, now and then."""
        if not self.chance(self.style.tags) or not written:
            return written
        rng = self.rng
        if isinstance(data, bool):
            tag = rng.choice(["!!bool", "!!str", "!"])
        elif isinstance(data, int):
            tag = rng.choice(["!!int", "!!float", "!!str"])
        elif data is None:
            tag = rng.choice(["!!null", "!!str"])
        else:
            tag = rng.choice(TAGS)
        return f"{tag} {written}"

    def wrapped(self, text: str, pad: str, quote: str) -> list[str]:
        """``text`` (already escaped for ``quote``) over several lines, as an editor wraps it
        at spaces: continuation lines indented past the key, now and then a blank line (a line
        break in the value) or trailing spaces."""
        rng = self.rng
        inner = pad + " " * max(self.style.indent, 1)
        rows = _wrapped_at_spaces(text.split(" "), [15, 30, 60], rng)
        lines = [quote + rows[0]]
        for row in rows[1:]:
            if self.chance(0.15):
                lines.append("" if rng.random() < 0.7 else inner)  # a blank line, or spaces
            if self.chance(self.style.untidy):
                lines[-1] += "  "
            lines.append(inner + row)
        lines[-1] += quote
        if lines[-1].strip() == quote or any(not line.strip() for line in lines[:1]):
            return [quote + text + quote]
        return lines

    def block(self, text: str, pad: str) -> list[str] | None:
        """``text`` as a literal or folded block, with a header that keeps it exact; None
        when this person's block could not hold it."""
        if "\t" in text or text != text.strip(" ") or not text.strip():
            return None
        rng = self.rng
        inner = pad + " " * self.style.indent
        literal = "\n" in text.rstrip("\n") or rng.random() < 0.5
        chomp = {"": "-", "\n": "", "\n\n": "+"}
        ending = rng.choice(["", "\n", "\n\n"])
        header = ("|" if literal else ">") + chomp[ending]
        if rng.random() < 0.2:
            header = ("|" if literal else ">") + str(self.style.indent) + chomp[ending]
        body = text.rstrip("\n")
        if not literal:
            if "\n" in body or "  " in body:
                return None
            rows = _wrapped_at_spaces(body.split(" "), [20, 40, 70], rng)
            if any(not r for r in rows):
                return None
        else:
            rows = body.split("\n")
        lines = [f"{inner}{r}" if r else "" for r in rows]
        if ending == "\n\n":
            lines.append("")
        return [header + self.tail(), *lines]

    def anchor_name(self) -> str:
        rng = self.rng
        self.anchors += 1
        if self.chance(0.02):
            return rng.choice(ODD_ANCHOR_NAMES)  # a name libyaml refuses
        if rng.random() < 0.3 and self.named:
            return rng.choice(self.named)[0]  # the same name again, further down
        return rng.choice([rng.choice(ANCHOR_NAMES), f"a{self.anchors}"])

    def alias(self, kinds: tuple[str, ...] = ("map", "seq", "scalar")) -> str | None:
        """``*name`` of a node anchored before this one (of one of ``kinds``), or None."""
        names = [name for name, kind in self.named if kind in kinds]
        if not names:
            return None
        if self.chance(0.01):
            return "*" + self.rng.choice(["nowhere", "a", "defaults"])  # perhaps defined later
        return "*" + self.rng.choice(names)

    def node(self, data: object, pad: str, prefix: str) -> None:
        """Write ``data`` after ``prefix`` (``key:`` or ``-`` with its padding)."""
        rng = self.rng
        if self.chance(self.style.aliases):
            alias = self.alias()
            if alias is not None:
                self.lines.append(f"{prefix} {alias}" + self.tail())
                return
        anchor = ""
        kind = "map" if isinstance(data, dict) else "seq" if isinstance(data, list) else "scalar"
        if self.chance(self.style.anchors) and (kind == "map" or rng.random() < 0.5):
            anchor = "&" + self.anchor_name()
        self._node(data, pad, prefix, anchor)
        if anchor:  # an alias may name it once it is complete
            self.named.append((anchor[1:], kind))

    def _node(self, data: object, pad: str, prefix: str, anchor: str) -> None:
        rng = self.rng
        if isinstance(data, (dict, list)):
            if self.chance(self.style.json) and data and _shallow(data):
                lines = self.json(data, pad)
                if lines is not None:
                    self.lines.append(_joined(prefix, anchor, lines[0]))
                    self.lines.extend(lines[1:])
                    return
            if not data or (rng.random() < self.style.flow and _shallow(data)):
                flow = self.flow(data)
                if flow is not None:
                    self.lines.append(_joined(prefix, anchor, flow) + self.tail())
                    return
                if not data:
                    return self._node("", pad, prefix, anchor)
            tag = ""
            if self.chance(self.style.tags):
                tag = rng.choice(["!!map", "!!omap"] if isinstance(data, dict) else ["!!seq"])
                tag = rng.choice([tag, "!", "!custom"])
            self.lines.append(_joined(prefix, anchor, tag) + self.tail())
            child = pad + " " * self.style.indent
            if self.chance(self.style.untidy):  # this part pasted from a file indented otherwise
                child = pad + " " * self.rng.choice([1, 2, 3, 4, 6])
            if isinstance(data, list) and prefix.rstrip().endswith(":"):
                indentless = self.style.indentless
                if self.chance(self.style.untidy):  # someone else's habit, in the same file
                    indentless = not indentless
                if indentless:
                    child = pad
            self.collection(data, child)
            return
        text = self.scalar(data, pad)
        if anchor:
            text = (
                [f"{anchor} {text[0]}", *text[1:]]
                if isinstance(text, list)
                else (f"{anchor} {text}")
            )
        if isinstance(text, list):
            if rng.random() < 0.1 and not text[0].startswith(("'", '"')):  # header after the key
                self.lines += [prefix, f"{pad}{' ' * self.style.indent} {text[0]}"]
            else:
                self.lines.append(f"{prefix} {text[0]}")
            self.lines.extend(text[1:])
        elif text and rng.random() < 0.1 and "\n" not in text:  # the value on the next line
            self.lines.append(prefix + (self.tail() if self.chance(0.2) else ""))
            self.lines.append(pad + " " * self.style.indent + text + self.tail())
        else:
            gap = " "
            if self.style.aligned == "values" and prefix.endswith(":"):
                gap = " " * max(1, 16 - len(prefix))
            self.lines.append(f"{prefix}{gap}{text}".rstrip() + (self.tail() if text else ""))

    def written_key(self, key: str, pad: str) -> str:
        """A mapping key as this person writes it, ``:`` included."""
        rng = self.rng
        if self.chance(self.style.keys):
            roll = rng.random()
            if roll < 0.5:
                key = rng.choice(ODD_KEYS)
                written = key if rng.random() < 0.6 else self.scalar(key, pad, as_key=True)
            elif roll < 0.6 and self.named:
                alias = self.alias(("scalar",))
                written = f"{alias} " if alias else "k"
            elif roll < 0.63:
                written = "k" * rng.choice([1020, 1024, 1025, 1100])  # a key pasted by mistake
            else:
                written = self.scalar(key, pad, as_key=True)  # type: ignore[assignment]
                if rng.random() < 0.5:
                    written = rng.choice([f"'{key}'", _double(key, rng, self.style.escapes)])
        else:
            written = self.scalar(key, pad, as_key=True)  # type: ignore[assignment]
        assert isinstance(written, str)
        if self.style.aligned == "colons":
            written = written.ljust(12)
        elif self.chance(self.style.untidy):
            written += " "
        return written + ":"

    def collection(self, data: dict[str, object] | list[object], pad: str) -> None:
        rng = self.rng
        if isinstance(data, dict):
            merge = self.chance(self.style.merges) and self.merge()
            at = rng.randrange(len(data) + 1) if merge else -1
            for index, (key, item) in enumerate([*data.items(), (None, None)]):
                if index == at:
                    self.lines.append(f"{pad}<<: {merge}" + self.tail())
                if key is None:
                    break
                self.maybe_comment_line(pad)
                if self.chance(self.style.keys * 0.2):  # a complex key
                    self.lines.append(f"{pad}? {self.scalar(key, pad, as_key=True)}")
                    self.node(item, pad, f"{pad}:")
                    continue
                self.node(item, pad, f"{pad}{self.written_key(key, pad)}")
            return
        for item in data:
            self.maybe_comment_line(pad)
            if isinstance(item, dict) and item and self.chance(self.style.comments * 0.3):
                self.lines.append(f"{pad}- {self.comment()}")  # the mapping on the next line
                self.collection(item, pad + " " * max(self.style.indent, 2))
                continue
            if isinstance(item, (dict, list)) and item and self.chance(self.style.compact):
                self.compact(item, pad)
                continue
            self.node(item, pad, f"{pad}-")

    def compact(self, item: dict[str, object] | list[object], pad: str) -> None:
        """A list's mapping or list item begun on its dash's line (``- id: x`` and the rest
        of the mapping under ``id``; ``- - x``), the dash followed by one space or more."""
        width = self.rng.choice([2, 2, 2, 3, 4])
        inner = pad + " " * width
        start = len(self.lines)
        self.collection(item, inner)
        first = self.lines[start]
        dash = pad + "-" + " " * (width - 1)
        if self.chance(self.style.anchors * 0.1):  # meant for the mapping, it names the first key
            name = self.anchor_name()
            dash += f"&{name} "
            self.named.append((name, "scalar"))
        if first.startswith(inner) and first[len(inner) : len(inner) + 1] not in ("", " "):
            self.lines[start] = dash + first[len(inner) :]
        else:
            self.lines.insert(start, dash.rstrip())

    def merge(self) -> str | None:
        """What a merge key names: one mapping, a list of them, or one written in place."""
        rng = self.rng
        names = [name for name, kind in self.named if kind == "map"]
        if self.chance(0.03) and self.named:
            names = [name for name, _kind in self.named]  # perhaps no mapping: the exact path says
        roll = rng.random()
        if names and roll < 0.5:
            return f"*{rng.choice(names)}"
        if names and roll < 0.85:
            picked = [f"*{rng.choice(names)}" for _ in range(rng.randint(1, 3))]
            return "[" + ", ".join(picked) + "]"
        return rng.choice(["{x: 1}", "[{x: 1}, {y: 2}]", "{}", "[]"])

    def flow(self, data: dict[str, object] | list[object]) -> str | None:
        rng = self.rng
        parts = []
        if isinstance(data, dict) and self.chance(self.style.merges):
            merge = self.merge()
            if merge is not None:
                parts.append(f"<<: {merge}")
        for key, item in data.items() if isinstance(data, dict) else enumerate(data):
            alias = self.alias() if self.chance(self.style.aliases) else None
            if alias is not None:
                text = alias + rng.choice(["", " "])  # (`*a,` names "a," to rapidyaml)
            elif isinstance(item, dict) and len(item) == 1 and rng.random() < 0.3:
                pair = self.flow(item)  # a single pair in a list: [id: x]
                text = pair[1:-1].strip() if pair and pair[1:-1].strip() else None
            elif isinstance(item, (dict, list)):
                text = self.flow(item)  # a flow collection inside another
            else:
                text = self.scalar(item, "")
                if isinstance(text, str) and any(c in text for c in ",[]{}#\n"):
                    return None
            if isinstance(data, dict) and text == "":  # {a: , b: 1} or {a, b: 1}: nulls
                written = self.scalar(key, "", as_key=True)
                if not isinstance(written, str) or any(c in written for c in ",[]{}:#"):
                    return None
                parts.append(rng.choice([f"{written}:", written]))
                continue
            if not isinstance(text, str) or not text:
                return None
            if self.chance(self.style.anchors * 0.5) and not text.startswith(("*", "&")):
                name = self.anchor_name()
                text = f"&{name} {text}"
                kind = "map" if isinstance(item, dict) else "seq" if isinstance(item, list) else ""
                self.named.append((name, kind or "scalar"))
            if isinstance(data, dict):
                written = self.scalar(key, "", as_key=True)
                if not isinstance(written, str) or any(c in written for c in ",[]{}:#"):
                    return None
                parts.append(f"{written}: {text}")
            else:
                parts.append(text)
        pad = rng.choice(["", " "])
        opener, closer = ("{", "}") if isinstance(data, dict) else ("[", "]")
        if parts and self.chance(self.style.untidy):
            at = rng.randrange(len(parts))
            parts[at] += rng.choice(
                [
                    "",  # a trailing comma, which YAML allows: [a, b, ]
                    " # a comment that hides the rest of the line",
                    ",",  # [a,, b]: an empty entry, which it does not
                ]
            )
            if at == len(parts) - 1 and not parts[at].endswith("line"):
                parts[at] += ","
        return f"{opener}{pad}{', '.join(parts)}{pad}{closer}"

    def json(self, data: dict[str, object] | list[object], pad: str) -> list[str] | None:
        """``data`` as JSON pasted in, or as prettier writes a flow collection: over lines,
        keys quoted, sometimes a trailing comma or a comment after an item."""
        rng = self.rng
        inner = pad + " " * max(self.style.indent, 1)
        tight = rng.random() < 0.3  # {"a":1,"b":2}
        one_line = rng.random() < 0.4
        parts = []
        for key, item in data.items() if isinstance(data, dict) else enumerate(data):
            if isinstance(item, (dict, list)):
                text = self.flow(item)
            elif isinstance(item, str) and tight and _plain_enough(item) and rng.random() < 0.5:
                text = item  # {"owner":~}: a value left plain after a key's colon, no space
            elif isinstance(item, str):
                text = _double(item, rng, 0.0)
            elif item is None or isinstance(item, bool):
                text = "null" if item is None else "true" if item else "false"
            else:
                text = repr(item)
            if text is None:
                return None
            if isinstance(data, dict):
                text = f"{_double(key, rng, 0.0)}:{'' if tight else ' '}{text}"
            parts.append(text)
        opener, closer = ("{", "}") if isinstance(data, dict) else ("[", "]")
        if one_line:
            return [opener + ("," if tight else ", ").join(parts) + closer]
        lines = [opener]
        for index, part in enumerate(parts):
            comma = "," if index < len(parts) - 1 or rng.random() < 0.3 else ""
            comment = f"  {self.comment()}" if self.chance(self.style.comments) else ""
            lines.append(f"{inner}{part}{comma}{comment}")
        lines.append(pad + closer if rng.random() < 0.7 else inner + closer)
        return lines


def _joined(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _shallow(data: object, depth: int = 0) -> bool:
    """Whether ``data`` nests at most twice: small enough to write on one line."""
    if not isinstance(data, (dict, list)):
        return True
    items = data.values() if isinstance(data, dict) else data
    return depth < 2 and all(_shallow(item, depth + 1) for item in items)


def _plain_ok(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and not (set(text) & _PLAIN_UNSAFE)
        and (text[0] not in "-?~" and text.lower() not in ("true", "false", "null", "yes", "no"))
        and not text[0].isdigit()
        and text[0] not in "+.'\""
    )


def _plain_enough(text: str) -> bool:
    """Whether a person who does not think about quoting would leave ``text`` plain: a
    lookalike (``0x1F``, ``nan``, ``yes``) or a text with nothing YAML reads otherwise."""
    return (
        bool(text)
        and text == text.strip(" ")
        and "\n" not in text
        and not any(mark in text for mark in (": ", " #", "\t"))
        and not text.endswith(":")
        and text[0] not in "&*!|>'\"%@`#[]{},"
        and not text.startswith(("- ", "? ", ": "))
    )


_ESCAPES = (
    ("\\x41", "A"), ("\\u00e9", "é"), ("\\U0001F600", "😀"), ("\\N", "\x85"), ("\\_", "\xa0"),
    ("\\L", "\u2028"), ("\\P", "\u2029"), ("\\e", "\x1b"), ("\\0", "\x00"), ("\\a", "\x07"),
    ("\\b", "\x08"), ("\\v", "\x0b"), ("\\f", "\x0c"), ("\\r", "\r"), ("\\/", "/"), ("\\ ", " "),
    ("\\t", "\t"), ("\\ud83d\\ude00", "😀"), ("\\u0000", "\x00"), ("\\xe9", "é"),
)  # fmt: skip


def _double(text: str, rng: random.Random, escapes: float = 0.0) -> str:
    out = []
    for char in text:
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append(rng.choice(["\\t", "\t"]))
        elif ord(char) > 127 and rng.random() < 0.2:
            out.append(f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}")
        elif ord(char) < 32 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029\ufeff":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
        if escapes and rng.random() < escapes * 0.1:
            out.append(rng.choice(_ESCAPES)[0])  # one more character, written as an escape
    return '"' + "".join(out) + '"'


def document(rng: random.Random, style: Style) -> str:
    """One file: one or more documents of inventory-shaped data, in ``style``."""
    writer = Writer(rng, style)
    documents = rng.choice([1, 1, 1, 2, 3])
    if rng.random() < 0.2:
        writer.lines.append("# " + rng.choice(WORDS).replace("\n", " "))
    if writer.chance(style.tags):
        writer.lines.append(
            rng.choice(["%YAML 1.1", "%YAML 1.2", "%TAG !e! tag:example.com,2000:"])
        )
        documents = max(documents, 1)
        writer.lines.append("---")
    for index in range(documents):
        writer.named = []
        if documents > 1 or rng.random() < 0.2:
            marker = "---" + rng.choice(["", "", " # doc", "  #", " "])
            if index and rng.random() < 0.2:
                writer.lines.append("..." + rng.choice(["", " # end", " "]))
            writer.lines.append(marker)
            if writer.chance(style.untidy):  # an empty document, or one holding a comment
                writer.lines.append(rng.choice(["# nothing here", ""]))
                writer.lines.append("---")
        data = value(rng)
        if not isinstance(data, (dict, list)) or not data:
            data = {"kind": "Account", "id": f"acct-{index}", "owner": value(rng, 3)}
        writer.collection(data, "")
        if rng.random() < 0.05:
            writer.lines.append("..." + rng.choice(["", " # done"]))
    if writer.chance(style.comments * style.untidy * 5):
        writer.lines.append(rng.choice(["# last line, no line break", "  # indented"]))
        text = "\n".join(writer.lines)
    else:
        text = "\n".join(writer.lines) + rng.choice(["\n", "\n", "", "\n\n"])
    if writer.chance(style.untidy * 0.5):  # two files concatenated, each with its BOM
        text = text + ("" if text.endswith("\n") else "\n") + "\ufeff---\nother: file\n"
    if style.crlf:
        text = text.replace("\n", "\r\n")
    if writer.chance(style.untidy * 2):
        text = "\ufeff" + text  # saved by an editor that writes a byte order mark
    return text


def mutate(rng: random.Random, text: str) -> str:
    """``text`` with one character removed, inserted or replaced: often no longer YAML. Now and
    then the edit lands right after an anchor or alias (``&a -``, ``*a ]``, ``&a@``), where
    both parsers must still agree on what the node is."""
    if not text:
        return text
    marks = [at for at, char in enumerate(text) if char in "&*"]
    if marks and rng.random() < 0.3:
        at = text.find(" ", rng.choice(marks))
        if at > 0:
            cut = at + rng.choice([0, 1])
            piece = rng.choice(["- ", "-", "]", "}", "@", "`", "%", "? ", "|", ">", ":", ",", "#"])
            return text[:cut] + piece + text[cut:]
    at = rng.randrange(len(text))
    char = rng.choice(" -:\n'\"[]{},#x|>&*!\t\\")
    return rng.choice(
        [
            text[:at] + text[at + 1 :],
            text[:at] + char + text[at:],
            text[:at] + char + text[at + 1 :],
        ]
    )


def text_blocks(rng: random.Random) -> str:
    """A file of text blocks as people and tools leave them: every header (``|``, ``>``,
    chomping, indentation indicators, a comment), blank lines holding spaces, lines indented
    more than the rest, lines that look like YAML or comments, trailing spaces, the block last
    in the file or followed by a less indented comment."""
    lines = []
    for index in range(rng.randint(1, 4)):
        pad = rng.choice(["", "  ", "    "]) if index == 0 else lines and _pad_of(lines[0])
        indent = rng.choice([1, 2, 3, 4])
        header = rng.choice("|>") + rng.choice(["", "", "-", "+"])
        if rng.random() < 0.3:
            digit = str(indent)
            header = header[0] + (digit + header[1:] if rng.random() < 0.5 else header[1:] + digit)
        if rng.random() < 0.2:
            header += rng.choice(["  # text", " #", "   # a | b > c"])
        key = rng.choice(["description", "notes", "- ", "message", "'quoted key'", "k"])
        lines.append(f"{pad}- {header}" if key == "- " else f"{pad}{key}: {header}")
        body = " " * (len(pad) + indent)
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.15:
                lines.append(" " * rng.randint(0, len(body)))
            elif roll < 0.3:
                lines.append(body + " " * rng.randint(1, 3) + rng.choice(WORDS).replace("\n", " "))
            else:
                piece = rng.choice(
                    [*WORDS[:30], "# not a comment", "- not a list", "key: not a map", "x  "]
                )
                lines.append(body + piece.replace("\n", " ").replace("\t", " ").strip(" ") or "x")
        if rng.random() < 0.2:
            lines.append(rng.choice(["# after", "", "  # indented comment"]))
    text = "\n".join(lines) + rng.choice(["\n", "\n", "", "\n\n", "\n  \n"])
    return text.replace("\n", "\r\n") if rng.random() < 0.25 else text


def _pad_of(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _wrapped_at_spaces(words: list[str], widths: list[int], rng: random.Random) -> list[str]:
    """``words`` joined into rows at spaces, as an editor wraps text: a row ends when the next
    word would take it past a width chosen for it among ``widths``."""
    rows: list[str] = []
    row = ""
    for word in words:
        if row and len(row) + len(word) > rng.choice(widths):
            rows.append(row)
            row = word
        else:
            row = f"{row} {word}" if row else word
    rows.append(row)
    return rows
