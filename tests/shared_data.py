"""Where the shared real data lives (books, news corpora) for the tests that read it."""

import os
from pathlib import Path


def shared_data():
    """Return ``ISKRA_SHARED_DATA``, else the ``shared/data`` folder next to the project."""
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
    return Path(os.environ.get("ISKRA_SHARED_DATA") or default)
