"""Writing YAML without losing anything: round-trip editing and atomic replacement.

Every command that writes a user's files (``fix``, ``import csv``, ``init``, report output) goes
through this module. Checking never does: the loader reads with PyYAML; ruamel.yaml, imported
lazily, is the one writer.

Editing keeps what a person wrote. A file is read with ruamel.yaml's round-trip mode, which keeps
comments, key order, quoting, anchors, flow and block style and blank lines; the indentation is
detected from the file. Rendering then goes one step further: ruamel.yaml normalises a few
things it cannot represent (a comment above the first ``---``, extra spaces inside a flow list,
an explicit ``...``, a file whose lists are indented two different ways). So the rendered edit is
spliced into the original text: only the lines the edit changed are replaced, every other line
stays byte for byte as it was. When the splice cannot be placed safely, the plain round-trip
rendering is used, after checking that it holds exactly the edited data.

Writes are atomic (a temporary file in the same folder, then ``os.replace``), and a file that
changed on disk between reading and writing is not overwritten: :class:`FileChangedError`.
"""

from __future__ import annotations

import codecs
import difflib
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialgov.core.errors import SocialgovError
from socialgov.core.files import Snapshot, write_atomic

if TYPE_CHECKING:
    from ruamel.yaml import YAML

NodePath = tuple[str | int, ...]
"""A path to a node inside a document: mapping keys and sequence indexes."""

DEFAULT_INDENT = (2, 4, 2)
"""Mapping indent, sequence indent and dash offset for files socialgov creates::

    key:
      nested: value
    items:
      - first
"""


class YamlReadError(SocialgovError):
    """A file cannot be edited: it is not readable, not UTF-8, or not valid YAML."""

    def __init__(self, path: Path, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(f"{path}:{line}:{column}: {message}")
        self.path = path
        self.line = line
        self.column = column
        self.reason = message


class UnwritableChange(YamlReadError):
    """An edit the YAML library cannot write back without changing other data of the file
    (the file is left as it is)."""


# ----------------------------------------------------------------------------- atomic writes


def refusal(existing: Sequence[Path]) -> str:
    """The message for files a command will not overwrite without --force."""
    listed = ", ".join(str(path) for path in existing)
    many = len(existing) != 1
    return (
        f"{len(existing)} file{'s' if many else ''} already exist{'' if many else 's'} and "
        f"{'were' if many else 'was'} not overwritten (use --force to replace): {listed}"
    )


# ----------------------------------------------------------------------------- style


@dataclass(frozen=True, slots=True)
class Style:
    """How a file is laid out, so that an edit is written the same way."""

    mapping: int = DEFAULT_INDENT[0]
    sequence: int = DEFAULT_INDENT[1]
    offset: int = DEFAULT_INDENT[2]
    explicit_start: bool = False
    newline: str = "\n"
    bom: bool = False


_KEY_ONLY = re.compile(r"""^(?:-\s+)*(?:[^\s#'"{\[][^#]*?|'[^']*'|"[^"]*"):\s*(?:#.*)?$""")


def _content(line: str) -> str:
    return line.strip()


def detect_style(text: str) -> Style:
    """The indentation, document marker, line ending and BOM that ``text`` uses.

    The first nested mapping gives the mapping indent; the first block list under a key gives
    the dash offset and the sequence indent. What the file does not show keeps the default.
    """
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    newline = "\r\n" if "\r\n" in body else "\n"
    mapping: int | None = None
    offset: int | None = None
    sequence: int | None = None
    explicit_start = False
    first_content = True
    parent: int | None = None  # column of the key of a previous "key:" line, when it was one
    for raw in body.replace("\r\n", "\n").split("\n"):
        stripped = _content(raw)
        if not stripped or stripped.startswith("#"):
            continue
        if first_content:
            first_content = False
            explicit_start = stripped == "---" or stripped.startswith("--- ")
        if stripped.startswith(("---", "...", "%")) and len(raw) == len(raw.lstrip()):
            parent = None
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        is_item = stripped == "-" or stripped.startswith("- ")
        if parent is not None and (indent > parent or (is_item and indent == parent)):
            if is_item:
                if offset is None:
                    offset = indent - parent
                    rest = stripped[1:]
                    gap = len(rest) - len(rest.lstrip(" ")) if rest.strip() else 1
                    sequence = offset + 1 + gap
            elif mapping is None:
                mapping = indent - parent
        if mapping is not None and offset is not None:
            break
        if _KEY_ONLY.match(stripped) and not stripped.endswith(("|", ">")):
            key_column = indent
            while key_column < len(raw) and raw[key_column] in " -":
                key_column += 1
            parent = key_column
        else:
            parent = None
    mapping = mapping or DEFAULT_INDENT[0]
    if offset is None:
        offset = mapping if mapping >= 2 else DEFAULT_INDENT[2]
        sequence = offset + 2
    sequence = max(sequence or offset + 2, offset + 2)
    return Style(mapping, sequence, offset, explicit_start, newline, bom)


# ----------------------------------------------------------------------------- ruamel


# Plain words that YAML 1.1 readers (PyYAML, many editors) take for booleans or null.
_YAML11_WORDS = re.compile(r"(?i)y|n|yes|no|on|off|true|false|null|~")


# Line breaks to YAML 1.1 (libyaml, the loader) but not to YAML 1.2 (ruamel.yaml), which would
# write them raw inside quotes, where a 1.1 reader folds them into spaces.
_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")


def _represent_str(representer: Any, value: str) -> Any:
    """Quote strings that a YAML 1.1 reader would not read back as the same string."""
    style = "'" if _YAML11_WORDS.fullmatch(value) else None
    if _YAML11_BREAKS.search(value):
        style = '"'  # escaped as \\N, \\L, \\P, which every reader reads back
    return representer.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def make_yaml(style: Style = Style(), *, new: bool = False) -> YAML:
    """A ruamel.yaml round-trip instance that writes in ``style``.

    ``new`` is for text socialgov creates: strings such as ``yes`` or ``off`` are quoted, so
    every YAML reader (1.1 or 1.2) reads them as the strings they are.
    """
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line someone wrote on one line
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    yaml.explicit_start = style.explicit_start
    if new:
        yaml.representer.add_representer(str, _represent_str)
    return yaml


def dump_documents(documents: Sequence[Any], style: Style, *, new: bool = False) -> str:
    stream = io.StringIO()
    make_yaml(style, new=new).dump_all(documents, stream)
    return stream.getvalue()


def load_documents(text: str, style: Style) -> list[Any]:
    return list(make_yaml(style).load_all(text))


def _marks(text: str) -> list[str]:
    """What an edit must keep of ``text`` besides its data, sorted: the anchors (``&name``) and
    explicit tags (``!!map``, ``!!str``) written in it, and its whole-line comments as written
    (one on a list item's dash line with its dash: moved to the line above, it would read as
    the previous item's)."""
    found = [
        line.strip()
        for line in text.splitlines()
        if line.lstrip().startswith("#") or _DASH_COMMENT.match(line)
    ]
    if "&" in text or "!" in text:
        from ruamel.yaml import YAML

        for event in YAML(typ="rt").parse(text):
            anchor = getattr(event, "anchor", None)
            if anchor:
                found.append(f"&{anchor}")
            tag = getattr(event, "tag", None)
            if tag:
                found.append(f"!{getattr(tag, 'value', tag)}")
    return sorted(found)


_DASH_COMMENT = re.compile(r"\s*(?:-\s+)+#")


def plain(value: Any, _depth: int = 0) -> Any:
    """``value`` as plain Python data (dicts, lists, str, numbers), for comparing contents."""
    if _depth > 200:
        raise RecursionError("nesting too deep")
    if isinstance(value, dict):
        return {plain(k, _depth + 1): plain(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, _depth + 1) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    tag = getattr(value, "tag", None)
    if tag is not None and hasattr(value, "value"):  # a tagged scalar (``!!str id``, ``!x y``)
        text = str(getattr(tag, "value", tag))
        return value.value if text == "tag:yaml.org,2002:str" else (text, value.value)
    return value


def render_new(documents: Sequence[Any], *, header: str = "", style: Style = Style()) -> str:
    """YAML text for a file socialgov creates: the documents, under an optional comment header."""
    text = dump_documents(documents, style, new=True)
    if header:
        comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
        text = f"{comment}\n{text}"
    return text


# ----------------------------------------------------------------------------- splicing


def splice(original: str, base: str, edited: str) -> str | None:
    """Apply the change ``base`` -> ``edited`` to ``original``, line by line.

    ``base`` is how ruamel.yaml renders ``original`` unedited, ``edited`` how it renders the
    edit. Each changed run of lines must sit on lines that ``base`` and ``original`` share
    exactly; then only those lines of ``original`` are replaced. None when that is not so.
    """
    if base == original:
        return edited
    original_lines = original.splitlines(keepends=True)
    base_lines = base.splitlines(keepends=True)
    edited_lines = edited.splitlines(keepends=True)
    where: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, base_lines, original_lines, autojunk=False)
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                where[i1 + k] = j1 + k
    replacements: list[tuple[int, int, list[str]]] = []
    changes = difflib.SequenceMatcher(None, base_lines, edited_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in changes.get_opcodes():
        if tag == "equal":
            continue
        new = edited_lines[j1:j2]
        if i2 > i1:  # replace or delete: every line must have its twin in the original
            if any(i not in where for i in range(i1, i2)):
                return None
            start, end = where[i1], where[i2 - 1] + 1
            if end - start != i2 - i1:
                return None
        elif i1 - 1 in where and (i1 == len(base_lines) or where.get(i1) == where[i1 - 1] + 1):
            start = end = where[i1 - 1] + 1  # insert after the line it follows in base
        elif i1 in where and i1 == 0:
            start = end = where[i1]
        else:
            return None
        replacements.append((start, end, new))
    result = list(original_lines)
    for start, end, new in sorted(replacements, reverse=True):
        if start > 0 and not result[start - 1].endswith("\n"):
            return None
        result[start:end] = new
    return "".join(result)


# ----------------------------------------------------------------------------- editing files


@dataclass
class YamlFile:
    """One YAML file opened for editing: its round-trip documents and what it looked like.

    Edit ``documents`` in place (they are ruamel.yaml's CommentedMap/CommentedSeq), then
    :meth:`render` or :meth:`save`.
    """

    path: Path
    text: str
    """The text as read, with ``\\n`` line ends and without a byte order mark."""
    style: Style
    documents: list[Any]
    snapshot: Snapshot | None = None
    _rendered: str | None = field(default=None, repr=False)

    @property
    def original(self) -> str:
        """The file's text exactly as it is on disk (line ends and BOM included)."""
        return _restore(self.text, self.style)

    def render(self) -> str:
        """The file's text with the edits made to ``documents``; unedited lines unchanged."""
        edited = dump_documents(self.documents, self.style)
        base = dump_documents(load_documents(self.text, self.style), self.style)
        if edited == base:
            return self.original
        want = plain(self.documents)
        marks = _marks(self.text)
        candidate = splice(self.text, base, edited)
        if candidate is not None and candidate != edited:
            try:
                same = plain(load_documents(candidate, self.style)) == want
                if same and _marks(candidate) == marks:
                    return _restore(candidate, self.style)
            except Exception:  # the splice misplaced something: use the plain rendering
                pass
        if plain(load_documents(edited, self.style)) != want:  # ruamel.yaml could not say it
            raise UnwritableChange(
                self.path,
                "the change cannot be written without altering other data of this file; it "
                "was left as it is: make the change by hand",
            )
        if _marks(edited) != marks:  # the same data, but an anchor, tag or comment not kept
            raise UnwritableChange(
                self.path,
                "the change cannot be written without dropping an anchor (&name) or a tag "
                "(!!type), or moving a comment, written in this file; it was left as it is: "
                "make the change by hand",
            )
        return _restore(edited, self.style)

    @property
    def changed(self) -> bool:
        return self.render() != self.original

    def diff(self, label: str | None = None) -> str:
        """A unified diff from the file on disk to the edited text ('' when nothing changed)."""
        name = label or self.path.as_posix()
        before = self.text.splitlines(keepends=True)
        after = _strip(self.render()).splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{name}", f"b/{name}")
        return "".join(_terminated(lines))

    def save(self) -> bool:
        """Write the edits atomically; False when there was nothing to write.

        Raises :class:`FileChangedError` when the file changed on disk since it was read.
        """
        text = self.render()
        if text == self.original:
            return False
        write_atomic(self.path, text, expected=self.snapshot)
        return True


def _terminated(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        yield line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"


def _strip(text: str) -> str:
    """Text as edited internally: no BOM, ``\\n`` line ends."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def _restore(text: str, style: Style) -> str:
    """Text with the file's own line ends and BOM put back."""
    if style.newline != "\n":
        text = text.replace("\r\n", "\n").replace("\n", style.newline)
    return ("\ufeff" + text) if style.bom else text


def read_yaml(path: Path) -> YamlFile:
    """Open ``path`` for editing; :class:`YamlReadError` says where and why it cannot be."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise YamlReadError(path, f"cannot read the file: {exc.strerror or exc}") from None
    return parse_yaml(path, raw, Snapshot.of_bytes(raw, mtime))


def parse_yaml(path: Path, raw: bytes, snap: Snapshot | None = None) -> YamlFile:
    """A :class:`YamlFile` from the bytes of ``path`` (UTF-8, with or without a BOM)."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise YamlReadError(path, "the file is UTF-16 or UTF-32; save it as UTF-8 to edit it")
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise YamlReadError(
            path,
            f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); save it as UTF-8",
        ) from None
    style = detect_style(decoded)
    text = _strip(decoded)
    try:
        documents = load_documents(text, style)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlReadError(path, f"cannot edit invalid YAML: {problem}", line, column) from None
    except YAMLError as exc:
        raise YamlReadError(path, f"cannot edit the file: {' '.join(str(exc).split())}") from None
    except (ValueError, OverflowError) as exc:
        # valid YAML whose value the editing library cannot make (a date that does not
        # exist, an integer of more digits than Python converts): say which and where
        raise _unreadable_value(path, text, style, exc) from None
    return YamlFile(path, text, style, documents, snap)


def _unreadable_value(path: Path, text: str, style: Style, exc: Exception) -> YamlReadError:
    """The :class:`YamlReadError` for the first scalar of ``text`` that cannot be constructed
    (found again node by node: only on this error's path)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    yaml = make_yaml(style)
    pending: list[Any] = list(reversed(list(yaml.compose_all(text))))  # a stack: file order
    seen: set[int] = set()  # an alias is its anchor's node again (perhaps inside itself)
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            pending.extend(reversed([part for pair in node.value for part in pair]))
        elif isinstance(node, SequenceNode):
            pending.extend(reversed(node.value))
        elif isinstance(node, ScalarNode):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except (ValueError, OverflowError) as error:
                shown = node.value if len(node.value) <= 40 else f"{node.value[:37]}..."
                mark = node.start_mark
                return YamlReadError(
                    path,
                    f"cannot edit the file: the value {shown!r} cannot be read "
                    f"({_why(node.value, error)}); correct or quote it and run again",
                    mark.line + 1,
                    mark.column + 1,
                )
    return YamlReadError(path, f"cannot edit the file: {exc}")


def _why(value: str, error: Exception) -> str:
    if "integer string conversion" in str(error):
        digits = sum(c.isdigit() for c in value)
        limit = sys.get_int_max_str_digits()
        return f"a number of {digits:,} digits, more than the {limit:,} Python reads"
    return " ".join(str(error).split())


# ----------------------------------------------------------------------------- node edits


def get_node(document: Any, node_path: NodePath) -> Any:
    """The node at ``node_path`` inside ``document`` (KeyError/IndexError when missing)."""
    node = document
    for part in node_path:
        node = node[part]
    return node


def styled_like(old: Any, new: Any) -> Any:
    """``new`` written the way ``old`` was: same quoting, same anchor."""
    from ruamel.yaml.scalarstring import ScalarString

    if not isinstance(new, str) or not isinstance(old, ScalarString):
        return new
    value = type(old)(new)
    anchor = getattr(old, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        value.yaml_set_anchor(anchor.value, always_dump=True)
    return value


def own_key(mapping: Any, key: str) -> bool:
    """True when ``key`` is written in ``mapping`` itself, not merged in with ``<<``."""
    own = getattr(mapping, "_ok", None)
    return key in mapping and (own is None or key in own)


def set_value(mapping: Any, key: str, value: Any, *, after: Sequence[str] = ()) -> None:
    """Set ``mapping[key]``, keeping the old value's quoting and the key's comment.

    A new key goes right after the first of ``after`` that the mapping has (else at the end).
    """
    if key in mapping:
        mapping[key] = styled_like(mapping[key], value)
        return
    keys = list(mapping.keys())
    for anchor in after:
        if anchor in keys:
            mapping.insert(keys.index(anchor) + 1, key, value)
            return
    mapping[key] = value
