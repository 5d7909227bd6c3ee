"""The what-if workbench in the browser (``fiscal-sim app``), on Streamlit.

The top layer: it uses the library's public functions only. :mod:`~fiscal_sim.app.main` is
the script Streamlit runs; :mod:`~fiscal_sim.app.page` lays out the sidebar and the views of
:mod:`~fiscal_sim.app.panels` and :mod:`~fiscal_sim.app.solving`; what is computed is cached
by content in :mod:`~fiscal_sim.app.state`; the levers are data
(``levers.yaml``, read by :mod:`~fiscal_sim.app.levers`); a what-if is a scenario overlay
(:mod:`~fiscal_sim.app.whatif`); uploads and downloads have their own modules; the words are
in :mod:`~fiscal_sim.app.words`. ``config.toml`` is the Streamlit configuration the command
starts it with (no usage statistics, loopback, an upload limit).

Importing this package imports nothing heavy; Streamlit is imported by the page modules only.
"""

from pathlib import Path

SCRIPT = Path(__file__).with_name("main.py")
"""The script ``streamlit run`` is given."""

CONFIG = Path(__file__).with_name("config.toml")
"""The app's own Streamlit configuration (package data)."""
