"""`python -m corridor.sweep` prints exactly the bytes the CLI prints for
the same criticality or sweep, split into tasks on local threads or on a
local Ray of 2 CPUs (Ray must be installed in CI; elsewhere its tests skip
when it is missing)."""

import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import CLOSE_PL, GAUGE, GRAIN, GRAIN_FROM, GRAIN_TO, RESTORE, ROOT, corridor_bin

CRIT = ["--from", GRAIN_FROM, "--to", GRAIN_TO, "--commodity", "grain"]
SCEN = ",".join([RESTORE, CLOSE_PL, GAUGE])


def cli_bytes(*args):
    p = subprocess.run([corridor_bin(), *args, "--format", "json"], cwd=ROOT,
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def sweep_bytes(*args):
    p = subprocess.run([sys.executable, "-m", "corridor.sweep", *args, "--format", "json"],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return p.stdout


def need_ray():
    if importlib.util.find_spec("ray") is None:
        if os.environ.get("CI"):
            pytest.fail("ray is not installed (pip install ray)")
        pytest.skip("ray is not installed")


@pytest.mark.parametrize("tasks", ["1", "3", "7"])
def test_local_criticality_equals_the_cli(tasks):
    assert sweep_bytes("criticality", GRAIN, *CRIT, "--engine", "local", "--tasks", tasks) \
        == cli_bytes("criticality", GRAIN, *CRIT)


def test_local_sweep_and_scenario_equal_the_cli():
    args = ["--scenarios", SCEN, "--grid", "--from", GRAIN_FROM, "--to", GRAIN_TO,
            "--commodity", "grain,fuel"]
    assert sweep_bytes("sweep", GRAIN, *args, "--engine", "local", "--tasks", "3") \
        == cli_bytes("sweep", GRAIN, *args)
    crit = [*CRIT, "--elements", "terminals,borders", "--scenario", RESTORE]
    assert sweep_bytes("criticality", GRAIN, *crit, "--engine", "local", "--tasks", "2") \
        == cli_bytes("criticality", GRAIN, *crit)


def test_refusals_are_located_and_exit_1():
    p = subprocess.run([sys.executable, "-m", "corridor.sweep", "criticality", GRAIN,
                        "--from", "atlantis", "--to", "gdansk", "--engine", "local"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stderr.startswith("error: ") and "atlantis" in p.stderr


def test_ray_equals_the_cli():
    need_ray()
    # One local Ray of 2 CPUs for both questions (started by the command).
    assert sweep_bytes("criticality", GRAIN, *CRIT, "--engine", "ray", "--cpus", "2",
                       "--tasks", "4") == cli_bytes("criticality", GRAIN, *CRIT)
    args = ["--scenarios", SCEN, "--grid", "--from", GRAIN_FROM, "--to", GRAIN_TO,
            "--commodity", "grain"]
    assert sweep_bytes("sweep", GRAIN, *args, "--engine", "ray", "--cpus", "2",
                       "--tasks", "3") == cli_bytes("sweep", GRAIN, *args)
