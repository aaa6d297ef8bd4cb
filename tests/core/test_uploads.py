"""Uploads are refused as soon as the body passes the limit: by the announced Content-Length
before anything reads it, and while reading, without reading the rest."""

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from apart.core import uploads
from apart.dap.models import Attachment
from tests.dap.factories import employer_with_complete_fiche, make_draft
from tests.space.factories import log_in

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024
PDF_HEAD = b"%PDF-1.4\n"


class CountingStream(io.RawIOBase):
    """The request body as the server hands it to Django, counting what Django reads."""

    def __init__(self, body: bytes) -> None:
        self.body = io.BytesIO(body)
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.body.read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        chunk = self.body.readline(size)
        self.read_bytes += len(chunk)
        return chunk


def _multipart_request(size: int):
    request = RequestFactory().post(
        "/espace/demandes-autorisation/1/pieces-jointes/",
        {"csrfmiddlewaretoken": "x", "file": SimpleUploadedFile("big.pdf", b"%" * size)},
    )
    body, content_type = request.read(), request.META["CONTENT_TYPE"]
    stream = CountingStream(body)
    environ = {"wsgi.input": stream, "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": content_type}
    return RequestFactory().generic("POST", request.path, **environ), stream, len(body)


def test_a_file_past_the_limit_stops_being_read_at_the_limit(settings):
    settings.APART_UPLOAD_MAX_BYTES = 256 * 1024
    request, stream, total = _multipart_request(8 * MIB)

    files = request.FILES

    assert "file" not in files
    assert uploads.too_large(request)
    assert total > 8 * MIB
    assert stream.read_bytes < 256 * 1024 + 3 * 64 * 1024  # the limit and a chunk or two
    assert request.POST["csrfmiddlewaretoken"] == "x"


def test_a_file_within_the_limit_is_received_whole(settings):
    settings.APART_UPLOAD_MAX_BYTES = 256 * 1024
    request, stream, total = _multipart_request(200 * 1024)

    assert request.FILES["file"].size == 200 * 1024
    assert not uploads.too_large(request)
    assert stream.read_bytes == total


def test_a_body_announced_too_large_is_refused_before_it_is_read(settings, client):
    settings.APART_UPLOAD_MAX_BYTES = 5 * MIB
    stream = CountingStream(b"x" * (6 * MIB))
    response = client.generic(
        "POST",
        "/espace/demandes-autorisation/1/pieces-jointes/",
        data=b"",
        content_type="multipart/form-data; boundary=zz",
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(6 * MIB)},
    )

    assert response.status_code == 413
    assert "Le fichier dépasse la taille maximale autorisée (5 Mo)." in html.unescape(
        response.content.decode()
    )
    assert stream.read_bytes == 0


def _oversized_post(client):
    stream = CountingStream(b"x" * (6 * MIB))
    return client.generic(
        "POST",
        "/espace/demandes-autorisation/1/pieces-jointes/",
        data=b"",
        content_type="multipart/form-data; boundary=zz",
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(6 * MIB)},
    )


def test_the_413_page_is_in_the_visitors_language_not_the_last_one_the_thread_served(settings):
    settings.APART_UPLOAD_MAX_BYTES = 5 * MIB
    english, french = Client(), Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in english.get("/").content.decode()  # English active in the thread

    response = _oversized_post(french)  # a visitor without the cookie: French, the default

    text = html.unescape(response.content.decode())
    assert response.status_code == 413
    assert '<html lang="fr"' in text
    assert "Fichier trop volumineux" in text
    assert "Le fichier dépasse la taille maximale autorisée (5 Mo)." in text
    assert response["Content-Language"] == "fr"

    english_response = _oversized_post(english)

    assert english_response.status_code == 413
    assert "File too large" in html.unescape(english_response.content.decode())
    assert english_response["Content-Language"] == "en"


def test_the_attachment_page_says_the_file_is_too_large_next_to_the_field(client, settings):
    settings.APART_UPLOAD_MAX_BYTES = 64 * 1024
    settings.APART_UPLOAD_FORM_OVERHEAD_BYTES = 10 * MIB  # past nginx and the first check
    account, establishment = employer_with_complete_fiche()
    log_in(client, account)
    draft = make_draft(account, establishment)
    page = f"/espace/demandes-autorisation/{draft.pk}/"
    client.get(page)

    response = client.post(
        page + "pieces-jointes/",
        {  # the token first, as a browser sends the form's fields in their order
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "file": SimpleUploadedFile("gros.pdf", PDF_HEAD + b"0" * MIB, "application/pdf"),
        },
    )

    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Le fichier dépasse la taille maximale autorisée" in text
    assert Attachment.objects.count() == 0


def test_an_oversized_attachment_is_refused_next_to_the_field_without_reading_it_all(
    client, settings
):
    settings.APART_UPLOAD_MAX_BYTES = 256 * 1024
    settings.APART_UPLOAD_FORM_OVERHEAD_BYTES = 20 * MIB  # past nginx and the first check
    account, establishment = employer_with_complete_fiche()
    log_in(client, account)
    draft = make_draft(account, establishment)
    page = f"/espace/demandes-autorisation/{draft.pk}/"
    client.get(page)
    body = encode_multipart(
        BOUNDARY,
        {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "file": SimpleUploadedFile("gros.pdf", PDF_HEAD + b"0" * (8 * MIB), "application/pdf"),
        },
    )
    stream = CountingStream(body)

    response = client.generic(
        "POST",
        page + "pieces-jointes/",
        **{
            "wsgi.input": stream,
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": MULTIPART_CONTENT,
        },
    )

    text = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Le fichier dépasse la taille maximale autorisée (5 Mo)." in text
    assert 'id="id_file-desc-error"' in text
    assert len(body) > 8 * MIB
    assert stream.read_bytes < 256 * 1024 + 3 * 64 * 1024  # the limit and a chunk or two
    assert Attachment.objects.count() == 0


def test_nginx_the_settings_and_the_docs_agree_on_the_size(settings):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    cluster = (root / "bench" / "cluster.py").read_text()
    operations = (root / "docs" / "operations.md").read_text()

    assert settings.APART_UPLOAD_MAX_BYTES == settings.APART_DAP_ATTACHMENT_MAX_BYTES == 5 * MIB
    assert "client_max_body_size 6m;" in cluster
    assert "client_max_body_size 6m" in operations
    assert 5 * MIB + settings.APART_UPLOAD_FORM_OVERHEAD_BYTES <= 6 * MIB
