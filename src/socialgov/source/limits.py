"""The resource limits for hostile input, apart from the parsers: the configuration needs them
without importing a YAML parser (a warm run reads its configuration from the cache)."""

from __future__ import annotations

DEFAULT_LIMITS: dict[str, int] = {
    "max_file_bytes": 20 * 1024 * 1024,
    "max_total_bytes": 512 * 1024 * 1024,
    "max_nodes_per_file": 2_000_000,
    "max_total_nodes": 50_000_000,
    "max_depth": 64,
    "max_scalar_chars": 100_000,
    "max_documents_per_file": 10_000,
    "max_files": 200_000,
}
"""Resource limits for hostile input; ``limits:`` in socialgov.yaml overrides each one."""
