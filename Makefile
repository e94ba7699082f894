# One task runner for people, CI and the README. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PLOTLY := node_modules/plotly.js-basic-dist-min/plotly-basic.min.js
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0
# Reproducible output: dates in the build (sitemap, its gzip header) come from the last commit, not from the clock.
# A SOURCE_DATE_EPOCH set by the caller wins. https://reproducible-builds.org/specs/source-date-epoch/
ifeq ($(origin SOURCE_DATE_EPOCH),undefined)
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
endif
ifneq ($(SOURCE_DATE_EPOCH),)
export SOURCE_DATE_EPOCH
endif
# make check FORMAT=github|gitlab|json OUT=file; make diff BASE=main [HEAD=rev] [FORMAT=json|summary] [OUT=file]
FORMAT ?=
OUT ?=
BASE ?=
HEAD ?=

.DEFAULT_GOAL := help
.PHONY: help setup check diff site serve test test-fast bench lock system-deps lint clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更新版本"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "无法创建虚拟环境:Debian 上请先运行 sudo apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

$(PLOTLY): package.json
	@if command -v npm >/dev/null 2>&1; then \
		npm install --no-audit --no-fund --silent && touch $@; \
	else \
		echo "提示:没有找到 npm,图表将使用 plotly 自带的完整 plotly.js(更大)。安装 Node.js 后重新运行 make setup。"; \
	fi

setup: $(STAMP) ## create .venv and install the locked dependencies and the plotly.js bundle
	@$(MAKE) --no-print-directory $(PLOTLY) || true

check: setup ## check the data and the pages without building (FORMAT=github|gitlab|json, OUT=file)
	$(BIN)/nianbao check $(if $(FORMAT),--format $(FORMAT)) $(if $(OUT),--output $(OUT))

diff: setup ## what changed since BASE in figures and sentences, for review: make diff BASE=main [HEAD=rev]
	@test -n "$(BASE)" || { echo "请指定比较基准,如 make diff BASE=main"; exit 2; }
	$(BIN)/nianbao diff $(BASE) $(HEAD) $(if $(FORMAT),--format $(FORMAT)) $(if $(OUT),--output $(OUT))

site: check ## check, then build the site into site/ and one PDF per edition into site/pdf/
	$(BIN)/nianbao build --strict --pdf --allow-missing-browser  # site and PDFs built aside, swapped in only when all succeeded

serve: setup ## preview the site at http://127.0.0.1:8000, rebuilding on edits under data/ and docs/
	$(BIN)/mkdocs serve

.PHONY: guide
guide: setup ## regenerate the error-code table of GUIDE.md (the office guide) from the codes in the engine
	$(PY) -m nianbao.guide

system-deps: ## install the browser, CJK fonts (Noto for the site, WenQuanYi for the PDF) and PDF tools (Debian, root)
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || ! fc-list 2>/dev/null | grep -qi 'WenQuanYi Micro Hei' || ! command -v pdftoppm >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils >/dev/null; \
		else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils >/dev/null; fi; \
	fi

test: setup system-deps ## run every test (unit, fixtures, builds, real browser)
	$(BIN)/ruff check hooks tests
	$(PY) -m pytest -q

bench: setup ## build the sample site and print time and page weights
	$(PY) -m nianbao.bench

lock: ## re-resolve the dependencies and rewrite requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet '.[test]'
	.lock-venv/bin/pip freeze --exclude nianbao | sort > requirements.lock
	rm -rf .lock-venv

clean: ## remove the build output
	rm -rf site
