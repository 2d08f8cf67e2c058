import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))        # `import students` from the tests

# nbgrader shells out to alembic: this interpreter's bin/ must be on PATH, activated venv or not.
os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
