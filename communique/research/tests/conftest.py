from datetime import date
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_1833d9ad5e79db5b.txt"
if not SEED.is_file():  # the worktree is /work/wt/research; the shared folder is /work/shared
    SEED = Path("/work/shared/seed/000_1833d9ad5e79db5b.txt")
FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture(scope="session")
def seed_path():
    if not SEED.is_file():
        pytest.skip(f"the seed article is not at {SEED}")
    return SEED


@pytest.fixture(scope="session")
def seed_extraction(seed_path):
    from communique.research.extract import extract_path

    return extract_path(seed_path, published=date(2021, 4, 8))


def names(extraction, kind):
    return {e.name for e in extraction.by_kind(kind)}
