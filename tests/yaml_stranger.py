"""YAML written the way many different people write it, for the parsers' differential tests.

Not one tidy style: each file picks its own habits (indentation of two, three or four spaces,
lists indented under their key or not, flow or block collections, quotes always, sometimes or
never, comments above, beside and between entries, text blocks with every header, CRLF line
ends, a byte order mark, several documents, anchors, aliases and merge keys, the odd tag), and
its values come from what inventories hold: names in many scripts, handles, URLs, dates, phone
numbers, text that looks like a number or a boolean, empty values. Deterministic for a seed.
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
KEYS = (
    "id", "kind", "name", "handle", "url", "platform", "owner", "backup", "team", "status",
    "labels", "notes", "description", "created", "policies", "Zürich", "名前", "x-y",
    "with space", "on", "yes", "1", "null", "key: colon", "#hash", "it's", "a-b_c.d",
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
    anchors: float

    @classmethod
    def pick(cls, rng: random.Random) -> Style:
        return cls(
            indent=rng.choice([2, 2, 2, 3, 4, 4, 1, 8]),
            indentless=rng.random() < 0.4,
            quotes=rng.choice(["never", "some", "always", "single", "double"]),
            flow=rng.choice([0.0, 0.0, 0.2, 0.6]),
            comments=rng.choice([0.0, 0.1, 0.3]),
            blocks=rng.choice([0.0, 0.3, 0.7]),
            crlf=rng.random() < 0.15,
            anchors=rng.choice([0.0, 0.0, 0.1, 0.3]),
        )


def value(rng: random.Random, depth: int = 0) -> object:
    """A random piece of data, shaped like an inventory's."""
    roll = rng.random()
    if depth < 4 and roll < 0.25:
        return {_key(rng): value(rng, depth + 1) for _ in range(rng.randint(0, 5))}
    if depth < 4 and roll < 0.4:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if roll < 0.5:
        return rng.choice([True, False, None, rng.randint(-5, 10**6), rng.random() * 100])
    text = rng.choice(WORDS)
    if rng.random() < 0.25:
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 12)))
    if rng.random() < 0.15:
        text = "\n".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5)))
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
        self.mappings: list[str] = []  # anchors of mappings written so far (in this document)

    def comment(self) -> str:
        return self.rng.choice(["# note", "#", "# it's: [x] {y} 'q' \"d\" - a", "# TODO |>"])

    def maybe_comment_line(self, pad: str) -> None:
        if self.rng.random() < self.style.comments:
            self.lines.append(pad + self.comment())

    def tail(self) -> str:
        return "  " + self.comment() if self.rng.random() < self.style.comments else ""

    def scalar(self, data: object, pad: str, as_key: bool = False) -> list[str] | str:
        """A scalar as text: a line's remainder, or the lines of a text block."""
        if data is None:
            return self.rng.choice(["", "null", "~", "Null"]) if not as_key else "null"
        if data is True or data is False:
            return self.rng.choice(["true", "True", "TRUE"] if data else ["false", "FALSE"])
        if isinstance(data, int):
            return str(data)
        if isinstance(data, float):
            return repr(data)
        text = str(data)
        multi = "\n" in text or len(text) > 60
        if (
            not as_key
            and (multi or self.rng.random() < 0.1)
            and self.rng.random() < self.style.blocks
        ):
            block = self.block(text, pad)
            if block is not None:
                return block
        quotes = self.style.quotes
        if quotes == "some":
            quotes = self.rng.choice(["never", "single", "double"])
        if _plain_ok(text) and (quotes == "never" or (quotes == "always" and not as_key)):
            return text
        if quotes == "single" and "\n" not in text and "\t" not in text:
            return "'" + text.replace("'", "''") + "'"
        return _double(text, self.rng)

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
            words = body.split(" ")
            rows, row = [], ""
            for word in words:  # fold at spaces, as an editor wraps text
                if row and len(row) + len(word) > rng.choice([20, 40, 70]):
                    rows.append(row)
                    row = word
                else:
                    row = f"{row} {word}" if row else word
            rows.append(row)
            if any(not r for r in rows):
                return None
        else:
            rows = body.split("\n")
        lines = [f"{inner}{r}" if r else "" for r in rows]
        if ending == "\n\n":
            lines.append("")
        return [header + self.tail(), *lines]

    def node(self, data: object, pad: str, prefix: str) -> None:
        """Write ``data`` after ``prefix`` (``key:`` or ``-`` with its padding)."""
        rng = self.rng
        anchor = ""
        if rng.random() < self.style.anchors and isinstance(data, dict) and data:
            self.anchors += 1
            anchor = f"&a{self.anchors}"
        try:
            self._node(data, pad, prefix, anchor)
        finally:
            if anchor:  # an alias may name it once it is complete
                self.mappings.append(anchor[1:])

    def _node(self, data: object, pad: str, prefix: str, anchor: str) -> None:
        rng = self.rng
        if isinstance(data, (dict, list)):
            if not data or (rng.random() < self.style.flow and _shallow(data)):
                flow = self.flow(data)
                if flow is not None:
                    self.lines.append(f"{prefix} {anchor} {flow}".replace("  ", " ") + self.tail())
                    return
                if not data:
                    return self._node("", pad, prefix, anchor)
            self.lines.append(f"{prefix} {anchor}".rstrip() + self.tail())
            child = pad + " " * self.style.indent
            if isinstance(data, list) and prefix.rstrip().endswith(":") and self.style.indentless:
                child = pad
            self.collection(data, child)
            return
        text = self.scalar(data, pad)
        if isinstance(text, list):
            if rng.random() < 0.1:  # the header on the line after the key
                self.lines += [prefix, f"{pad}{' ' * self.style.indent} {text[0]}"]
            else:
                self.lines.append(f"{prefix} {text[0]}")
            self.lines.extend(text[1:])
        elif text and rng.random() < 0.1 and "\n" not in text:  # the value on the next line
            self.lines.append(prefix)
            self.lines.append(pad + " " * self.style.indent + text + self.tail())
        else:
            self.lines.append(f"{prefix} {text}".rstrip() + (self.tail() if text else ""))

    def collection(self, data: dict[str, object] | list[object], pad: str) -> None:
        rng = self.rng
        if isinstance(data, dict):
            if self.mappings and rng.random() < self.style.anchors:
                self.lines.append(f"{pad}<<: *{rng.choice(self.mappings)}")
            for key, item in data.items():
                self.maybe_comment_line(pad)
                written = self.scalar(key, pad, as_key=True)
                assert isinstance(written, str)
                if isinstance(item, str) and self.mappings and rng.random() < self.style.anchors:
                    self.lines.append(f"{pad}{written}: *{rng.choice(self.mappings)}")
                    continue
                self.node(item, pad, f"{pad}{written}:")
            return
        for item in data:
            self.maybe_comment_line(pad)
            self.node(item, pad + " " * (len(pad) and 0), f"{pad}-")

    def flow(self, data: dict[str, object] | list[object]) -> str | None:
        parts = []
        for key, item in data.items() if isinstance(data, dict) else enumerate(data):
            if isinstance(item, (dict, list)):
                text = self.flow(item)  # a flow collection inside another
            else:
                text = self.scalar(item, "")
                if isinstance(text, str) and any(c in text for c in ",[]{}#\n"):
                    return None
            if not isinstance(text, str) or not text:
                return None
            if isinstance(data, dict):
                written = self.scalar(key, "", as_key=True)
                if not isinstance(written, str) or any(c in written for c in ",[]{}:#"):
                    return None
                parts.append(f"{written}: {text}")
            else:
                parts.append(text)
        pad = self.rng.choice(["", " "])
        opener, closer = ("{", "}") if isinstance(data, dict) else ("[", "]")
        return f"{opener}{pad}{', '.join(parts)}{pad}{closer}"


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


def _double(text: str, rng: random.Random) -> str:
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
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def document(rng: random.Random, style: Style) -> str:
    """One file: one or more documents of inventory-shaped data, in ``style``."""
    writer = Writer(rng, style)
    documents = rng.choice([1, 1, 1, 2, 3])
    if rng.random() < 0.2:
        writer.lines.append("# " + rng.choice(WORDS).replace("\n", " "))
    for index in range(documents):
        writer.mappings = []
        if documents > 1 or rng.random() < 0.2:
            writer.lines.append("---" + rng.choice(["", "", " # doc"]))
        data = value(rng)
        if not isinstance(data, (dict, list)) or not data:
            data = {"kind": "Account", "id": f"acct-{index}", "owner": value(rng, 3)}
        writer.collection(data, "")
        if rng.random() < 0.05:
            writer.lines.append("...")
    text = "\n".join(writer.lines) + rng.choice(["\n", "\n", "", "\n\n"])
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return text


def mutate(rng: random.Random, text: str) -> str:
    """``text`` with one character removed, inserted or replaced: often no longer YAML."""
    if not text:
        return text
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
