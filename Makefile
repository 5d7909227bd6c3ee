# Two commands on a fresh machine (Python 3.11+ and make):
#   make run    set up .venv, install fiscal_sim, run the plan-followed scenario into output/
#   make test   set up .venv, install fiscal_sim with its test tools, check the import layers
#               (.importlinter) and run the whole suite
# Both are idempotent: the install is redone only when setup.cfg or pyproject.toml change.

PYTHON ?= $(shell command -v python3.11 || command -v python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUTPUT := output
FISCAL_SIM := $(BIN)/fiscal-sim

.PHONY: run test clean

# The main job on the bundled scenario plan-followed (what fiscal-sim runs without a
# scenario: the default county through the 2020 shock, following the plan): the projection,
# the measures and the findings on the terminal, then JSON data and the report (HTML with
# charts, Excel; both with a 2,000-draw Monte Carlo of breach probabilities, seed 1, and
# what each lever would have to do for every rule to hold) in
# $(OUTPUT)/, and the default county's workbook to fill in (fiscal-sim template).
# `check` exits with 3 when a rule is breached: that is a finding, not a failure of the job.
run: $(STAMP)
	mkdir -p $(OUTPUT)
	$(FISCAL_SIM) run
	$(FISCAL_SIM) check || test $$? -eq 3
	$(FISCAL_SIM) run --format json -o $(OUTPUT)/
	$(FISCAL_SIM) report --format html --draws 2000 --seed 1 --what-it-would-take -o $(OUTPUT)/
	$(FISCAL_SIM) report --format xlsx --draws 2000 --seed 1 --what-it-would-take -o $(OUTPUT)/
	$(FISCAL_SIM) template default -o $(OUTPUT)/
	@echo "results are in $(OUTPUT)/" >&2

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest

$(STAMP): setup.cfg pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "fiscal_sim needs Python 3.11 or newer (PYTHON=$(PYTHON))" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) $(OUTPUT)
