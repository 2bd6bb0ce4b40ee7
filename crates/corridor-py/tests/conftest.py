"""Shared fixtures: the checkout's root and the `corridor` binary the
Python answers are compared with (built by `cargo build -p corridor-cli`,
or named by CORRIDOR_BIN)."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GRAIN = str(ROOT / "examples" / "grain-corridors")
TRIANGLE = str(ROOT / "examples" / "triangle.toml")
RESTORE = str(ROOT / "examples/grain-corridors/scenarios/restore-black-sea-ports.toml")
CLOSE_PL = str(ROOT / "examples/grain-corridors/scenarios/close-polish-road-crossings.toml")
GAUGE = str(ROOT / "examples/grain-corridors/scenarios/romanian-gauge-capacity.toml")
BRAESS = str(ROOT / "crates/corridor-cli/tests/data/tntp/braess_net.tntp")
BRAESS_TRIPS = str(ROOT / "crates/corridor-cli/tests/data/tntp/braess_trips.tntp")
GRAIN_FROM = "vinnytsia,kropyvnytskyi,poltava,khmelnytskyi,ternopil"
GRAIN_TO = "gdansk,constanta,rotterdam"


def corridor_bin():
    """The CLI to compare with; in CI its absence is a failure."""
    named = os.environ.get("CORRIDOR_BIN")
    candidates = [named] if named else []
    candidates += [str(ROOT / "target" / p / "corridor") for p in ("debug", "release")]
    found = [c for c in candidates if c and os.path.exists(c)]
    if found:
        return max(found, key=os.path.getmtime)
    on_path = shutil.which("corridor")
    if on_path:
        return on_path
    if os.environ.get("CI"):
        pytest.fail("no corridor binary: run cargo build -p corridor-cli first")
    pytest.skip("no corridor binary (cargo build -p corridor-cli)")


def mask_seconds(text):
    """Timings differ from run to run (as the golden files mask them)."""
    return re.sub(r'"seconds": [0-9.eE+-]+', '"seconds": 0', text)


@pytest.fixture(scope="session")
def cli():
    """Runs `corridor ARGS... --format json` in the checkout's root and
    returns its stdout as text."""
    binary = corridor_bin()

    def run(*args):
        p = subprocess.run(
            [binary, *args, "--format", "json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert p.returncode == 0, p.stderr
        return p.stdout

    return run


def same_json(result, cli_stdout):
    """The Python result is the dict the CLI's JSON parses to."""
    assert json.loads(mask_seconds(json.dumps(result))) == json.loads(mask_seconds(cli_stdout))
