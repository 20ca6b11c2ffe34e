"""House rules of the extractors: short functions (issue 16), checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

EXTRACTORS = Path(__file__).resolve().parents[1] / "geokg" / "extractors"
MAX_LINES = 60


def _long_functions(paths: list[Path]) -> set[tuple[str, str]]:
    """(file name, function name) of each function over :data:`MAX_LINES`, counted from its
    ``def`` to its last line."""
    out = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                end = node.end_lineno or node.lineno
                if end - node.lineno + 1 > MAX_LINES:
                    out.add((path.name, node.name))
    return out


def test_no_function_in_the_extractors_is_over_the_limit() -> None:
    assert _long_functions(sorted(EXTRACTORS.glob("*.py"))) == set()


def test_the_count_runs_from_def_to_the_last_line(tmp_path: Path) -> None:
    lines = [f"x{k} = {k}" for k in range(MAX_LINES - 1)]  # with its def: just at the limit
    fits = "\n".join(["def fits():", *(f"    {x}" for x in lines)])
    long = "\n".join(["    def long(self):", *(f"        {x}" for x in [*lines, "return 1"])])
    src = tmp_path / "m.py"
    src.write_text(f"{fits}\n\n\nclass C:\n{long}\n", encoding="utf-8")
    assert _long_functions([src]) == {("m.py", "long")}
