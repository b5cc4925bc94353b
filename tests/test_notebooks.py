"""The notebooks in notebooks/: committed without outputs, and each runs from a clean kernel.

Executing them needs the ``notebook`` extra (``pip install -e '.[dev,notebook]'``, which CI
installs) and the shared honest-page corpus; without either the tests skip and say why.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED, needs_shared

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: Each notebook must finish well within this (seconds); a slower one fails rather than hangs CI.
TIMEOUT = 300


def test_there_are_notebooks() -> None:
    assert {p.name for p in NOTEBOOKS} >= {"quickstart.ipynb", "crawl-triage.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    for n, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert cell.get("outputs") == [], f"{path.name} cell {n} has outputs: clear them before committing"
        assert cell.get("execution_count") is None, f"{path.name} cell {n} has an execution count"
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3"


@needs_shared
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_runs_from_a_clean_kernel(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat", reason="needs the notebook extra: pip install -e '.[notebook]'")
    nbclient = pytest.importorskip("nbclient", reason="needs the notebook extra: pip install -e '.[notebook]'")
    pytest.importorskip("ipykernel", reason="needs the notebook extra: pip install -e '.[notebook]'")
    pytest.importorskip("matplotlib", reason="needs the notebook extra: pip install -e '.[notebook]'")

    nb = nbformat.read(path, as_version=4)
    # The kernel inherits the environment: point it at the same corpus the tests use, keep
    # matplotlib off any display and Jupyter's runtime files out of the user's home.
    monkeypatch.setenv("SPAMFARM_SHARED", str(SHARED))
    monkeypatch.delenv("SPAMFARM_CRAWL", raising=False)  # crawl-triage builds its demonstration crawl
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where that crawl is written; pytest cleans it up
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    # Run the kernel on this interpreter (the one with spamfarm installed), whatever "python3"
    # kernel the machine has or "python" is on PATH: a kernel spec in a folder Jupyter reads first.
    spec_dir = tmp_path / "jupyter" / "kernels" / "python3"
    spec_dir.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (spamfarm tests)",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    client = nbclient.NotebookClient(
        nb, timeout=TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    t0 = time.monotonic()
    client.execute()  # raises CellExecutionError, with the cell and its traceback, if a cell fails
    seconds = time.monotonic() - t0
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    print(f"{path.name}: {seconds:.1f} s")
