"""``socialgov server`` driven as an editor drives it: a real LSP client (pygls's) talking to
the command over stdio, on a policy repository in a temporary folder."""

from __future__ import annotations

import asyncio
import os
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcMethodNotFound
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

from conftest import PROJECT
from socialgov.source.exact import parse_text

PEOPLE = """\
people:
  - id: jdoe
    name: Jane Doe
    employment: full_time
    status: departed
    departed_on: 2026-06-30
  - id: asmith
    name: Ann Smith
    employment: full_time
teams:
  - id: social
    function: marketing
    lead: asmith
"""

ACCOUNT = """\
# the news account
kind: Account
id: x-news
platform: x
handle: "@acmenews"
owner: jdoe
backup_owner: asmith
team: social
"""

TIMEOUT = 30.0


def write_repo(root: Path) -> None:
    for relpath, text in {
        "socialgov.yaml": "organisation: Test\nselect: [SG1, SG2]\n",
        "people/people.yaml": PEOPLE,
        "accounts/x.yaml": ACCOUNT,
    }.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(textwrap.dedent(text), encoding="utf-8")


class Editor:
    """A pygls client that records what the server publishes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.client = LanguageClient("test-editor", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.messages: list[str] = []
        self.versions: dict[str, int] = {}

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = list(params.diagnostics)

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def message(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    def uri(self, relpath: str) -> str:
        return from_fs_path(str(self.root / relpath)) or ""

    async def start(self, *args: str) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            [str(PROJECT / "src"), *filter(None, [env.get("PYTHONPATH")])]
        )
        await self.client.start_io(
            sys.executable, "-m", "socialgov", "server", "--as-of", "2026-11-24", *args, env=env
        )
        result = await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=self.uri(""),
                workspace_folders=[types.WorkspaceFolder(uri=self.uri(""), name="repo")],
            )
        )
        assert result.capabilities.hover_provider
        assert result.capabilities.definition_provider
        assert result.capabilities.completion_provider is not None
        assert result.capabilities.code_action_provider
        self.client.initialized(types.InitializedParams())

    def open(self, relpath: str, text: str | None = None, language: str = "yaml") -> None:
        if text is None:
            text = (self.root / relpath).read_text(encoding="utf-8")
        self.versions[relpath] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri(relpath), language_id=language, version=1, text=text
                )
            )
        )

    def change(self, relpath: str, text: str) -> None:
        self.versions[relpath] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri(relpath), version=self.versions[relpath]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def wait_for(self, what: str, ready: Callable[[], Any]) -> Any:
        deadline = asyncio.get_running_loop().time() + TIMEOUT
        while asyncio.get_running_loop().time() < deadline:
            value = ready()
            if value:
                return value
            await asyncio.sleep(0.02)
        raise AssertionError(f"timed out waiting for {what}; published: {self.diagnostics}")

    def codes(self, relpath: str) -> list[tuple[str, int, int]]:
        return [
            (str(d.code), d.range.start.line, d.range.start.character)
            for d in self.diagnostics.get(self.uri(relpath), [])
        ]

    def position(self, relpath: str, line: int, character: int) -> dict[str, Any]:
        return {
            "text_document": types.TextDocumentIdentifier(uri=self.uri(relpath)),
            "position": types.Position(line=line, character=character),
        }

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def run(root: Path, scenario: Callable[[Editor], Any], *args: str) -> None:
    async def main() -> None:
        editor = Editor(root)
        await editor.start(*args)
        try:
            await scenario(editor)
        finally:
            await editor.stop()

    asyncio.run(main())


@pytest.mark.slow
def test_an_editor_session(tmp_path: Path) -> None:
    write_repo(tmp_path)

    async def scenario(editor: Editor) -> None:
        # Open the account: the owner defined in another file has left (SG202 at the owner).
        editor.open("accounts/x.yaml")
        await editor.wait_for("SG202", lambda: ("SG202", 5, 7) in editor.codes("accounts/x.yaml"))
        [orphan] = [
            d for d in editor.diagnostics[editor.uri("accounts/x.yaml")] if d.code == "SG202"
        ]
        assert orphan.severity == types.DiagnosticSeverity.Error and orphan.source == "socialgov"
        assert (orphan.range.end.line, orphan.range.end.character) == (5, 11)  # 'jdoe'
        assert "jdoe" in orphan.message and orphan.related_information
        assert orphan.related_information[0].location.uri == editor.uri("people/people.yaml")

        # Hover on the reference: the person and their status; and the finding's explain.
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(**editor.position("accounts/x.yaml", 5, 9))
        )
        assert hover is not None
        text = hover.contents.value
        assert "**Person jdoe** (Jane Doe)" in text
        assert "status: departed (departed on 2026-06-30)" in text
        assert "written at people/people.yaml:2" in text
        assert "**SG202 orphan-account** (error)" in text and "#### How to fix" in text
        assert "- Person jdoe `status: departed` (people/people.yaml:5)" in text  # the chain

        # Go to definition: the person's id in the people file.
        location = await editor.client.text_document_definition_async(
            types.DefinitionParams(**editor.position("accounts/x.yaml", 5, 9))
        )
        assert isinstance(location, types.Location)
        assert location.uri == editor.uri("people/people.yaml")
        assert (location.range.start.line, location.range.start.character) == (1, 8)

        # Completion: reference ids for owner, enum values for platform.
        completion = await editor.client.text_document_completion_async(
            types.CompletionParams(**editor.position("accounts/x.yaml", 6, 14))
        )
        labels = [item.label for item in completion.items]
        assert sorted(labels) == ["asmith", "jdoe"]
        completion = await editor.client.text_document_completion_async(
            types.CompletionParams(**editor.position("accounts/x.yaml", 3, 10))
        )
        labels = [item.label for item in completion.items]
        assert {"x", "facebook", "mastodon"} <= set(labels) and "jdoe" not in labels

        # Code actions: a waiver for the SG202 finding, and socialgov fix for the handle's @.
        actions = await editor.client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri("accounts/x.yaml")),
                range=orphan.range,
                context=types.CodeActionContext(diagnostics=[orphan]),
            )
        )
        titles = [a.title for a in actions]
        waive = next(a for a in actions if a.title.startswith("Waive SG202"))
        [edit] = waive.edit.changes[editor.uri("accounts/x.yaml")]
        assert edit.new_text.startswith("# the news account\nkind: Account\n")
        assert edit.new_text.endswith(
            "team: social\nwaivers:\n  - rule: SG202\n    reason: ''\n    expires: 2027-02-22\n"
        )
        assert parse_text(edit.new_text, "x.yaml").findings == []
        waived = edit.new_text
        fix = next(a for a in actions if a.kind == types.CodeActionKind.SourceFixAll)
        [edit] = fix.edit.changes[editor.uri("accounts/x.yaml")]
        assert "handle: acmenews\n" in edit.new_text or 'handle: "acmenews"\n' in edit.new_text
        assert "# the news account" in edit.new_text, titles

        # Taking the waiver: its empty reason is a finding until the person writes one.
        editor.change("accounts/x.yaml", waived)
        await editor.wait_for(
            "SG106", lambda: any(c == "SG106" for c, *_ in editor.codes("accounts/x.yaml"))
        )
        editor.change("accounts/x.yaml", ACCOUNT)
        await editor.wait_for(
            "SG202 again", lambda: ("SG202", 5, 7) in editor.codes("accounts/x.yaml")
        )

        # Edit the people file (unsaved): Jane is back, and the account's SG202 goes away.
        editor.open("people/people.yaml")
        edited = PEOPLE.replace("status: departed\n    departed_on: 2026-06-30", "status: active")
        editor.change("people/people.yaml", edited)
        await editor.wait_for(
            "SG202 to go",
            lambda: not any(c == "SG202" for c, *_ in editor.codes("accounts/x.yaml")),
        )
        assert "departed" in (tmp_path / "people" / "people.yaml").read_text()  # disk untouched
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(**editor.position("accounts/x.yaml", 5, 9))
        )
        assert "status: active" in hover.contents.value

        # Edits faster than lint: the last one counts.
        for index in range(15):
            editor.change("people/people.yaml", edited.replace("Ann Smith", f"Ann {index}"))
        broken = edited.replace("lead: asmith", "lead: nobody")
        editor.change("people/people.yaml", broken)
        await editor.wait_for(
            "SG104 on the lead",
            lambda: any(c == "SG104" for c, *_ in editor.codes("people/people.yaml")),
        )

    run(tmp_path, scenario)


@pytest.mark.slow
def test_bad_input_keeps_the_server_running(tmp_path: Path) -> None:
    write_repo(tmp_path)
    outside = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    outside.write_text("kind: Account\nid: x\nowner: jdoe\n", encoding="utf-8")

    async def scenario(editor: Editor) -> None:
        editor.open("accounts/x.yaml")
        await editor.wait_for(
            "SG202", lambda: "SG202" in [c for c, *_ in editor.codes("accounts/x.yaml")]
        )
        # A malformed message: the server answers a parse error and goes on.
        server = editor.client._server
        assert server is not None and server.stdin is not None
        server.stdin.write(b"Content-Length: 12\r\n\r\n{not json!!}")
        # An unknown request: MethodNotFound.
        with pytest.raises(JsonRpcMethodNotFound):
            await editor.client.protocol.send_request_async("socialgov/nothing", {})
        # A document that is not YAML and one outside the workspace: no diagnostics, no hover.
        editor.open("notes.md", "# notes\nowner: jdoe\n", language="markdown")
        editor.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=from_fs_path(str(outside)) or "",
                    language_id="yaml",
                    version=1,
                    text=outside.read_text(),
                )
            )
        )
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(
                text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(outside)) or ""),
                position=types.Position(line=2, character=8),
            )
        )
        assert hover is None
        # A YAML syntax error is a finding (SG100) where it is, and the rest is still checked.
        editor.open("accounts/y.yaml", "kind: Account\nid: [unclosed\n")
        await editor.wait_for(
            "SG100", lambda: any(c == "SG100" for c, *_ in editor.codes("accounts/y.yaml"))
        )
        assert "SG202" in [c for c, *_ in editor.codes("accounts/x.yaml")]
        assert editor.uri("notes.md") not in editor.diagnostics
        assert from_fs_path(str(outside)) not in editor.diagnostics
        # Still answering.
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(**editor.position("accounts/x.yaml", 5, 9))
        )
        assert hover is not None and "Person jdoe" in hover.contents.value

    run(tmp_path, scenario)


@pytest.mark.slow
def test_without_a_policy_repository_the_server_says_so(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("kind: Account\nid: x\n", encoding="utf-8")

    async def scenario(editor: Editor) -> None:
        editor.open("a.yaml")
        await editor.wait_for("a message", lambda: editor.messages)
        assert "no socialgov.yaml found" in editor.messages[0]
        hover = await editor.client.text_document_hover_async(
            types.HoverParams(**editor.position("a.yaml", 1, 4))
        )
        assert hover is None and not editor.diagnostics

    run(tmp_path, scenario)


@pytest.mark.slow
def test_changes_on_disk_and_to_the_configuration_are_linted(tmp_path: Path) -> None:
    write_repo(tmp_path)

    async def scenario(editor: Editor) -> None:
        editor.open("accounts/x.yaml")
        await editor.wait_for("SG202", lambda: ("SG202", 5, 7) in editor.codes("accounts/x.yaml"))
        # A change on disk (a git checkout, another tool): the editor says the file changed.
        people = tmp_path / "people" / "people.yaml"
        people.write_text(PEOPLE.replace("lead: asmith", "lead: nobody"), encoding="utf-8")
        editor.client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[
                    types.FileEvent(
                        uri=editor.uri("people/people.yaml"), type=types.FileChangeType.Changed
                    )
                ]
            )
        )
        await editor.wait_for(
            "SG104 from disk",
            lambda: any(c == "SG104" for c, *_ in editor.codes("people/people.yaml")),
        )
        # socialgov.yaml saved with SG202 ignored: the configuration is read again.
        config = tmp_path / "socialgov.yaml"
        config.write_text("organisation: Test\nselect: [SG1, SG2]\nignore: [SG202]\n")
        editor.client.text_document_did_save(
            types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri("socialgov.yaml"))
            )
        )
        await editor.wait_for(
            "SG202 ignored",
            lambda: not any(c == "SG202" for c, *_ in editor.codes("accounts/x.yaml")),
        )
        # A configuration that cannot be read is said, and the server keeps serving.
        config.write_text("select: [SG1\n")
        editor.client.text_document_did_save(
            types.DidSaveTextDocumentParams(
                text_document=types.TextDocumentIdentifier(uri=editor.uri("socialgov.yaml"))
            )
        )
        await editor.wait_for("a message", lambda: editor.messages)
        assert "socialgov.yaml" in editor.messages[-1]

    run(tmp_path, scenario)
