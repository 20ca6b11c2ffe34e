"""Shared fixtures: the model (skipped with a reason when absent) and one sample build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from geokg.errors import ModelNotFoundError

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


def _model_or_skip() -> str:
    from geokg.nlp import find_model

    try:
        return find_model()
    except ModelNotFoundError as exc:
        pytest.skip(f"no spaCy pipeline available: {exc}")


@pytest.fixture(scope="session")
def model_name() -> str:
    return _model_or_skip()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, model_name: str) -> Any:
    """One build of the bundled sample articles, shared by the end-to-end tests."""
    from geokg.pipeline import BuildOptions, build, sample_inputs

    out = tmp_path_factory.mktemp("sample_out")
    return build(
        [str(p) for p in sample_inputs()],
        out,
        options=BuildOptions(model=model_name, progress=False),
    )


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not available at {SEEDS} (../shared is absent)")
    return SEEDS
