"""The site map, derived from the URL configuration: every named route is a page to check in
every width, unless it is one of the few explicit exceptions below.

A new page is checked as soon as its route exists. A route with a parameter needs a value: the
audience's test passes them (``values``, keyed by URL name then parameter name); a route without
one fails the check with a message that says which value to add.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC, EMPLOYER, AGENT = "public", "employer", "agent"

# Routes that are not pages of the site, with the reason.
NOT_PAGES = {
    "captcha-image": "captcha image",
    "captcha-image-2x": "captcha image",
    "captcha-audio": "captcha sound",
    "captcha-refresh": "captcha JSON",
    "set_language": "language switch (POST only)",
    "core:health": "health check (JSON)",
    "core:alive": "health check (JSON)",
    "metrics:scrape": "Prometheus metrics (text, operators only)",
    "notifications:demo_email_html": "an email's own HTML, shown sandboxed in the demo mailbox",
    "dap:download_attachment": "file download",
    "dap:decision_document": "PDF document",
    "dap_gestion:attachment": "file download",
    "dap_gestion:decision": "PDF document",
    "claims_gestion:payments_csv": "CSV file",
    "backoffice:habilitation_audit_csv": "CSV file",
    "backoffice:account_audit_csv": "CSV file",
    "backoffice:export_personal_data": "data export file",
    "mfa:remove": "removal of a second factor (POST only, behind the login)",
    "proconnect:start": "redirection to the identity provider",
    "proconnect:callback": "return from the identity provider (needs its signed answer)",
    "mfa:verify_passkey_options": "WebAuthn options (JSON, POST only)",
    "mfa:reauth_passkey_options": "WebAuthn options (JSON, POST only)",
    "mfa:passkey_options": "WebAuthn options (JSON, POST only)",
    "mfa:add_passkey": "enrolment of a passkey (POST only, from « Double authentification »)",
    "mfa:regenerate_codes": "new recovery codes (POST only)",
    "backoffice:reset_second_factor": "helpdesk action (POST only)",
}
# Namespaces that are not pages of this site (Django's admin has its own layout).
NOT_PAGE_NAMESPACES = ("admin",)


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:url_name"
    route: str  # "/espace/etablissements/<int:pk>/"
    audience: str

    def path(self, values: Mapping[str, Mapping[str, object]]) -> str:
        """The route with its parameters filled from ``values[self.name]``."""
        path, given = self.route, values.get(self.name, {})
        while "<" in path:
            start, end = path.index("<"), path.index(">")
            parameter = path[start + 1 : end].split(":")[-1]
            if parameter not in given:
                raise KeyError(
                    f"{self.name}: add a value for <{parameter}> to the site map's values"
                )
            path = path[:start] + str(given[parameter]) + path[end + 1 :]
        return path


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else None
            yield from _walk(entry.url_patterns, route, inner or entry.namespace or namespace)
        elif entry.name:
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), route


def _audience(route: str) -> str:
    if route.startswith("/gestion/"):
        return AGENT
    if route.startswith("/espace/"):
        return EMPLOYER
    return PUBLIC


def site_map(audience: str) -> list[Page]:
    """Every page of ``audience`` (by address: /gestion/ for agents, /espace/ for employers)."""
    pages: dict[str, Page] = {}
    for name, route in _walk(get_resolver().url_patterns, "/", ""):
        if name in NOT_PAGES or name.split(":")[0] in NOT_PAGE_NAMESPACES:
            continue
        page = Page(name=name, route=route.replace("^", "").replace("$", ""), audience=audience)
        if _audience(page.route) == audience:
            pages.setdefault(name, page)
    return list(pages.values())
