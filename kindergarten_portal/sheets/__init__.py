"""Workbooks: read with openpyxl (xlsx_in), written with XlsxWriter (xlsx_out), imported (imports)."""
