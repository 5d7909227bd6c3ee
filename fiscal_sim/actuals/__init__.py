"""Actual execution: the monthly figures the treasury records, in one layout (issue #16).

- :mod:`~fiscal_sim.actuals.layout`: the columns, as data (``layout.yaml``);
- :mod:`~fiscal_sim.actuals.plan`: the months a projection expects in that layout
  (``projection.actuals(through="2020-06")``);
- :mod:`~fiscal_sim.actuals.files`: the workbook to fill in and the CSV, written;
- :mod:`~fiscal_sim.actuals.reader`: a filled workbook or CSV read and checked.

This package sits just below :mod:`fiscal_sim.results` (it reads a projection's arrays but
never runs the engine), so that a projection can present its own months as actuals.
pandas and openpyxl are imported inside the functions that need them.
"""
