"""A repository file from bytes to parsed documents: read bounded, decoded (UTF-8 with or without
BOM, UTF-16/32 with BOM; bad bytes are findings at their position), then parsed on the fast path
(socialgov.source.fastyaml) when it can give exactly what the exact parser
(socialgov.source.loader) gives, else on the exact one."""

from __future__ import annotations

from pathlib import Path

from socialgov.core.files import FileTooBig, read_bounded
from socialgov.core.findings import Position
from socialgov.source.loader import (
    _BOMS,
    DEFAULT_LIMITS,
    ParsedFile,
    limit_message,
    syntax_finding,
    text_position,
)


class DecodeError(ValueError):
    """Bytes that are not text in the file's encoding, with the offset of the first bad byte."""

    def __init__(self, encoding: str, offset: int, byte: int, position: Position) -> None:
        super().__init__(f"not valid {encoding}: byte 0x{byte:02x} at offset {offset}")
        self.encoding = encoding
        self.offset = offset
        self.byte = byte
        self.position = position


BOMS = tuple(bom for bom, _ in _BOMS)
"""The byte order marks :func:`decode` reads: bytes without one that decode are the text's
UTF-8, byte for byte."""


def decode(raw: bytes) -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM) or UTF-16/32 with a BOM.

    Raises DecodeError naming the byte offset (counted from the start of the file, BOM
    included) and the line and column of the first byte that is not valid.
    """
    encoding, skip = "utf-8", 0
    for bom, name in _BOMS:
        if raw.startswith(bom):
            encoding, skip = name, len(bom)
            break
    try:
        return raw[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        offset = skip + exc.start
        good = raw[skip:offset].decode(encoding, errors="replace")
        shown = encoding.upper().replace("-LE", " LE").replace("-BE", " BE")
        raise DecodeError(shown, offset, raw[offset], text_position(good, len(good))) from None


def load_file(root: Path, relpath: str, limits: dict[str, int] | None = None) -> ParsedFile:
    """Read and parse one file of the repository; every problem becomes an SG100 finding."""
    limits = {**DEFAULT_LIMITS, **(limits or {})}
    try:
        raw = read_bounded(root / relpath, limits["max_file_bytes"])
    except FileTooBig as exc:
        return ParsedFile(
            relpath,
            [],
            [
                syntax_finding(
                    relpath,
                    limit_message(
                        f"the file is {exc.size:,} bytes, over the limit of "
                        f"{limits['max_file_bytes']:,}; it is not read",
                        "max_file_bytes",
                        "split it",
                    ),
                    key="limits.max_file_bytes",
                )
            ],
        )
    except OSError as exc:
        return ParsedFile(relpath, [], [syntax_finding(relpath, _read_problem(exc), key="read")])
    try:
        text = decode(raw)
    except DecodeError as exc:
        return ParsedFile(
            relpath,
            [],
            [
                syntax_finding(
                    relpath,
                    f"the file is not valid {exc.encoding}: byte 0x{exc.byte:02x} at offset "
                    f"{exc.offset} cannot be decoded; {_encoding_hint(raw)}",
                    exc.position,
                    key="encoding",
                )
            ],
            len(raw),
        )
    parsed = parse_file_text(text, relpath, limits)
    parsed.size = len(raw)
    return parsed


def parse_file_text(text: str, path: str, limits: dict[str, int]) -> ParsedFile:
    """Parse a repository file's text: on the fast path (socialgov.source.fastyaml) when it is
    certain to give what parse_text gives, which is what happens otherwise."""
    from socialgov.source import fastyaml

    if fastyaml.enabled():
        parsed = fastyaml.parse(text, path, limits)
        if parsed is not None:
            return parsed
    from socialgov.source.exact import parse_text

    return parse_text(text, path, limits)


def _encoding_hint(raw: bytes) -> str:
    """What to do about bytes that do not decode, guessing what the file really is."""
    if raw.count(0) > len(raw) // 4:
        return (
            "the file looks like UTF-16 without a byte order mark, or binary; save it as UTF-8 "
            "(a binary file does not belong here: exclude it in socialgov.yaml)"
        )
    return (
        "save the file as UTF-8 (a binary file does not belong here: exclude it in socialgov.yaml)"
    )


def _read_problem(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return (
            f"cannot read the file: {reason}; give the user running socialgov read access, "
            "or exclude the file in socialgov.yaml"
        )
    return f"cannot read the file: {reason}; replace it with a readable YAML file or exclude it"
