# The two commands a newcomer needs: `make run` and `make test`.
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PYTEST_ARGS ?=

.PHONY: run test bench lint typecheck check env

env: .venv/.synced

# uv itself comes from PyPI, into ./.tools, when the machine has none.
.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/python -m pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

# Unset, PATHWAYS_ENVIRONMENT means production, which refuses the development secrets.
run: env
	PATHWAYS_ENVIRONMENT=development $(UV) run --frozen pathways dev

test: env
	$(UV) run --frozen pytest $(PYTEST_ARGS)

bench: env
	$(UV) run --frozen python -m bench
	$(UV) run --frozen python -m bench.history
	$(UV) run --frozen python -m bench.reports
	$(UV) run --frozen python -m bench.reminders
	$(UV) run --frozen python -m bench.payroll
	$(UV) run --frozen python -m bench.group_week
	$(UV) run --frozen python -m bench.handover

lint: env
	$(UV) run --frozen ruff check .

typecheck: env
	$(UV) run --frozen mypy .

check: lint typecheck test
