"""The tests' copies of the source texts are the shared originals, byte for byte."""

from pathlib import Path

import pytest
from conftest import REPO, SOURCES_DIR

SHARED = REPO.parent / "shared" / "sources"


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared sources not present on this machine")
@pytest.mark.parametrize("name", sorted(p.name for p in SOURCES_DIR.glob("*.txt")))
def test_copy_matches_shared_original(name: str) -> None:
    assert (SOURCES_DIR / name).read_bytes() == (SHARED / name).read_bytes()


def test_both_sources_present() -> None:
    assert len(list(Path(SOURCES_DIR).glob("*.txt"))) == 2
