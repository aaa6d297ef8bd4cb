"""Import of the INSEE SIRENE stock files (format 3.11) into the local directory."""

from apart.directory.importer.files import StockFileError
from apart.directory.importer.run import ImportReport, import_stock_file
from apart.directory.importer.schema import ESTABLISHMENTS, LEGAL_UNITS

__all__ = ["ESTABLISHMENTS", "LEGAL_UNITS", "ImportReport", "StockFileError", "import_stock_file"]
