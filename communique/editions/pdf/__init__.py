"""Print PDF writer (WeasyPrint + the print stylesheets in stylesheets/)."""
from .writer import PdfWriter

__all__ = ["PdfWriter"]
