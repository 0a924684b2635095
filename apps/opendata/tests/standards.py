"""The official GBFS 3.0 and MDS 2.0 schemas, vendored in `vendor/` with their licenses and upstream commits (a fresh
clone needs nothing outside the repository); FLEET_STANDARDS_DIR points at another copy. A missing file is an
error, not a skip."""
import json
import os
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft7Validator, Draft202012Validator, FormatChecker

STANDARDS = Path(os.environ.get("FLEET_STANDARDS_DIR") or Path(__file__).parent / "vendor")


def _load(relative: str) -> dict:
    path = STANDARDS / relative
    if not path.exists():
        raise FileNotFoundError(f"{path}: the official schemas are needed (set FLEET_STANDARDS_DIR to their folder)")
    return json.loads(path.read_text())


@lru_cache
def gbfs_validator(name: str) -> Draft7Validator:
    return Draft7Validator(_load(f"gbfs-3.0/{name}.json"), format_checker=FormatChecker())


@lru_cache
def mds_validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(_load(f"mds-2.0/{name}.json"), format_checker=FormatChecker())


def errors(validator, document) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
            for error in validator.iter_errors(document)]
