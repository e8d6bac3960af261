"""Diagnostics latency of ``socialgov server`` after an edit, on generated repositories.

    python benchmarks/server.py                       # 1,000 and 10,000 accounts, 20 edits each
    python benchmarks/server.py --accounts 1000 --edits 50 --results benchmarks/SERVER.md

For each size it generates a repository (benchmarks/generate.py), starts the server as an editor
would (pygls's client over stdio, the server pinned to one core when ``taskset`` exists), opens an
accounts file, waits for the first diagnostics (the cold lint), then edits that file again and
again: each edit turns an owner into an unknown person or back (an SG104 finding that needs the
people files: the cross-file work a keystroke costs). The latency of an edit is the time from
sending ``didChange`` to receiving the file's new diagnostics. The target (SPEC section 13):
under 300 ms at 1,000 accounts on one core.

The numbers are written as a Markdown table (``--results``, else printed); tests run only a tiny
smoke run of this script (tests/test_benchmarks_server.py), never timings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_MS = 300.0


async def measure(root: Path, edits: int, pin: bool) -> dict[str, float]:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("socialgov-bench", "1")
    published: dict[str, tuple[float, list[str]]] = {}
    changed = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def publish(params: types.PublishDiagnosticsParams) -> None:
        published[params.uri] = (time.perf_counter(), [str(d.code) for d in params.diagnostics])
        changed.set()

    command = [sys.executable, "-m", "socialgov", "server", "--as-of", "2026-11-24"]
    if pin and shutil.which("taskset"):
        command = ["taskset", "-c", "0", *command]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent / "src"), *filter(None, [env.get("PYTHONPATH")])]
    )
    await client.start_io(command[0], *command[1:], env=env)
    root_uri = from_fs_path(str(root)) or ""
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=root_uri)
    )
    client.initialized(types.InitializedParams())

    accounts = sorted((root / "accounts").glob("*.yaml"))[0]
    uri = from_fs_path(str(accounts)) or ""
    text = accounts.read_text(encoding="utf-8")
    owner_line = next(line for line in text.splitlines() if line.strip().startswith("owner:"))
    broken = text.replace(owner_line, owner_line.replace("owner: ", "owner: nobody-"), 1)

    started = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
        )
    )
    while uri not in published:
        await asyncio.wait_for(changed.wait(), 120)
        changed.clear()
    cold = published[uri][0] - started
    base = published[uri][1].count("SG104")  # a generated file may hold some already

    latencies: list[float] = []
    version = 1
    for index in range(edits):
        version += 1
        want_unknown = index % 2 == 0
        before = published[uri]
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[
                    types.TextDocumentContentChangeWholeDocument(
                        text=broken if want_unknown else text
                    )
                ],
            )
        )
        while True:
            await asyncio.wait_for(changed.wait(), 120)
            changed.clear()
            now = published[uri]
            if now is not before and now[1].count("SG104") == base + want_unknown:
                break
        latencies.append(published[uri][0] - sent)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    latencies.sort()
    return {
        "cold_ms": cold * 1000,
        "median_ms": statistics.median(latencies) * 1000,
        "p90_ms": latencies[int(0.9 * (len(latencies) - 1))] * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def render(rows: list[tuple[int, int, dict[str, float]]]) -> str:
    lines = [
        "# socialgov server: diagnostics latency after an edit",
        "",
        f"Target: under {TARGET_MS:.0f} ms at 1,000 accounts, one core (SPEC section 13).",
        "Produced by `python benchmarks/server.py`.",
        "",
        "| accounts | edits | first lint (ms) | median (ms) | p90 (ms) | max (ms) | target met |",
        "|---:|---:|---:|---:|---:|---:|---|",
    ]
    for accounts, edits, m in rows:
        met = "yes" if m["median_ms"] < TARGET_MS else "no"
        if accounts > 1000:
            met = "(no target)"
        lines.append(
            f"| {accounts:,} | {edits} | {m['cold_ms']:.0f} | {m['median_ms']:.0f} | "
            f"{m['p90_ms']:.0f} | {m['max_ms']:.0f} | {met} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--accounts", type=int, action="append", help="repository size (repeatable)"
    )
    parser.add_argument("--edits", type=int, default=20, help="edits measured at each size")
    parser.add_argument("--data", type=Path, help="where repositories are generated")
    parser.add_argument("--results", type=Path, help="write the Markdown table here")
    parser.add_argument("--no-pin", action="store_true", help="do not pin the server to a core")
    args = parser.parse_args(argv)
    sizes = args.accounts or [1000, 10_000]
    sys.path.insert(0, str(HERE))
    import generate

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        data = args.data or Path(scratch)
        for accounts in sizes:
            root = data / f"server-{accounts}"
            if not (root / "socialgov.yaml").is_file():
                generate.main(["--accounts", str(accounts), "--out", str(root)])
            result = asyncio.run(measure(root, max(args.edits, 1), not args.no_pin))
            rows.append((accounts, max(args.edits, 1), result))
            print(
                f"{accounts:,} accounts: median {result['median_ms']:.0f} ms, "
                f"p90 {result['p90_ms']:.0f} ms",
                file=sys.stderr,
            )
    report = render(rows)
    if args.results:
        args.results.write_text(report, encoding="utf-8")
    else:
        print(report, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
