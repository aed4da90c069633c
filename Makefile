# LoanDesk — the two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench lint typecheck translations clean run package

# Create .venv and install the app with its dev extras; redo when pyproject.toml or the
# system-deps script changes.
$(STAMP): pyproject.toml scripts/ensure-system-deps.sh
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	bash scripts/ensure-system-deps.sh $(PY)
	touch $(STAMP)

demo: $(STAMP)
	$(PY) main.py --demo

run: $(STAMP)
	$(PY) main.py

# What CI runs (.ci/run): the lint, then every test (the frozen build's too).
# tests/server also run the server on a throwaway PostgreSQL cluster they start and stop
# (Debian's postgresql package, installed with the system deps above).
test: lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# The store build: dist/LoanDesk/ (PyInstaller onedir, see docs/packaging.md). The tests
# in tests/package build their own copy in a temporary folder and run it.
package: $(STAMP)
	$(PY) scripts/write_build_info.py
	$(PY) -m PyInstaller --noconfirm --log-level WARN build.spec
	@du -sm dist/LoanDesk | awk '{print "dist/LoanDesk: " $$1 " MB"}'

bench: $(STAMP) package
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

# ruff (rules and format) on the code, strict mypy on core, server, ui and benchmarks.
LINTED := core ui server tests benchmarks main.py
lint: $(STAMP)
	$(PY) -m ruff check $(LINTED)
	$(PY) -m ruff format --check $(LINTED)
	$(PY) -m mypy

translations: $(STAMP)
	$(PY) scripts/translations.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build dist *.egg-info resources/build.json
