"""One cluster (2 gunicorn nodes behind nginx, PostgreSQL, Redis, 2 outbox workers) per module."""

import os
from collections.abc import Iterator

import pytest

from bench.cluster import Cluster, nginx_available

# What the tests rely on, stated rather than inherited from the defaults.
LIMITS = {
    "APART_LOGIN_MAX_FAILURES": "5",
    "APART_RECOVERY_MAX_ANSWER_FAILURES": "3",
    "APART_OUTBOX_BATCH_SIZE": "5",  # small batches: both workers get a share of the queue
}


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    if not nginx_available():
        if os.environ.get("CI"):
            pytest.fail("CI must run the multi-node tests: install Debian's nginx")
        pytest.skip("Debian's nginx is not installed: `apt-get install -y nginx` to run it")
    with Cluster(
        name="clustertests", nodes=2, workers=2, redis_db=13, lifetime=900, env=LIMITS
    ) as c:
        yield c
