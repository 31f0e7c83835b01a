"""``oidcify audit`` over an export of 10,000 roles, 2,000 of them trusting GitHub in mixed
shapes (1,000 / 200 in a smoke run, which skips the warm-up runs): wall time of the whole
command (target <= 5 s on two cores), roles per second, and the process's peak memory (target
<= 300 MB).

Then the live audit against a local moto_server (started and stopped here), paging through
GetAccountAuthorizationDetails with 100 and with 1,000 roles (10 / 50 in a smoke run): the
time of each whole command, and of the paging alone (in this process, ``read_account``); and
``paging_growth_per_role``, the per-role paging time at the larger size over the smaller (about
1.0: linear). Creating the roles is not timed. moto answers GetAccountAuthorizationDetails in
one page whatever its size (IAM's pages hold up to 100 roles by default), so this measures
transfer and parsing, not the number of round trips.

Each audit runs as its own ``python`` process (start-up counts) printing its ``ru_maxrss``; a
live size counts the fastest of three runs (one in a smoke run).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from benchmarks._python import bytecode_env

TARGETS = {"export_seconds": ("<=", 5.0), "export_peak_mb": ("<=", 300)}
PROBE = """\
import json, resource, sys
from oidcify.cli import main
code = main(sys.argv[1:])
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"exit": code, "peak_kb": peak_kb}), file=sys.stderr)
"""
HOST = "token.actions.githubusercontent.com"
ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess"


def _trust(number: int, account: str) -> dict[str, Any]:
    """One of ten GitHub trust shapes, tight ones most often."""
    repo = f"repo:octo-org/app{number}"
    conditions: dict[str, dict[str, Any]] = {"StringEquals": {f"{HOST}:aud": "sts.amazonaws.com"}}
    shape = number % 10
    subs: Any = {
        0: f"{repo}:ref:refs/heads/main",
        1: f"{repo}:environment:prod",
        2: [f"{repo}:ref:refs/heads/main", f"{repo}:ref:refs/tags/v1"],
        3: "repo:octo-org/*",
        4: f"{repo}:*",
        5: "repo:*",
        6: f"{repo}:pull_request",
        7: f"{repo}:ref:refs/heads/*",
        8: None,
        9: f"repo:octo-org@1/app{number}@{number}:ref:refs/heads/main",
    }[shape]
    if subs is not None:
        wild = any("*" in s for s in ([subs] if isinstance(subs, str) else subs))
        conditions.setdefault("StringLike" if wild else "StringEquals", {})[f"{HOST}:sub"] = subs
    if shape == 6:
        del conditions["StringEquals"][f"{HOST}:aud"]
    issuer = HOST + ("/octo-enterprise" if shape == 9 else "")
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": f"arn:aws:iam::{account}:oidc-provider/{issuer}"},
                "Condition": conditions,
            }
        ],
    }


def _other() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Service": "lambda.amazonaws.com"},
            }
        ],
    }


def make_export(path: Path, roles: int, github: int, account: str = "111122223333") -> None:
    details = []
    for number in range(roles):
        trusting = number % (roles // github) == 0
        details.append(
            {
                "Path": "/",
                "RoleName": f"role-{number}",
                "RoleId": f"AROA{number:016d}",
                "Arn": f"arn:aws:iam::{account}:role/role-{number}",
                "CreateDate": "2026-01-01T00:00:00Z",
                "AssumeRolePolicyDocument": _trust(number, account) if trusting else _other(),
                "InstanceProfileList": [],
                "RolePolicyList": [],
                "Tags": [],
                "AttachedManagedPolicies": [
                    {"PolicyName": "AdministratorAccess", "PolicyArn": ADMIN}
                ]
                if number % 7 == 0
                else [],
                "RoleLastUsed": {"LastUsedDate": "2026-11-01T00:00:00Z", "Region": "us-east-1"}
                if number % 3
                else {},
            }
        )
    path.write_text(json.dumps({"RoleDetailList": details}, indent=4), encoding="utf-8")


def _audit(args: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds, exit code and peak kB of one ``oidcify audit`` process."""
    argv = [sys.executable, "-c", PROBE, "audit", *args, "--format", "json", "-o", os.devnull]
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    probe = json.loads(done.stderr.strip().splitlines()[-1])
    return seconds, int(probe["exit"]), int(probe["peak_kb"])


def _moto(port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("moto_server") or str(Path(sys.executable).with_name("moto_server"))
    process = subprocess.Popen(
        [binary, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/data.json", timeout=1):
                return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("moto_server did not answer within 30 s")


def _paging_seconds(url: str, runs: int) -> float:
    """The fastest of ``runs`` in-process reads of the account (paging alone, no start-up)."""
    from oidcify.audit import live

    connection = live.Connection(region="us-east-1", endpoint_url=url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        live.read_account(live.session(connection), connection)
        times.append(time.perf_counter() - start)
    return min(times)


def _create(url: str, first: int, last: int) -> None:
    import boto3

    iam = boto3.client(
        "iam",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",
    )
    for number in range(first, last):
        trust = _trust(number, "123456789012") if number % 5 == 0 else _other()
        iam.create_role(RoleName=f"role-{number}", AssumeRolePolicyDocument=json.dumps(trust))


_KEYS = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}


def _live(sizes: tuple[int, int], env: dict[str, str], *, warm: bool) -> dict[str, object]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    env = {**env, **_KEYS}
    saved = {name: os.environ.get(name) for name in _KEYS}
    os.environ.update(_KEYS)  # for the in-process reads
    process = _moto(port)
    result: dict[str, object] = {}
    runs = 3 if warm else 1  # the fastest counts: other work on a shared machine only adds time
    try:
        made = 0
        for size in sizes:
            _create(url, made, size)
            made = size
            if warm and size == sizes[0]:
                _audit(["--endpoint-url", url], env)  # warm: boto3's bytecode, the server
            seconds, code, _ = min(_audit(["--endpoint-url", url], env) for _ in range(runs))
            result[f"live_{size}_seconds"] = round(seconds, 2)
            result[f"live_{size}_exit"] = code
            result[f"live_{size}_paging_seconds"] = round(_paging_seconds(url, runs), 3)
    finally:
        process.terminate()
        process.wait(timeout=10)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    small, large = sizes
    paging = [float(str(result[f"live_{n}_paging_seconds"])) for n in sizes]
    result["live_paging_growth_per_role"] = round((paging[1] / large) / (paging[0] / small), 2)
    result["live_paging_ms_per_role"] = round(1000 * paging[1] / large, 2)
    return result


def run(smoke: bool) -> dict[str, object]:
    roles, github = (1_000, 200) if smoke else (10_000, 2_000)
    with tempfile.TemporaryDirectory() as tmp:
        env = bytecode_env(str(Path(tmp) / "pycache"))
        export = Path(tmp) / "export.json"
        make_export(export, roles, github)
        if not smoke:
            _audit(["--from", str(export)], env)  # warm the bytecode cache
        seconds, code, peak = _audit(["--from", str(export)], env)
        result: dict[str, object] = {
            "roles": roles,
            "github_roles": github,
            "export_exit": code,
            "export_seconds": round(seconds, 2),
            "roles_per_second": round(roles / seconds),
            "export_peak_mb": round(peak / 1024),
            "cpus": os.cpu_count(),
        }
        result |= _live((10, 50) if smoke else (100, 1_000), env, warm=not smoke)
    return result
