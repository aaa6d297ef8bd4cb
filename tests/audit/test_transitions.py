"""A change of status follows its model's table of moves and writes its audit row."""

import pytest

from apart.audit.actions import AuditAction
from apart.audit.context import AuditContext
from apart.audit.models import AuditEvent
from apart.audit.transitions import change_status, check_move
from apart.core.errors import UserError
from apart.dap.models import AuthorisationRequest
from tests.dap.factories import employer_with_complete_fiche, make_draft, make_submitted

pytestmark = pytest.mark.django_db

Status = AuthorisationRequest.Status


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.DRAFT, Status.ACCEPTED),  # a draft is transmitted before anything is decided
        (Status.ACCEPTED, Status.REFUSED),  # decided once
        (Status.REFUSED, Status.SUBMITTED),
        (Status.UNDER_INSTRUCTION, Status.SUBMITTED),
    ],
)
def test_a_move_outside_the_table_is_refused_with_the_message_given(start, to):
    dap = AuthorisationRequest(status=start)
    with pytest.raises(UserError) as refused:
        check_move(dap, to, refusal=UserError("Déjà décidé."))
    assert refused.value.message == "Déjà décidé."


def test_a_move_saves_the_status_its_fields_and_the_audit_row():
    account, establishment = employer_with_complete_fiche()
    dap = make_submitted(account, establishment)
    context = AuditContext(actor=account, ip_address="192.0.2.4", user_agent="Firefox")

    old = change_status(
        dap,
        Status.UNDER_INSTRUCTION,
        refusal=UserError("Non."),
        action=AuditAction.DAP_INSTRUCTION_STARTED,
        audit=context,
        actor=account,
        account=account,
        fields={"instructed_by": account},
        new={"note": "x"},
    )

    assert old == Status.SUBMITTED
    dap.refresh_from_db()
    assert (dap.status, dap.instructed_by) == (Status.UNDER_INSTRUCTION, account)
    event = AuditEvent.objects.get(action="dap.instruction_started")
    assert event.old_values == {"status": "transmise"}
    assert event.new_values == {"status": "instruction", "note": "x"}
    assert event.ip_address == "192.0.2.4"


def test_a_refused_move_changes_nothing():
    account, establishment = employer_with_complete_fiche()
    draft = make_draft(account, establishment)
    events = AuditEvent.objects.count()

    with pytest.raises(UserError):
        change_status(
            draft,
            Status.ACCEPTED,
            refusal=UserError("Non."),
            action=AuditAction.DAP_ACCEPTED,
            audit=AuditContext.system(),
            actor=None,
            account=account,
        )

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert AuditEvent.objects.count() == events
