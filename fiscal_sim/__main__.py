"""``python -m fiscal_sim`` runs the ``fiscal-sim`` command line."""

from fiscal_sim.cli import main

if __name__ == "__main__":
    main()
