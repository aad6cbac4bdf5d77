"""The analyst's notebook (examples/analyst_notebook.ipynb) runs from top to bottom."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_analyst_notebook_runs_and_shows_its_plots() -> None:
    """Every cell runs without error (nbclient, the notebook's own kernel) and each plot cell
    shows a PNG: the heat map, the bars, ROI, forecast, segments and sales (six)."""
    notebook = nbformat.read(  # type: ignore[no-untyped-call]
        EXAMPLES / "analyst_notebook.ipynb", as_version=4
    )
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(EXAMPLES), env_path) if p)
    try:
        NotebookClient(
            notebook,
            timeout=600,
            kernel_name="python3",
            resources={"metadata": {"path": str(EXAMPLES)}},
        ).execute()
    finally:
        os.environ["PYTHONPATH"] = env_path
    pngs = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "image/png" in output.get("data", {})
    ]
    assert len(pngs) == 6
    errors = [
        o for c in notebook.cells for o in c.get("outputs", []) if o.get("output_type") == "error"
    ]
    assert errors == []
