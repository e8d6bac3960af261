"""socialgov.core.lazy: a module whose code runs when it is first used."""

from __future__ import annotations

import subprocess
import sys

from conftest import PROJECT

_PROBE = """
import sys, types
from socialgov.core.lazy import lazily
assert lazily("json.tool")
assert "json.tool" in sys.modules and "argparse" not in sys.modules  # bound, its code not run
from json import tool
assert "argparse" not in sys.modules  # from-import: the same module, still not run
assert callable(tool.main) and "argparse" in sys.modules  # the first attribute runs it
assert type(tool) is types.ModuleType and sys.modules["json.tool"] is tool
assert not lazily("json.tool")  # imported already: nothing changes
assert not lazily("socialgov_no_such_module")
try:
    import socialgov_no_such_module
except ImportError:
    pass
else:
    raise AssertionError("a missing module imported")
"""


def test_a_lazy_module_runs_at_its_first_attribute() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={"PYTHONPATH": str(PROJECT / "src"), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
