"""Scenarios as Excel workbooks: a template to fill in, and the filled workbook read back.

- :func:`~fiscal_sim.workbook.writer.write_template` writes a scenario as a workbook (an About
  sheet, one sheet per parameter group, the shocks and the measures);
- :func:`fiscal_sim.load_scenario` reads a ``.xlsx`` file as it reads a YAML overlay, through
  :func:`~fiscal_sim.workbook.reader.read_workbook`;
- :func:`~fiscal_sim.workbook.convert.workbook_yaml` gives the YAML text of a workbook.

This is the scenario layer: it imports errors, params and the scenario loader, nothing above
them. openpyxl is imported inside the functions that read or write.
"""
