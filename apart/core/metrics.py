"""The process's metric instruments (Prometheus), defined once so that any layer can count.

Only ``prometheus_client`` objects live here: no database, no request. The scrape view, the
collectors reading the database at scrape time and the request middleware are in
``apart.metrics`` (docs/operations.md, "Metrics").

Under gunicorn every worker is a process of its own: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty
folder before the workers start and the scrape adds up every worker's files (prometheus_client's
multiprocess mode); without it each worker would answer with its own counts only.
"""

from prometheus_client import Counter, Histogram

# Seconds: a page here is a few milliseconds, a login ~30 ms (Argon2id), an export up to seconds.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_LATENCY = Histogram(
    "apart_http_request_duration_seconds",
    "Time to answer a request, per route (URL name, never the raw path) and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
RESPONSES = Counter(
    "apart_http_responses",
    "Responses per route, method and status code.",
    ["route", "method", "status"],
)
EVENTS = Counter(
    "apart_events",
    "Committed audit events per action and outcome: logins (account.login, account.login_failed),"
    " lockouts (account.locked), recovery (recovery.*), registrations (registration.*), decisions.",
    ["action", "outcome"],
)
