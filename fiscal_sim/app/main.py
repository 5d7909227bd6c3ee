"""The script Streamlit runs for ``fiscal-sim app`` (``streamlit run fiscal_sim/app/main.py``)."""

if __name__ == "__main__":
    from fiscal_sim.app.page import render

    render()
