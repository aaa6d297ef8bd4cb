import csv
import zipfile
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from apart.directory.demo import samples
from apart.directory.demo.generate import (
    ESTABLISHMENT_HEADER,
    ESTABLISHMENTS_FILE,
    LEGAL_UNIT_HEADER,
    LEGAL_UNITS_FILE,
)
from apart.directory.importer.cutting import blocks
from apart.directory.models import DirectoryEstablishment, LegalUnit
from tests.directory.conftest import establishment_row, legal_unit_row, write_csv

pytestmark = pytest.mark.django_db


def data_rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def run_import(*args, **options):
    out, err = StringIO(), StringIO()
    call_command("import_sirene", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_load_demo_data_imports_every_row_of_the_shipped_extract():
    out = StringIO()
    call_command("load_demo_data", stdout=out, stderr=StringIO())

    assert DirectoryEstablishment.objects.count() == data_rows(ESTABLISHMENTS_FILE)
    assert LegalUnit.objects.count() == data_rows(LEGAL_UNITS_FILE)
    assert data_rows(ESTABLISHMENTS_FILE) >= 2000
    assert samples.DEMO_OPEN_SIRET in out.getvalue()
    assert samples.DEMO_NON_DIFFUSIBLE_SIRET in out.getvalue()
    assert samples.DEMO_CLOSED_SIRET in out.getvalue()


def test_demo_extract_covers_the_cases_a_newcomer_needs():
    call_command("load_demo_data", stdout=StringIO(), stderr=StringIO())

    establishments = DirectoryEstablishment.objects
    assert establishments.filter(state="F").exists()
    assert establishments.filter(diffusion="P").exists()
    assert establishments.filter(is_head_office=False).exists()
    assert establishments.filter(siren="356000000").count() > 10
    for department in ("971", "972", "973", "974", "976"):
        assert establishments.filter(postal_code__startswith=department).exists(), department
    assert LegalUnit.objects.filter(legal_category="1000").count() > 50


def test_reimport_updates_nothing_and_duplicates_nothing():
    call_command("load_demo_data", stdout=StringIO(), stderr=StringIO())
    before = DirectoryEstablishment.objects.count()

    out, _ = run_import(etablissements=str(ESTABLISHMENTS_FILE))

    assert DirectoryEstablishment.objects.count() == before
    total = f"{before:,}".replace(",", " ")
    assert f"{total} lignes lues, 0 créées, 0 mises à jour, {total} inchangées" in out


def test_reimport_updates_a_changed_establishment_in_place(tmp_path):
    first = write_csv(tmp_path / "v1.csv", ESTABLISHMENT_HEADER, [establishment_row()])
    second = write_csv(
        tmp_path / "v2.csv",
        ESTABLISHMENT_HEADER,
        [
            establishment_row(
                libelleCommuneEtablissement="MARSEILLE", etatAdministratifEtablissement="F"
            )
        ],
    )
    run_import(etablissements=str(first))

    out, _ = run_import(etablissements=str(second))

    row = DirectoryEstablishment.objects.get()
    assert (row.city, row.state) == ("MARSEILLE", "F")
    assert "0 créées, 1 mises à jour, 0 inchangées" in out


def test_the_denomination_of_an_entrepreneur_individuel_is_first_name_and_name(tmp_path):
    units = write_csv(
        tmp_path / "ul.csv",
        LEGAL_UNIT_HEADER,
        [
            legal_unit_row(siren="901234567", denominationUniteLegale="ATELIERS DU PORT"),
            legal_unit_row(
                siren="902345677",
                categorieJuridiqueUniteLegale="1000",
                prenom1UniteLegale="ALICE",
                nomUniteLegale="LEROY",
            ),
        ],
    )
    establishments = write_csv(tmp_path / "et.csv", ESTABLISHMENT_HEADER, [establishment_row()])

    run_import(etablissements=str(establishments), unites_legales=str(units))

    assert LegalUnit.objects.get(siren="901234567").denomination == "ATELIERS DU PORT"
    assert LegalUnit.objects.get(siren="902345677").denomination == "ALICE LEROY"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch_size", [2, 100_000])
def test_bad_rows_are_counted_and_reported_with_their_line_number(tmp_path, batch_size):
    rows = [
        establishment_row(),
        establishment_row(siret="9012345670001X"),
        establishment_row(siret="90234567700014", etatAdministratifEtablissement="Z"),
        establishment_row(siret="90345678800012")[:10],
        establishment_row(siret="90456789800013", etablissementSiege="oui"),
        establishment_row(siret="90456789800021"),
    ]
    path = write_csv(tmp_path / "bad.csv", ESTABLISHMENT_HEADER, rows)

    out, _ = run_import(etablissements=str(path), batch_size=batch_size)

    assert "6 lignes lues, 2 créées" in out
    assert "4 rejetées" in out
    assert "ligne 3 : Siret invalide : '9012345670001X'" in out
    assert "ligne 4 : etatAdministratifEtablissement invalide : 'Z'" in out
    assert f"ligne 5 : 10 colonnes au lieu de {len(ESTABLISHMENT_HEADER)}" in out
    assert "ligne 6 : etablissementSiege invalide : 'oui'" in out
    assert set(DirectoryEstablishment.objects.values_list("siret", flat=True)) == {
        "90123456700013",
        "90456789800021",
    }


def test_only_the_first_bad_rows_are_listed(tmp_path):
    rows = [establishment_row(siret=f"BAD{i:011d}") for i in range(30)]
    path = write_csv(tmp_path / "bad.csv", ESTABLISHMENT_HEADER, rows)

    out, _ = run_import(etablissements=str(path))

    assert "Lignes rejetées (20 premières sur 30) :" in out
    assert "ligne 21 :" in out
    assert "ligne 22 :" not in out


def test_a_file_without_the_required_columns_is_refused_before_any_write(tmp_path):
    header = [c for c in ESTABLISHMENT_HEADER if c not in {"siret", "codePostalEtablissement"}]
    path = write_csv(tmp_path / "partial.csv", header, [["x"] * len(header)])

    with pytest.raises(CommandError) as error:
        run_import(etablissements=str(path))

    assert "colonnes obligatoires absentes : siret, codePostalEtablissement" in str(error.value)
    assert not DirectoryEstablishment.objects.exists()


def test_a_binary_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "StockEtablissement_utf8.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00binary")

    with pytest.raises(CommandError, match="n'est pas un fichier CSV en UTF-8"):
        run_import(etablissements=str(path))


def test_an_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="est vide"):
        run_import(etablissements=str(path))


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        run_import(etablissements=str(tmp_path / "absent.csv"))


def test_a_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "StockEtablissement_utf8.zip"
    path.write_bytes(b"PK\x03\x04 this is not really an archive")

    with pytest.raises(CommandError, match="n'est pas une archive ZIP valide"):
        run_import(etablissements=str(path))


def test_the_published_zip_is_read_directly(tmp_path):
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(ESTABLISHMENTS_FILE, "StockEtablissement_utf8.csv")

    run_import(etablissements=str(archive))

    assert DirectoryEstablishment.objects.count() == data_rows(ESTABLISHMENTS_FILE)


def test_trailing_spaces_in_header_names_are_ignored(tmp_path):
    header = [f"{name}  " for name in ESTABLISHMENT_HEADER]
    path = write_csv(tmp_path / "spaces.csv", header, [establishment_row()])

    run_import(etablissements=str(path))

    assert DirectoryEstablishment.objects.get().siret == "90123456700013"


def test_a_siret_repeated_in_the_file_is_stored_once_with_its_last_version(tmp_path):
    rows = [
        establishment_row(libelleCommuneEtablissement="AVANT"),
        establishment_row(siret="90234567700014"),
        establishment_row(libelleCommuneEtablissement="APRES"),
    ]
    path = write_csv(tmp_path / "dup.csv", ESTABLISHMENT_HEADER, rows)

    run_import(etablissements=str(path), batch_size=2)

    assert DirectoryEstablishment.objects.count() == 2
    assert DirectoryEstablishment.objects.get(siret="90123456700013").city == "APRES"


def test_small_batches_import_the_same_rows(tmp_path):
    run_import(etablissements=str(ESTABLISHMENTS_FILE), batch_size=333)

    assert DirectoryEstablishment.objects.count() == data_rows(ESTABLISHMENTS_FILE)


def test_a_line_that_is_not_utf8_is_reported_and_the_others_imported(tmp_path):
    path = tmp_path / "latin1.csv"
    good = write_csv(
        tmp_path / "good.csv",
        ESTABLISHMENT_HEADER,
        [establishment_row(), establishment_row(siret="90234567700014")],
    )
    lines = good.read_bytes().splitlines(keepends=True)
    broken = establishment_row(siret="90345678800012", libelleCommuneEtablissement="BÉZIERS")
    latin1 = ",".join(broken).encode("latin-1") + b"\n"
    path.write_bytes(b"".join([*lines[:2], latin1, *lines[2:]]))

    out, _ = run_import(etablissements=str(path))

    assert "ligne 3 : encodage invalide (UTF-8 attendu)" in out
    assert DirectoryEstablishment.objects.count() == 2


def test_a_zip_damaged_midway_stops_with_a_message_and_keeps_whole_batches(tmp_path):
    archive = tmp_path / "StockEtablissement_utf8.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(ESTABLISHMENTS_FILE, "StockEtablissement_utf8.csv")
    data = bytearray(archive.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(64)
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match="interrompue après"):
        run_import(etablissements=str(archive), batch_size=100)

    assert DirectoryEstablishment.objects.filter(siret=samples.DEMO_OPEN_SIRET).exists()


def test_progress_with_rows_per_second_goes_to_stderr(tmp_path):
    path = write_csv(tmp_path / "one.csv", ESTABLISHMENT_HEADER, [establishment_row()])

    _, err = run_import(etablissements=str(path))

    assert "établissements : 1 lignes lues" in err
    assert "lignes/s" in err


@pytest.mark.django_db(transaction=True)
def test_import_outside_a_transaction_uses_the_fast_path_and_stays_idempotent(tmp_path):
    """Run like the real command (no enclosing transaction): on PostgreSQL this is the
    two-connection COPY/upsert pipeline, on SQLite the executemany upsert."""
    run_import(etablissements=str(ESTABLISHMENTS_FILE), batch_size=500)
    out, _ = run_import(etablissements=str(ESTABLISHMENTS_FILE), batch_size=500)

    total = data_rows(ESTABLISHMENTS_FILE)
    assert DirectoryEstablishment.objects.count() == total
    assert "0 créées, 0 mises à jour, " + f"{total:,}".replace(",", " ") + " inchangées" in out


@pytest.mark.django_db(transaction=True)
def test_a_first_load_keeps_the_last_version_of_a_repeated_siret_and_its_uniqueness(tmp_path):
    """A first load into an empty directory (on PostgreSQL: without the unique index, put
    back at the end) still keeps one row per SIRET, the file's last version."""
    rows = [
        establishment_row(libelleCommuneEtablissement="AVANT"),
        *(establishment_row(siret=f"90234567{i:05d}X"[:14]) for i in range(3)),
        establishment_row(siret="90234567700014"),
        establishment_row(libelleCommuneEtablissement="APRES"),
    ]
    path = write_csv(tmp_path / "dup.csv", ESTABLISHMENT_HEADER, rows)

    out, _ = run_import(etablissements=str(path), batch_size=2)

    assert DirectoryEstablishment.objects.count() == 2
    assert DirectoryEstablishment.objects.get(siret="90123456700013").city == "APRES"
    assert "3 rejetées" in out
    with pytest.raises(IntegrityError):
        DirectoryEstablishment.objects.create(siret="90123456700013", siren="901234567")


@pytest.mark.postgres_only  # the constraints are only lifted on PostgreSQL
@pytest.mark.django_db(transaction=True)
def test_an_import_puts_back_the_constraints_lost_by_an_interrupted_first_load(tmp_path):
    with connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE directory_establishment"
            " DROP CONSTRAINT directory_establishment_unique_siret,"
            " DROP CONSTRAINT directory_establishment_pkey"
        )
    DirectoryEstablishment.objects.create(siret="90123456700013", siren="901234567", city="OLD")
    DirectoryEstablishment.objects.create(siret="90123456700013", siren="901234567", city="NEW")
    path = write_csv(tmp_path / "one.csv", ESTABLISHMENT_HEADER, [establishment_row()])

    run_import(etablissements=str(path))

    kept = DirectoryEstablishment.objects.get(siret="90123456700013")
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectoryEstablishment.objects.create(siret="90123456700013", siren="901234567")
    with pytest.raises(IntegrityError), transaction.atomic():
        DirectoryEstablishment.objects.create(id=kept.id, siret="90234567700014", siren="902345677")


@pytest.mark.django_db(transaction=True)
def test_a_first_load_keeps_the_file_order_and_later_rows_get_new_ids(tmp_path):
    """On PostgreSQL a first load numbers the rows itself (by line, indexes rebuilt at the
    end): the ids follow the file and the next row created gets an id of its own."""
    sirets = ["90345678800012", "90123456700013", "90234567700014"]
    path = write_csv(
        tmp_path / "three.csv",
        ESTABLISHMENT_HEADER,
        [establishment_row(siret=siret, siren=siret[:9]) for siret in sirets],
    )

    run_import(etablissements=str(path), batch_size=2)
    added = DirectoryEstablishment.objects.create(siret="90456789800013", siren="904567898")

    assert list(DirectoryEstablishment.objects.order_by("id").values_list("siret", flat=True)) == [
        *sirets,
        added.siret,
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch_size", [2, 100])
def test_records_over_several_lines_and_odd_lines_keep_their_line_numbers(tmp_path, batch_size):
    """COPY takes a block as it is only if it holds one record per line; a quoted line break,
    a blank line or a line "\\." (COPY's end-of-data marker, which would silently drop the
    rest of the block) send the block through Python, which numbers the lines right."""
    good = write_csv(
        tmp_path / "good.csv",
        ESTABLISHMENT_HEADER,
        [
            establishment_row(),
            establishment_row(
                siret="90234567700014", complementAdresseEtablissement="BAT A\nESC 2"
            ),
            establishment_row(siret="9034567880001X"),
        ],
    )
    lines = good.read_bytes().splitlines(keepends=True)  # the quoted break is lines 3-4
    after = ",".join(establishment_row(siret="90456789800013")).encode() + b"\n"
    path = tmp_path / "odd.csv"
    path.write_bytes(b"".join([*lines, b"\\.\n", b"\n", after, b"\\.\n"]))

    out, _ = run_import(etablissements=str(path), batch_size=batch_size)

    assert "ligne 5 : Siret invalide : '9034567880001X'" in out
    assert f"ligne 6 : 1 colonnes au lieu de {len(ESTABLISHMENT_HEADER)}" in out
    assert f"ligne 9 : 1 colonnes au lieu de {len(ESTABLISHMENT_HEADER)}" in out
    assert "3 rejetées" in out
    assert set(DirectoryEstablishment.objects.values_list("siret", flat=True)) == {
        "90123456700013",
        "90234567700014",
        "90456789800013",
    }
    assert DirectoryEstablishment.objects.get(siret="90234567700014").address_complement == (
        "BAT A\nESC 2"
    )


@pytest.mark.django_db(transaction=True)
def test_a_file_with_windows_line_ends_is_imported_with_its_line_numbers(tmp_path):
    rows = [
        establishment_row(),
        establishment_row(siret="BAD"),
        establishment_row(siret="90234567700014"),
    ]
    path = tmp_path / "crlf.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(ESTABLISHMENT_HEADER)
        writer.writerows(rows)

    out, _ = run_import(etablissements=str(path))

    assert "ligne 3 : Siret invalide : 'BAD'" in out
    assert DirectoryEstablishment.objects.get(siret="90234567700014").city == (
        "MARSEILLE 2E ARRONDISSEMENT"
    )


@pytest.mark.django_db(transaction=True)
def test_a_quote_never_closed_costs_one_bounded_record_not_the_rest_of_the_file(tmp_path):
    """The stray quote opens a record that would run to the end of the file: the import
    reports it as malformed, gives up on it after about a megabyte (memory stays flat) and
    imports what follows."""
    filler = establishment_row(siret="90234567700014", libelleVoieEtablissement="X" * 1000)
    rows = [
        establishment_row(),
        establishment_row(siret="90345678800012", libelleVoieEtablissement='"RUE'),
        *([filler] * 1500),
        establishment_row(siret="90456789800013"),
    ]
    path = tmp_path / "stray.csv"
    path.write_text(
        "\n".join(",".join(row) for row in [ESTABLISHMENT_HEADER, *rows]) + "\n",
        encoding="utf-8",
    )

    out, _ = run_import(etablissements=str(path), batch_size=100)

    assert "CSV mal formé" in out  # from line 3 on PostgreSQL, where csv gave up on SQLite
    assert set(DirectoryEstablishment.objects.values_list("siret", flat=True)) == {
        "90123456700013",
        "90234567700014",
        "90456789800013",
    }


def test_blocks_end_on_a_record_boundary():
    data = b'a,b\n"x\ny",z\nc,d\ne,f'
    assert list(blocks(BytesIO(data), 1, 2)) == [
        (2, b'a,b\n"x\ny",z\n', 3),
        (5, b"c,d\ne,f\n", 2),
    ]
