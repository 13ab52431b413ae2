"""Received score tables: read the annex of a report sent up by a lower unit.

:mod:`document` reads TXT/DOCX/XLSX/PDF into lines and tables, :mod:`columns`
maps header columns to indicators, :mod:`annex` reads the rows, :mod:`names`
resolves unit names, :mod:`context` finds the period and the reporting unit.
"""
