"""``socialgov server``: a Language Server (LSP over stdio) for any editor, on pygls.

It lints the whole repository with the same engine as ``socialgov lint``
(socialgov.commands.session), the texts of the open documents in place of the files on disk, and
publishes the findings of every file as diagnostics: an edit to people/ moves the diagnostics of
accounts/. Edits are coalesced: one lint runs at a time, in a worker thread, and when it ends the
next starts from the latest texts, so the editor never waits and a burst of keystrokes costs one or
two runs.

Besides diagnostics: hover on a reference (the entity it names, its status) and on a finding
(its rule's ``explain``), go to definition on a reference, completion of reference ids, enum
values, kinds and rule codes, and code actions for ``fix`` and for adding a waiver (an empty
reason and an expiry ninety days ahead, which the person completes: the empty reason is an
SG106 finding until they do).

Anything the protocol does not cover is answered as the protocol says: an unknown request
with MethodNotFound, a malformed message with a parse error (by pygls); a document that is
not a YAML file of the repository (another language, a file outside the workspace, the
configuration) gets no diagnostics and no answers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from socialgov import __version__
from socialgov.commands.session import Session, Snapshot
from socialgov.config import Config
from socialgov.core.errors import SocialgovError
from socialgov.core.findings import Finding, Severity
from socialgov.model import KINDS, PLURALS, REFERENCES, Entity, Model

logger = logging.getLogger(__name__)

SOURCE = "socialgov"
COALESCE_SECONDS = 0.02
"""How long a lint waits after an edit for the next keystroke before it starts."""
WAIVER_DAYS = 90
ID_CHARS = re.compile(r"[A-Za-z0-9._@-]")
KEY_LINE = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[A-Za-z_][\w.-]*)\s*:(?:\s|$)")
ITEM_LINE = re.compile(r"^(?P<indent>\s*)-(?:\s|$)")
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


# ----------------------------------------------------------------------------- reading the text


@dataclass(frozen=True)
class Cursor:
    """What is under the cursor: the key whose value it is in, the word, and the entity's kind
    as far as the text shows it."""

    field: str | None
    word: str
    start: int
    end: int
    kind: str | None
    on_key: bool = False


def cursor_at(text: str, line: int, character: int) -> Cursor | None:
    """The :class:`Cursor` at a 0-based line and character of ``text``."""
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    current = lines[line]
    start = end = min(character, len(current))
    while start > 0 and ID_CHARS.match(current[start - 1]):
        start -= 1
    while end < len(current) and ID_CHARS.match(current[end]):
        end += 1
    word = current[start:end]
    match = KEY_LINE.match(current)
    field: str | None = None
    on_key = False
    if match is not None:
        key_start = match.start("key")
        colon = current.index(":", match.end("key"))
        if character <= colon and character >= key_start:
            on_key = True
            field = match.group("key")
        else:
            field = match.group("key")
    elif ITEM_LINE.match(current) is not None:
        field = _list_key(lines, line)
    return Cursor(field, word, start, end, _kind_at(lines, line), on_key)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _list_key(lines: list[str], line: int) -> str | None:
    """The key whose value is the block list that the item at ``line`` belongs to."""
    dash = _indent(lines[line])
    for index in range(line - 1, -1, -1):
        text = lines[index]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        indent = _indent(text)
        if indent > dash or (indent == dash and ITEM_LINE.match(text)):
            continue
        match = KEY_LINE.match(text)
        if match is None or indent > dash:
            return None
        rest = text[text.index(":", match.end("key")) + 1 :].split("#")[0].strip()
        return match.group("key") if not rest else None
    return None


def _kind_at(lines: list[str], line: int) -> str | None:
    """The kind of the entity written around ``line``: a top-level ``kind:`` in its YAML
    document, or the top-level collection key it is listed under."""
    plurals = PLURALS
    for index in range(line, -1, -1):
        text = lines[index]
        if text.startswith("---"):
            break
        match = KEY_LINE.match(text)
        if match is None or match.group("indent") or match.group("dash"):
            continue
        key = match.group("key")
        if key in plurals:
            return plurals[key]
        if key == "kind":
            return text.split(":", 1)[1].split("#")[0].strip().strip("'\"") or None
    for text in lines[line + 1 :]:
        if text.startswith("---"):
            break
        if text.startswith("kind:"):
            return text.split(":", 1)[1].split("#")[0].strip().strip("'\"") or None
    return None


def reference_kinds(kind: str | None, field: str | None) -> tuple[str, ...]:
    """The kinds that ``field`` of a ``kind`` entity names (empty when it is no reference)."""
    if kind is None or field is None:
        return ()
    for reference in REFERENCES.get(kind, ()):
        if reference.field == field:
            return reference.kinds
    return ()


@cache
def enum_values(kind: str, field: str) -> tuple[str, ...]:
    """The values the JSON Schema of ``kind`` allows for a field called ``field``."""
    from socialgov.schema.validation import load_schema

    try:
        schema = load_schema(f"{kind.lower()}.schema.json")
    except (OSError, KeyError, ValueError):
        return ()

    def walk(node: Any) -> Iterator[tuple[str, ...]]:
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict) and isinstance(properties.get(field), dict):
                prop = properties[field]
                for where in (prop, prop.get("items")):
                    if isinstance(where, dict) and isinstance(where.get("enum"), list):
                        yield tuple(str(v) for v in where["enum"])
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)

    return next(walk(schema), ())


def token_end(line: str, column: int) -> int:
    """Where the YAML scalar (or key) starting at 0-based ``column`` of ``line`` ends."""
    if column >= len(line):
        return column
    if line[column] in "'\"":
        close = line.find(line[column], column + 1)
        return close + 1 if close > 0 else len(line)
    end = column
    while end < len(line) and line[end] not in ":#,]}" and not line[end].isspace():
        end += 1
    if end == column:
        rest = line[column:].split(" #")[0].rstrip()
        end = column + max(1, len(rest))
    return end


# ----------------------------------------------------------------------------- the server


def _entity_markdown(entity: Entity, model: Model) -> str:
    data = entity.data
    title = data.get("name") or data.get("title") or data.get("statement")
    lines = [f"**{entity.kind} {entity.id}**" + (f" ({title})" if title else "")]
    facts: list[str] = []
    if entity.kind == "Person":
        status = str(data.get("status", "active"))
        if data.get("departed_on"):
            status += f" (departed on {data['departed_on']})"
        facts.append(f"status: {status}")
        for name in ("employment", "role", "team"):
            if data.get(name):
                facts.append(f"{name}: {data[name]}")
    elif entity.kind == "Team":
        lead = data.get("lead")
        if lead:
            person = model.find("Person", str(lead))
            lead_status = str(person.data.get("status", "active")) if person else "unknown"
            facts.append(f"lead: {lead} ({lead_status})")
        else:
            facts.append("lead: none")
        if data.get("function"):
            facts.append(f"function: {data['function']}")
    else:
        for name in ("status", "platform", "handle", "type", "purpose", "owner", "version"):
            if data.get(name) is not None:
                facts.append(f"{name}: {data[name]}")
        if entity.kind in ("Account", "Channel") and "status" not in data:
            facts.insert(0, "status: active")
        if data.get("review_by"):
            facts.append(f"review by: {data['review_by']}")
    pos = entity.locate()
    lines += [f"- {fact}" for fact in facts]
    lines.append(f"\nwritten at {entity.path}:{pos.line}")
    return "\n".join(lines)


class SocialgovServer(LanguageServer):
    """The language server: one :class:`Session` per workspace, the latest :class:`Snapshot`."""

    def __init__(
        self,
        root: Path | None = None,
        config_path: Path | None = None,
        as_of: dt.date | None = None,
    ) -> None:
        super().__init__("socialgov", __version__)
        self.fixed_root = root
        self.config_path = config_path
        self.as_of = as_of
        self.session: Session | None = None
        self.snapshot: Snapshot | None = None
        self.published: dict[str, tuple[Any, ...]] = {}
        self.dirty = False
        self.task: asyncio.Task[None] | None = None
        self.runs = 0

    # -- set-up

    def start_session(self, folder: Path | None) -> None:
        from socialgov.config import find_root, load_config, resolve_root

        try:
            root = resolve_root(self.fixed_root) if self.fixed_root else None
            if root is None:
                if folder is None:
                    return
                root = find_root(folder)
            config: Config = load_config(root, self.config_path)
            if self.as_of is not None:
                config = config.with_overrides(as_of=self.as_of)
            self.session = Session(config)
        except SocialgovError as exc:
            self.session = None
            self.tell(f"socialgov: {exc}", types.MessageType.Warning)

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # -- documents

    def relpath(self, uri: str) -> str | None:
        """The repository path of a document; None for anything that is not one of its YAML
        files (another scheme, outside the root, not YAML, the configuration)."""
        if self.session is None:
            return None
        path = to_fs_path(uri)
        if not path:
            return None
        relpath = self.session.relative(Path(path))
        if relpath is None or not self.session.is_repository_file(relpath):
            return None
        return relpath

    def uri(self, relpath: str) -> str:
        assert self.session is not None
        return from_fs_path(str(self.session.config.root / relpath)) or ""

    def texts(self) -> dict[str, str]:
        texts: dict[str, str] = {}
        for uri, document in self.workspace.text_documents.items():
            relpath = self.relpath(uri)
            if relpath is not None:  # a YAML file of the repository, whatever the language id
                texts[relpath] = document.source
        return texts

    def text_of(self, uri: str) -> str:
        return self.workspace.get_text_document(uri).source

    # -- linting

    def schedule(self) -> None:
        if self.session is None:
            return
        self.dirty = True
        if self.task is None or self.task.done():
            self.task = asyncio.ensure_future(self._lint_loop())

    async def _lint_loop(self) -> None:
        loop = asyncio.get_running_loop()
        await asyncio.sleep(COALESCE_SECONDS)
        while self.dirty and self.session is not None:
            self.dirty = False
            session, texts = self.session, self.texts()
            try:
                snapshot = await loop.run_in_executor(None, session.lint, texts)
            except SocialgovError as exc:
                self.tell(f"socialgov: {exc}")
                continue
            except Exception as exc:  # a bug: say so, keep serving
                logger.exception("lint failed")
                self.tell(f"socialgov: internal error: {type(exc).__name__}: {exc}")
                continue
            if session is self.session:
                self.snapshot = snapshot
                self.runs += 1
                self.publish(snapshot)

    def publish(self, snapshot: Snapshot) -> None:
        """Diagnostics for every file whose findings changed since the last publication, and
        for each open document once at least (an empty list says it was checked)."""
        grouped = snapshot.by_path()
        open_files = set(snapshot.texts)
        for relpath in sorted(set(grouped) | set(self.published) | open_files):
            findings = grouped.get(relpath, [])
            key = tuple((f.fingerprint, f.line, f.column, f.message, f.severity) for f in findings)
            if self.published.get(relpath) == key:
                continue
            text = snapshot.texts.get(relpath)
            if text is None:
                text = self._disk_text(relpath)
            diagnostics = [self.diagnostic(f, text, snapshot.model) for f in findings]
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=self.uri(relpath), diagnostics=diagnostics)
            )
            if key or relpath in open_files:
                self.published[relpath] = key
            else:
                self.published.pop(relpath, None)

    def _disk_text(self, relpath: str) -> str:
        assert self.session is not None
        try:
            raw = (self.session.config.root / relpath).read_bytes()
        except OSError:
            return ""
        return raw[: 4 * 1024 * 1024].decode("utf-8", "replace")

    def diagnostic(self, finding: Finding, text: str, model: Model) -> types.Diagnostic:
        lines = text.split("\n")
        line = max(finding.line - 1, 0)
        column = max(finding.column - 1, 0)
        end = token_end(lines[line], column) if line < len(lines) else column + 1
        related = []
        for ref in finding.related:
            entity = model.find(ref.kind, ref.id)
            if entity is None:
                continue
            pos = entity.locate()
            related.append(
                types.DiagnosticRelatedInformation(
                    location=types.Location(
                        uri=self.uri(entity.path), range=_range(pos.line - 1, pos.column - 1)
                    ),
                    message=f"{ref.kind} {ref.id}",
                )
            )
        return types.Diagnostic(
            range=types.Range(
                start=types.Position(line=line, character=column),
                end=types.Position(line=line, character=max(end, column + 1)),
            ),
            severity=SEVERITIES[finding.severity],
            code=finding.code,
            source=SOURCE,
            message=f"{finding.message} ({finding.name})",
            related_information=related or None,
            data={
                "fingerprint": finding.fingerprint,
                "entity": finding.entity.as_dict() if finding.entity else None,
                "name": finding.name,
            },
        )

    # -- what is under the cursor

    def entity_under(self, uri: str, position: types.Position) -> tuple[Cursor, Entity] | None:
        """The entity that the reference under the cursor names."""
        snapshot = self.snapshot
        if snapshot is None or self.relpath(uri) is None:
            return None
        cursor = cursor_at(self.text_of(uri), position.line, position.character)
        if cursor is None or not cursor.word or cursor.on_key:
            return None
        kinds = reference_kinds(cursor.kind, cursor.field)
        if not kinds and cursor.field in ("person", "approved_by", "lead"):
            kinds = ("Person",)
        if not kinds and cursor.field in ("from", "to"):
            kinds = ("Team",)
        wanted = cursor.word.partition("@")[0] if "Policy" in kinds else cursor.word
        for kind in kinds:
            entity = snapshot.model.find(kind, wanted)
            if entity is not None:
                return cursor, entity
        return None

    def findings_at(self, uri: str, line: int) -> list[Finding]:
        snapshot, relpath = self.snapshot, self.relpath(uri)
        if snapshot is None or relpath is None:
            return []
        return [f for f in snapshot.result.findings if f.path == relpath and f.line == line + 1]


def _range(line: int, column: int, end: int | None = None) -> types.Range:
    return types.Range(
        start=types.Position(line=line, character=column),
        end=types.Position(line=line, character=end if end is not None else column),
    )


def create_server(
    root: Path | None = None, config_path: Path | None = None, as_of: dt.date | None = None
) -> SocialgovServer:
    server = SocialgovServer(root, config_path, as_of)

    @server.feature(types.INITIALIZED)
    def initialized(ls: SocialgovServer, params: types.InitializedParams) -> None:
        folder = ls.workspace.root_path
        ls.start_session(Path(folder) if folder else None)
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SocialgovServer, params: types.DidOpenTextDocumentParams) -> None:
        if ls.relpath(params.text_document.uri) is not None:
            ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SocialgovServer, params: types.DidChangeTextDocumentParams) -> None:
        if ls.relpath(params.text_document.uri) is not None:
            ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SocialgovServer, params: types.DidCloseTextDocumentParams) -> None:
        if ls.relpath(params.text_document.uri) is not None:
            ls.schedule()  # the file on disk counts again

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: SocialgovServer, params: types.DidSaveTextDocumentParams) -> None:
        path = to_fs_path(params.text_document.uri)
        if path and Path(path).name == "socialgov.yaml":
            ls.start_session(Path(path).parent)
        ls.schedule()

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: SocialgovServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(change.uri.endswith("socialgov.yaml") for change in params.changes):
            path = to_fs_path(params.changes[0].uri)
            ls.start_session(Path(path).parent if path else None)
        ls.schedule()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: SocialgovServer, params: types.HoverParams) -> types.Hover | None:
        parts: list[str] = []
        found = ls.entity_under(params.text_document.uri, params.position)
        if found is not None and ls.snapshot is not None:
            parts.append(_entity_markdown(found[1], ls.snapshot.model))
        for finding in ls.findings_at(params.text_document.uri, params.position.line):
            parts.append(_finding_markdown(finding, ls.snapshot))
        if not parts:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)
            )
        )

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: SocialgovServer, params: types.DefinitionParams) -> types.Location | None:
        found = ls.entity_under(params.text_document.uri, params.position)
        if found is None:
            return None
        entity = found[1]
        pos = entity.locate(("id",))
        return types.Location(
            uri=ls.uri(entity.path),
            range=_range(pos.line - 1, pos.column - 1, pos.column - 1 + len(entity.id)),
        )

    @server.feature(
        types.TEXT_DOCUMENT_COMPLETION,
        types.CompletionOptions(trigger_characters=[":", " ", "-", "["]),
    )
    def completion(ls: SocialgovServer, params: types.CompletionParams) -> types.CompletionList:
        items = _completions(ls, params.text_document.uri, params.position)
        return types.CompletionList(is_incomplete=False, items=items)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
        ),
    )
    def code_action(
        ls: SocialgovServer, params: types.CodeActionParams
    ) -> list[types.CodeAction] | None:
        return _code_actions(ls, params) or None

    return server


def _finding_markdown(finding: Finding, snapshot: Snapshot | None) -> str:
    from socialgov.commands.explain import explain_markdown

    head = f"**{finding.code} {finding.name}** ({finding.severity}): {finding.message}"
    info = next((r for r in snapshot.rules if r.code == finding.code), None) if snapshot else None
    if snapshot is not None:
        from socialgov.report.chain import chain

        links = chain(finding, snapshot.model, info)
        if len(links) > 1:
            steps = [
                f"- {link.entity}"
                + (f" `{link.field}: {link.value}`" if link.field else "")
                + f" ({link.path}:{link.line})"
                for link in links
            ]
            head += "\n\nThe entities behind it:\n" + "\n".join(steps)
    if info is None:
        return head
    body = explain_markdown(info).split("\n", 1)[1].replace("\n### ", "\n#### ")
    return f"{head}\n{body}"


def _completions(ls: SocialgovServer, uri: str, position: types.Position) -> list[Any]:
    snapshot = ls.snapshot
    if ls.relpath(uri) is None:
        return []
    cursor = cursor_at(ls.text_of(uri), position.line, position.character)
    if cursor is None or cursor.field is None or cursor.on_key:
        return []
    items: list[types.CompletionItem] = []
    if cursor.field == "kind":
        return [types.CompletionItem(label=k, kind=types.CompletionItemKind.Class) for k in KINDS]
    if cursor.field == "rule" and snapshot is not None:
        return [
            types.CompletionItem(
                label=info.code, detail=info.name, kind=types.CompletionItemKind.Constant
            )
            for info in snapshot.rules
        ]
    kinds = reference_kinds(cursor.kind, cursor.field)
    if not kinds and cursor.field in ("person", "approved_by", "lead"):
        kinds = ("Person",)
    if kinds and snapshot is not None:
        for kind in kinds:
            for entity in snapshot.model.of(kind):
                data = entity.data
                detail = " ".join(
                    str(v)
                    for v in (kind, data.get("name") or data.get("title"), data.get("status"))
                    if v
                )
                items.append(
                    types.CompletionItem(
                        label=entity.id, detail=detail, kind=types.CompletionItemKind.Reference
                    )
                )
        return items
    if cursor.kind is not None:
        for value in enum_values(cursor.kind, cursor.field):
            items.append(
                types.CompletionItem(label=value, kind=types.CompletionItemKind.EnumMember)
            )
    return items


def _code_actions(ls: SocialgovServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    uri = params.text_document.uri
    relpath, snapshot = ls.relpath(uri), ls.snapshot
    if relpath is None or snapshot is None or relpath in snapshot.unreadable:
        return []
    text = ls.text_of(uri)
    actions: list[types.CodeAction] = []
    versions = {p.id: p.version for p in snapshot.model.policies if isinstance(p.version, int)}
    from socialgov.writing.fix import FIXES, fix_text
    from socialgov.writing.writer import YamlReadError

    try:
        fixed, applied = fix_text(relpath, text, versions)
    except (YamlReadError, SocialgovError):
        fixed, applied = text, []
    fixable = {fix.code for fix in FIXES if not fix.unsafe}
    diagnostics = [d for d in params.context.diagnostics if d.source == SOURCE]
    if applied:
        edit = _whole(uri, text, fixed)
        for diagnostic in diagnostics:
            if diagnostic.code in fixable:
                actions.append(
                    types.CodeAction(
                        title=f"Fix {diagnostic.code} and the file's other safe fixes "
                        "(socialgov fix)",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        edit=edit,
                    )
                )
        actions.append(
            types.CodeAction(
                title=f"socialgov fix: apply {len(applied)} safe fix(es) to this file",
                kind=types.CodeActionKind.SourceFixAll,
                edit=edit,
            )
        )
    from socialgov.rules.waivers import UNWAIVABLE

    for diagnostic in diagnostics:
        data = diagnostic.data if isinstance(diagnostic.data, Mapping) else None
        entity = data.get("entity") if data else None
        code = str(diagnostic.code or "")
        if not isinstance(entity, Mapping) or code.lower() in UNWAIVABLE:
            continue
        expires = snapshot.result.config.as_of + dt.timedelta(days=WAIVER_DAYS)
        try:
            kind, entity_id = str(entity["kind"]), str(entity["id"])
            waived = add_waiver(relpath, text, kind, entity_id, code, expires)
        except (YamlReadError, SocialgovError):
            continue
        if waived is None:
            continue
        actions.append(
            types.CodeAction(
                title=f"Waive {code} for {entity['kind']} {entity['id']} (fill in the reason "
                "and the expiry)",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=_whole(uri, text, waived),
            )
        )
    return actions


def _whole(uri: str, before: str, after: str) -> types.WorkspaceEdit:
    lines = before.split("\n")
    return types.WorkspaceEdit(
        changes={
            uri: [
                types.TextEdit(
                    range=types.Range(
                        start=types.Position(line=0, character=0),
                        end=types.Position(line=len(lines) - 1, character=len(lines[-1])),
                    ),
                    new_text=after,
                )
            ]
        }
    )


def add_waiver(
    relpath: str, text: str, kind: str, entity_id: str, code: str, expires: dt.date
) -> str | None:
    """``text`` with a waiver of ``code`` added to the entity (kind, id): an empty reason for
    the person to write (lint reports it, SG106, until they do) and ``expires``. None when the
    entity is not written in ``text``."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from socialgov.model import entity_mappings
    from socialgov.writing.writer import parse_yaml

    opened = parse_yaml(Path(relpath), text.encode("utf-8"))
    for document in opened.documents:
        for found_kind, mapping in entity_mappings(document):
            if found_kind != kind or str(mapping.get("id")) != entity_id:
                continue
            waiver = CommentedMap()
            waiver["rule"] = code
            waiver["reason"] = ""
            waiver["expires"] = expires
            waivers = mapping.get("waivers")
            if isinstance(waivers, list):
                waivers.append(waiver)
            else:
                seq = CommentedSeq()
                seq.append(waiver)
                mapping["waivers"] = seq
            return opened.render()
    return None


def serve(root: Path | None, config_path: Path | None, as_of: dt.date | None) -> None:
    """Run the server on standard input and output until the client says exit."""
    import sys

    logging.basicConfig(level=logging.WARNING, format="socialgov server: %(message)s")
    try:
        stdin = sys.stdin.buffer
        stdin.fileno()  # a pipe or a terminal; not a stream that cannot be read
    except (OSError, ValueError, AttributeError) as exc:
        raise SocialgovError(
            f"cannot read standard input ({exc}); socialgov server talks LSP over standard "
            "input and output, and an editor starts it (see docs/editors.md)"
        ) from None
    create_server(root, config_path, as_of).start_io(stdin, sys.stdout.buffer)
