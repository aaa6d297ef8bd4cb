"""Import of the ASP's sibling extranets' accounts and habilitations (Sylaé, Elisa, Défi, Service
Civique, Entreprises Adaptées), so that the guide's case 3 ("vous êtes déjà connu de l'ASP car
vous possédez un compte utilisateur au titre de SYLAé, Elisa, Défi...") arises for real.

One CSV line = one account and its habilitation to one sibling application. Re-running a file
updates what changed and never duplicates (keys: the login; the account's habilitation to that
application). Imported accounts keep their login, get an unusable password (they use "J'ai oublié
mon mot de passe") and receive no email.

The establishments of a sibling habilitation usually have no APART space (no Establishment row):
their SIRETs are kept as given in ``Habilitation.external_sirets`` and never linked to APART
establishments (a sibling habilitation grants nothing in APART).
"""

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from stdnum.fr import siret as stdnum_siret

from apart.accounts.models import Account
from apart.audit.actions import AuditAction
from apart.audit.services import record_event
from apart.core.normalize import fold, normalize_email
from apart.habilitations.dates import paris_today
from apart.habilitations.models import Application, Habilitation, HabilitationEvent

COLUMNS = (
    "login",
    "nom",
    "prenom",
    "courriel",
    "telephone",
    "application",
    "sirets",
    "date_debut",
    "date_fin",
)
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SIRET_SEPARATORS = re.compile(r"[;|]")
_LIMITS = {"login": 150, "nom": 100, "prenom": 100, "courriel": 254, "telephone": 32}


class RejectedLine(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ImportReport:
    accounts_created: int = 0
    accounts_updated: int = 0
    habilitations_created: int = 0
    habilitations_updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class _Line:
    login: str
    last_name: str
    first_name: str
    email: str
    phone: str
    application: Application
    sirets: list[str]
    start: datetime.date
    end: datetime.date


def _date(raw: str, label: str) -> datetime.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(raw, pattern).date()
        except ValueError:
            continue
    raise RejectedLine(f"{label} invalide : « {raw} » (attendu JJ/MM/AAAA)")


def _application(raw: str, catalogue: dict[str, Application]) -> Application:
    application = catalogue.get(fold(raw).replace(" ", "_").upper()) or catalogue.get(fold(raw))
    if application is None:
        raise RejectedLine(f"application inconnue : « {raw} »")
    if application.code == Application.APART:
        raise RejectedLine(
            "les habilitations à l'Activité Partielle ne s'importent pas : elles sont "
            "demandées par « Créer mon espace » et instruites"
        )
    return application


def _sirets(raw: str) -> list[str]:
    sirets = []
    for part in _SIRET_SEPARATORS.split(raw):
        compact = re.sub(r"[\s.]", "", part)
        if not compact:
            continue
        if not stdnum_siret.is_valid(compact):
            raise RejectedLine(f"SIRET invalide : « {part.strip()} »")
        if compact not in sirets:
            sirets.append(compact)
    return sirets


def _parse(row: dict[str, str], catalogue: dict[str, Application]) -> _Line:
    values = {name: (row.get(name) or "").strip() for name in COLUMNS}
    for name, value in values.items():
        if _CONTROL.search(value):
            raise RejectedLine(f"caractères de contrôle dans la colonne {name}")
        if name in _LIMITS and len(value) > _LIMITS[name]:
            raise RejectedLine(f"colonne {name} trop longue ({_LIMITS[name]} caractères au plus)")
    for name in ("login", "nom", "prenom", "courriel", "application", "date_debut"):
        if not values[name]:
            raise RejectedLine(f"colonne {name} vide")
    login = values["login"].lower()
    if not _LOGIN.match(login):
        raise RejectedLine(f"identifiant invalide : « {values['login']} »")
    email = normalize_email(values["courriel"])
    try:
        validate_email(email)
    except ValidationError:
        raise RejectedLine(f"courriel invalide : « {values['courriel']} »") from None
    application = _application(values["application"], catalogue)
    start = _date(values["date_debut"], "date_debut")
    end = (
        _date(values["date_fin"], "date_fin")
        if values["date_fin"]
        else start + application.default_validity
    )
    if end <= start:
        raise RejectedLine("la date de fin doit être postérieure à la date de début")
    return _Line(
        login=login,
        last_name=values["nom"],
        first_name=values["prenom"],
        email=email,
        phone=values["telephone"],
        application=application,
        sirets=_sirets(values["sirets"]),
        start=start,
        end=end,
    )


def _upsert_account(line: _Line, report: ImportReport) -> Account:
    account = Account.objects.filter(login=line.login).first()
    same_email = Account.objects.annotate(email_ci=Lower("email")).filter(
        email_ci=line.email.lower()
    )
    if same_email.exclude(login=line.login).exists():
        raise RejectedLine("courriel déjà utilisé par un autre compte")
    fields = {
        "last_name": line.last_name,
        "first_name": line.first_name,
        "email": line.email,
        "phone": line.phone,
    }
    if account is None:
        account = Account(login=line.login, role=Account.Role.EMPLOYER, **fields)
        account.set_unusable_password()
        account.save()
        record_event(
            action=AuditAction.ACCOUNT_IMPORTED, account=account, target=account, new=fields
        )
        report.accounts_created += 1
        return account
    if account.is_agent:
        raise RejectedLine("cet identifiant est celui d'un agent")
    old = {name: getattr(account, name) for name in fields}
    if old != fields:
        for name, value in fields.items():
            setattr(account, name, value)
        account.save(update_fields=[*fields, "updated_at"])
        record_event(
            action=AuditAction.ACCOUNT_IMPORT_UPDATED,
            account=account,
            target=account,
            old=old,
            new=fields,
        )
        report.accounts_updated += 1
    return account


def _upsert_habilitation(account: Account, line: _Line, report: ImportReport) -> bool:
    status = (
        Habilitation.Status.EXPIRED if line.end <= paris_today() else Habilitation.Status.ACTIVE
    )
    wanted: dict[str, Any] = {
        "status": status,
        "start_date": line.start,
        "end_date": line.end,
        "external_sirets": line.sirets,
    }
    habilitation = (
        Habilitation.objects.select_for_update()
        .filter(account=account, application=line.application)
        .order_by("-requested_at", "-id")
        .first()
    )
    created = habilitation is None
    if habilitation is None:
        habilitation = Habilitation(account=account, application=line.application)
        old: dict[str, Any] = {}
    else:
        old = {name: getattr(habilitation, name) for name in wanted}
        if old == wanted:
            return False
    for name, value in wanted.items():
        setattr(habilitation, name, value)
    habilitation.save()
    HabilitationEvent.objects.create(
        habilitation=habilitation,
        old_status=old.get("status", ""),
        new_status=status,
        start_date=line.start,
        end_date=line.end,
        reason=f"Import {line.application.name}",
    )
    record_event(
        action=AuditAction.HABILITATION_IMPORTED,
        account=account,
        target=habilitation,
        old={k: str(v) if isinstance(v, datetime.date) else v for k, v in old.items()},
        new={k: str(v) if isinstance(v, datetime.date) else v for k, v in wanted.items()},
        reason=f"Import {line.application.name}",
    )
    if created:
        report.habilitations_created += 1
    else:
        report.habilitations_updated += 1
    return True


def import_asp_accounts(*, rows: Iterable[tuple[int, dict[str, str]]]) -> ImportReport:
    """Import ``(line number, row)`` pairs, one transaction per line; a refused line is reported
    with its number and reason and changes nothing."""
    report = ImportReport()
    catalogue: dict[str, Application] = {}
    for application in Application.objects.all():
        catalogue[application.code] = application
        catalogue[fold(application.name)] = application
    for number, row in rows:
        try:
            line = _parse(row, catalogue)
            with transaction.atomic():
                before = (report.accounts_created, report.accounts_updated)
                account = _upsert_account(line, report)
                changed = _upsert_habilitation(account, line, report)
                if not changed and before == (report.accounts_created, report.accounts_updated):
                    report.unchanged += 1
        except RejectedLine as rejected:
            report.rejected.append((number, rejected.reason))
        except IntegrityError:
            report.rejected.append((number, "conflit avec une donnée existante"))
    return report


def read_csv(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and ``(line number, row)`` pairs; ',' or ';' as the column separator (the SIRET
    list then uses the other one, or '|')."""
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: v for k, v in row.items() if isinstance(v, str)}))
    return header, rows
