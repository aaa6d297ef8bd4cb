"""Read the metrics as Prometheus would: scrape the endpoint, parse the text format."""

from prometheus_client.parser import text_string_to_metric_families

OUTSIDE = "203.0.113.7"  # TEST-NET-3: an address outside every allow-list


def scrape(client, **extra) -> str:
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    return response.content.decode()


def value(text: str, name: str, **labels: str) -> float:
    """The sample ``name{labels}`` in the scraped text (0 when absent: a counter not yet used)."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0
