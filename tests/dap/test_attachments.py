"""Attachments: PDF only (opened with pypdf), size-limited, random names, owner and agents."""

import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile

from apart.audit.models import AuditEvent
from apart.dap.files import check_pdf
from apart.dap.models import Attachment
from tests.dap.factories import employer_with_complete_fiche, make_draft
from tests.dap.pdfs import PDF, blank_pdf, handmade_pdf
from tests.habilitations.factories import make_agent
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db


def _upload(client, dap, content, name="attestation.pdf", content_type="application/pdf"):
    client.get(f"/espace/demandes-autorisation/{dap.pk}/")
    response = client.post(
        f"/espace/demandes-autorisation/{dap.pk}/pieces-jointes/",
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )
    return response, html.unescape(response.content.decode())


@pytest.fixture
def draft(client):
    account, establishment = employer_with_complete_fiche()
    log_in(client, account)
    return make_draft(account, establishment)


def test_a_pdf_is_stored_under_a_random_name_and_audited(client, draft, settings):
    response, _ = _upload(client, draft, PDF, name="../../etc/Compte rendu CSE.pdf")

    attachment = Attachment.objects.get()
    assert response.status_code == 302
    assert attachment.original_name == "Compte rendu CSE.pdf"
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "CSE" not in attachment.file.name
    assert AuditEvent.objects.filter(action="dap.attachment_added").exists()


def test_a_file_that_is_not_a_pdf_is_refused_whatever_its_name(client, draft):
    response, page = _upload(client, draft, b"MZ\x90\x00 not a pdf", name="faux.pdf")

    assert response.status_code == 400
    assert "Le fichier doit être au format PDF." in page
    assert 'id="id_file-desc-error"' in page
    assert not Attachment.objects.exists()


def test_a_file_starting_like_a_pdf_that_pypdf_cannot_open_is_refused(client, draft):
    junk = b"%PDF-1.7\n" + bytes(range(256)) * 8

    response, page = _upload(client, draft, junk, name="scan.pdf")

    assert response.status_code == 400
    assert (
        "Le fichier PDF est illisible ou endommagé : enregistrez-le de nouveau au format PDF, "
        "puis joignez-le." in page
    )
    assert 'id="id_file-desc-error"' in page
    assert not Attachment.objects.exists()


def test_a_truncated_pdf_is_refused(client, draft):
    response, page = _upload(client, draft, blank_pdf(3)[:200])

    assert response.status_code == 400
    assert "Le fichier PDF est illisible ou endommagé" in page
    assert not Attachment.objects.exists()


def test_a_pdf_that_opens_only_with_a_password_is_refused(client, draft):
    response, page = _upload(client, draft, blank_pdf(password="secret"))

    assert response.status_code == 400
    assert (
        "Le fichier PDF est protégé par un mot de passe : joignez une version sans mot de "
        "passe." in page
    )
    assert 'id="id_file-desc-error"' in page
    assert not Attachment.objects.exists()


def test_a_pdf_restricted_by_an_owner_password_alone_opens_and_is_accepted(client, draft):
    content = blank_pdf(2, password="", owner="proprietaire")

    response, _ = _upload(client, draft, content)

    assert response.status_code == 302
    assert Attachment.objects.get().size == len(content)


def test_a_pdf_without_any_page_is_refused(client, draft):
    response, page = _upload(client, draft, blank_pdf(0))

    assert response.status_code == 400
    assert "Le fichier PDF ne contient aucune page." in page
    assert not Attachment.objects.exists()


def test_a_page_tree_that_lies_about_its_count_or_loops_is_refused(client, draft):
    catalogue = b"<< /Type /Catalog /Pages 2 0 R >>"
    lying = handmade_pdf(catalogue, b"<< /Type /Pages /Kids [] /Count 5 >>")
    looping = handmade_pdf(catalogue, b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>")

    _, lying_page = _upload(client, draft, lying)
    _, looping_page = _upload(client, draft, looping)

    assert "Le fichier PDF ne contient aucune page." in lying_page
    assert "Le fichier PDF est illisible ou endommagé" in looping_page
    assert not Attachment.objects.exists()


class CountingFile(io.BytesIO):
    """An uploaded file's content, counting what is read of it."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def test_a_pdf_of_many_pages_is_accepted_without_reading_every_page():
    pages = 20_000
    kids = b" ".join(b"%d 0 R" % (3 + n) for n in range(pages))
    content = handmade_pdf(
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        *[b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages,
    )
    stream = CountingFile(content)
    upload = InMemoryUploadedFile(stream, "file", "long.pdf", "application/pdf", len(content), None)

    assert check_pdf(upload) == "long.pdf"
    assert stream.read_bytes < 2 * len(content)  # walking every page reads it several times
    assert stream.tell() == 0  # ready to be stored


def test_a_file_over_the_limit_is_refused(client, draft, settings):
    settings.APART_DAP_ATTACHMENT_MAX_BYTES = 1024

    response, page = _upload(client, draft, PDF + b"0" * 2000)

    assert response.status_code == 400
    assert "Le fichier dépasse la taille maximale autorisée" in page
    assert not Attachment.objects.exists()


def test_an_empty_file_is_refused(client, draft):
    response, page = _upload(client, draft, b"")

    assert response.status_code == 400
    assert "Le fichier est vide." in page


def test_the_owner_downloads_it_as_a_pdf_attachment(client, draft):
    _upload(client, draft, PDF)
    attachment = Attachment.objects.get()

    response = client.get(f"/espace/pieces-jointes/{attachment.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == PDF


def test_another_employer_gets_a_404(client, draft):
    _upload(client, draft, PDF)
    attachment = Attachment.objects.get()
    stranger, _ = employer_with_complete_fiche()
    client.logout()
    log_in(client, stranger)

    assert client.get(f"/espace/pieces-jointes/{attachment.pk}/").status_code == 404


def test_agents_see_attachments_of_transmitted_dap_only(client, draft):
    _upload(client, draft, PDF)
    attachment = Attachment.objects.get()
    client.force_login(make_agent())

    assert client.get(f"/gestion/autorisations/pieces-jointes/{attachment.pk}/").status_code == 404
    from apart.dap.services import submit_dap

    submit_dap(dap=draft, actor=draft.created_by)
    response = client.get(f"/gestion/autorisations/pieces-jointes/{attachment.pk}/")
    assert response.status_code == 200
    assert response.content == PDF


def test_removing_an_attachment_deletes_the_file(
    client, draft, settings, django_capture_on_commit_callbacks
):
    _upload(client, draft, PDF)
    attachment = Attachment.objects.get()
    stored = Path(settings.MEDIA_ROOT) / attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/espace/pieces-jointes/{attachment.pk}/supprimer/", {})

    assert response.status_code == 302
    assert not Attachment.objects.exists()
    assert not stored.exists()
