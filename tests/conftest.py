"""Shared test fixtures: where the edition, the source texts and the reference schema are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TEI_DIR = REPO / "tei"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
SOURCES_DIR = DATA / "sources"
KAMENEV_SOURCE = SOURCES_DIR / "000_b3e9e3eb05f27a2a.txt"
LEBLANC_SOURCE = SOURCES_DIR / "003_87dc1ad8b953ca46.txt"


def tei_all_rng() -> Path:
    """TEI P5 4.12.0 tei_all.rng: the shared reference copy if present, else the tests' copy."""
    env = os.environ.get("TEI_ALL_RNG")
    if env:
        return Path(env)
    shared = REPO.parent / "shared" / "reference" / "tei_all.rng"
    return shared if shared.exists() else DATA / "tei_all.rng"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def tei_dir() -> Path:
    return TEI_DIR


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def tei_all() -> Path:
    return tei_all_rng()


@pytest.fixture(scope="session", autouse=True)
def _build_cache_in_a_temporary_folder(tmp_path_factory):
    """Renders made by the tests keep their build cache out of the user's cache folder."""
    previous = os.environ.get("TEI_EDITION_CACHE_DIR")
    os.environ["TEI_EDITION_CACHE_DIR"] = str(tmp_path_factory.mktemp("build-cache"))
    yield
    if previous is None:
        os.environ.pop("TEI_EDITION_CACHE_DIR", None)
    else:
        os.environ["TEI_EDITION_CACHE_DIR"] = previous
