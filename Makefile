# The dev loop. `make demo` and `make test` set everything up first (scripts/setup.sh).
VENV := .venv/bin
DATE ?= 2026-02-05

.PHONY: setup demo test lint types check bench clean

setup:
	@./scripts/setup.sh

# The whole pipeline on the bundled sample, offline: fetch the sample articles into
# state/sample.sqlite, analyse 2026-02-05, render zh + en (md, html, pdf, json), publish
# the static site to out/site/ (open out/site/index.html).
demo: setup
	$(VENV)/briefing nightly --config samples/feeds.yaml --date $(DATE)
	@echo "site: out/site/index.html   day: out/site/zh/$(DATE)/index.html"

test: setup
	$(VENV)/pytest -q

lint: setup
	$(VENV)/ruff check briefing tests bench

types: setup
	$(VENV)/mypy briefing

check: lint types test

bench: setup
	$(VENV)/python bench/render.py
	$(VENV)/python bench/fetch.py
	$(VENV)/python bench/analyse.py
	$(VENV)/python bench/quality.py
	$(VENV)/python bench/site.py

clean:
	rm -rf out/* state/ .pytest_cache .mypy_cache .ruff_cache
