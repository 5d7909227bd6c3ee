"""Scenarios as Excel workbooks: a template to fill in, and the filled workbook read back.

- :func:`~fiscal_sim.workbook.writer.write_template` writes a scenario as a workbook (an About
  sheet, one sheet per parameter group, the shocks and the measures);
- :func:`fiscal_sim.load_scenario` reads a ``.xlsx`` file as it reads a YAML overlay, through
  :func:`~fiscal_sim.workbook.reader.read_workbook`;
- :func:`~fiscal_sim.workbook.convert.overlay_yaml` gives the YAML text of a workbook's overlay
  (:func:`fiscal_sim.scenario.read_overlay`).

This is the scenario layer: it imports errors and params; the scenario loader calls it (and
passes it the base to read against), never the other way. openpyxl is imported inside the
functions that read or write.
"""
