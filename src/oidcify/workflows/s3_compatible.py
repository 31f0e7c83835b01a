"""S3-compatible storage that is not AWS: keys for it look like AWS keys (the same variables, the
same CLI with ``--endpoint-url``) but cannot move to OIDC, because only AWS trusts GitHub's tokens.

One test for the retrofit, which leaves such keys alone (OS004), and the check, which does not
report them (OC102): Cloudflare R2 (``r2.cloudflarestorage.com``, ``AWS_REGION: auto`` with an
endpoint), DigitalOcean Spaces (``digitaloceanspaces.com``, ``*SPACES*`` secrets), Wasabi,
Backblaze B2, Linode, MinIO, Google Cloud Storage's interoperability mode, Scaleway, Alibaba, and
any endpoint given explicitly (``--endpoint-url``, ``endpoint-url:``, ``AWS_ENDPOINT_URL``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NOT_AWS = re.compile(
    r"r2\.cloudflarestorage|digitaloceanspaces|wasabisys|backblazeb2|linodeobjects|minio|"
    r"storage\.googleapis|scw\.cloud|aliyuncs|--endpoint-url|\bendpoint[-_]url\b|"
    r"AWS_ENDPOINT_URL|\bR2_|_R2\b|WASABI|(?<![A-Za-z])(?-i:SPACES)(?![a-z])",
    re.IGNORECASE,
)
# R2's region is the literal `auto`; AWS has no such region.
_AUTO_REGION = re.compile(r"\s*auto\s*")


def hint(texts: Iterable[str]) -> str | None:
    """The first piece of ``texts`` (keys and values near the keys) that names an S3-compatible
    service or endpoint, or None."""
    return next((m.group(0).strip() for t in texts if (m := _NOT_AWS.search(t))), None)


def auto_region(value: str | None) -> bool:
    """Whether an AWS region setting holds R2's ``auto``."""
    return value is not None and _AUTO_REGION.fullmatch(value) is not None
