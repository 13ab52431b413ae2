"""The monthly report as the province sends it: NĐ 30/2020 letter + annexes.

:mod:`~chiso.reports.report_data` builds the report as data (sentences from
:mod:`~chiso.reports.narrative` and :mod:`~chiso.reports.assessment`, tables from
:mod:`~chiso.reports.annex`); :mod:`~chiso.reports.docx`, :mod:`~chiso.reports.xlsx`
and :mod:`~chiso.reports.pdf` render it.
"""

from __future__ import annotations
