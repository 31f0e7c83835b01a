"""A local AWS API for the audit's tests: moto's server (IAM, STS, ECR) on a free port, one per
session, stopped afterwards. Loaded as a pytest plugin from conftest.py.

``moto_endpoint`` is the server's URL; ``aws_env`` points boto3 (and Terraform) at it with mock
keys, and resets the server's state before each test, so every test sees empty accounts.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

READY_WITHIN = 30.0  # seconds moto_server may take to answer its first request


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _binary() -> str:
    beside = Path(sys.executable).with_name("moto_server")
    found = str(beside) if beside.exists() else shutil.which("moto_server")
    if found is None:
        pytest.fail("moto_server is not installed: pip install -e '.[test]'")
    return found


def start(port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start moto_server; wait (bounded) until it answers. Also used by benchmarks/audit.py."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    # AWS's managed policies (AdministratorAccess ...) exist only when moto is asked to load them.
    env = {**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}
    process = subprocess.Popen(
        [_binary(), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=1):
                return process, url
        except OSError:
            time.sleep(0.1)
    stop(process)
    raise RuntimeError(f"moto_server did not answer within {READY_WITHIN:.0f} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def reset(url: str) -> None:
    request = urllib.request.Request(f"{url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=120):
        pass


@contextlib.contextmanager
def enforced_auth(url: str) -> Iterator[None]:
    """moto checks credentials and IAM policies within the block (it accepts anything outside)."""

    def post(value: str) -> None:
        # text/plain: moto reads the raw body (a form content type would be parsed away)
        headers = {"Content-Type": "text/plain"}
        url_ = f"{url}/moto-api/reset-auth"
        request = urllib.request.Request(url_, value.encode(), headers, method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    post("0")
    try:
        yield
    finally:
        post("inf")


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    process, url = start()
    try:
        yield url
    finally:
        stop(process)


MOCK_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture
def aws_env(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Mock keys in the environment (no profile of the machine is read), and empty accounts."""
    for name in (
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in MOCK_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    reset(moto_endpoint)
    return moto_endpoint
