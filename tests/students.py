"""Load the student-style fixture files in tests/students/ (plain .py files, each with EXPECTED)."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).parent / "students"


def load(path):
    """Import a fixture file as its own module, fresh each time."""
    path = Path(path)
    name = f"student_{path.parent.name}_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def files(pattern="*.py", folder="*"):
    return sorted(p for p in ROOT.glob(f"{folder}/{pattern}") if p.name != "__init__.py")


def cases(pattern="*.py", folder="*"):
    """(file, check id, expected ids) for every expectation of every matching fixture file."""
    out = []
    for path in files(pattern, folder):
        for check_id, expected in load(path).EXPECTED.items():
            out.append((path, check_id, tuple(sorted(expected))))
    return out


def case_id(case):
    path, check_id, _ = case
    return f"{path.parent.name}/{path.stem}:{check_id.split('.')[1]}"
