"""A teacher's course outside the package, used from a non-editable install.

The wheel is built from this checkout and installed into a fresh virtual
environment, as .ci/run does; the course (tests/fixtures/courses/leaky, copied
to a temporary folder) teaches leaky ReLU from its own reference.py. Lint,
`nntutor check` and `nntutor engine --course` run as the installed console
script, from a folder that is neither the checkout nor the package.

To stay well within a minute and work offline, the fresh environment gets only
nntutor itself from the wheel (`--no-deps`); its dependencies (NumPy, Textual,
...) are borrowed from this test's own environment by a .pth line, which adds
that folder to the path without running its .pth files, so the editable
install of the checkout is never reached (the test checks where `tutor` is
imported from).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
LEAKY = Path(__file__).parent / "fixtures" / "courses" / "leaky"
PLAIN_RELU = "import numpy as np\n\ndef leaky_relu(z, slope):\n    return np.maximum(np.asarray(z, dtype=float), 0.0)\n"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with the wheel of this checkout installed."""
    work = tmp_path_factory.mktemp("install")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    wheels = list((work / "dist").glob("nntutor-*.whl"))
    if built.returncode != 0 or not wheels:
        pytest.skip(f"cannot build the wheel here (pip wheel needs hatchling from a package index): "
                    f"{(built.stderr or built.stdout).strip().splitlines()[-1:]}")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                    "--no-index", str(wheels[0])], check=True, timeout=300, capture_output=True)
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "borrowed-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return venv / "bin"


def run(bin_dir: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["NNTUTOR_CACHE_DIR"] = str(cwd / "cache")
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_installed_tutor_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = run(installed, tmp_path, "python", "-c", "import tutor, engine; print(tutor.__file__); print(engine.__file__)")
    assert where.returncode == 0, where.stderr
    for line in where.stdout.splitlines():
        assert Path(line).is_relative_to(installed.parent), line
        assert not Path(line).is_relative_to(ROOT)


def test_an_outside_course_with_its_own_reference_lints_and_is_judged(installed: Path, tmp_path: Path) -> None:
    course = tmp_path / "leaky"
    shutil.copytree(LEAKY, course)
    lint = run(installed, tmp_path, "nntutor", "lint", "leaky")
    assert (lint.returncode, lint.stdout, lint.stderr) == (0, "", "")

    answer = tmp_path / "answer.py"
    answer.write_text(PLAIN_RELU, encoding="utf-8")
    failed = run(installed, tmp_path, "nntutor", "check", "--course", "leaky", "leaky/implement", str(answer), "--seed", "5")
    assert failed.returncode == 1, failed.stderr
    assert failed.stdout.startswith(
        "FAIL: Negative inputs come out as 0: that is the plain ReLU. Multiply them by `slope` instead.")

    solution = "import numpy as np\n\ndef leaky_relu(z, slope):\n    return np.where(z > 0, z, slope * z)\n"
    answer.write_text(solution, encoding="utf-8")
    passed = run(installed, tmp_path, "nntutor", "check", "--course", "leaky", "leaky/implement", str(answer))
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert passed.stdout.startswith("PASS")

    listed = run(installed, tmp_path, "nntutor", "engine", "--course", "leaky", "train_hidden_layer")
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines()[0] == (
        "train_hidden_layer(slope, seed, steps=300, learning_rate=0.2)    [reference.py:22]")


def test_the_installed_tutor_refuses_a_reference_that_writes_a_file(installed: Path, tmp_path: Path) -> None:
    course = tmp_path / "leaky"
    shutil.copytree(LEAKY, course)
    reference = course / "reference.py"
    source = reference.read_text(encoding="utf-8")
    reference.write_text(source.replace('    z = np.asarray(z, dtype=float)\n    return np.where',
                                        '    open("written", "w").write("x")\n    z = np.asarray(z, dtype=float)\n'
                                        '    return np.where'), encoding="utf-8")
    lint = run(installed, course, "nntutor", "lint", ".")
    assert lint.returncode == 1
    assert ("01-leaky-relu.md:18: course function 'leaky_relu' (reference.py:11) was refused by the sandbox at "
            "reference.py:13: the tutor does not let your code write, change or delete files") in lint.stdout
    assert not (course / "written").exists()
