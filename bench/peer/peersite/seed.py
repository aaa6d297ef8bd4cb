"""``python manage.py shell -c "from peersite.seed import main; main(300)"``: migrate-ready users
``peer0..peerN`` with one shared Argon2id hash (seeding costs one hash; each login verifies it)."""

import json
import statistics
import time

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import User


def main(count: int, password: str) -> None:
    encoded = make_password(password)
    User.objects.bulk_create(
        User(username=f"peer{i}", first_name="Bench", last_name=f"Pair{i}", password=encoded)
        for i in range(count)
    )
    check_password(password, encoded)
    times = []
    for _ in range(30):
        started = time.perf_counter()
        check_password(password, encoded)
        times.append(time.perf_counter() - started)
    print(json.dumps({"hash": statistics.median(times), "params": encoded.split("$")[3]}))
