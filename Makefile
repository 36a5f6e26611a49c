# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV    := .venv
PY      := $(VENV)/bin/python
STAMP   := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test install index serve browser office ocr bench clean

# torch==2.13.0 first: it is a CPU build on local disk; installed later by a
# dependency, pip would pull a multi-GB CUDA build instead.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install office ocr
	$(VENV)/bin/tracuu index

serve: install
	$(VENV)/bin/tracuu serve

run: index serve

# Debian's Chromium for the browser tests; Playwright never downloads a browser.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Cài Chromium (Debian) cho kiểm thử trình duyệt..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's LibreOffice (Writer, no GUI) reads Word 97-2003 .doc files (indexer/readers/doc.py).
office:
	@command -v soffice >/dev/null 2>&1 || { \
	  echo "Cài LibreOffice Writer (Debian) để đọc tệp Word 97-2003 (.doc)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui >/dev/null; }

# Debian's Tesseract with its Vietnamese model reads scanned PDFs (indexer/ocr.py); the
# OCR tests and `tracuu eval --ocr` print their scans with DejaVu Serif.
ocr:
	@{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie \
	   && test -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf; } || { \
	  echo "Cài Tesseract OCR và mô hình tiếng Việt (Debian)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    tesseract-ocr tesseract-ocr-vie fonts-dejavu-core >/dev/null; }

# Tests, then the benchmarks in a small size (numbers are printed, never asserted):
# indexing and query latency, task tables re-printed as portals print them, questions made
# from task rows, then a real server under a short load (lexical index).
BENCH_DIR := $(or $(TMPDIR),/tmp)/tracuu-bench-index
test: install browser office ocr
	$(VENV)/bin/pytest -q
	$(VENV)/bin/tracuu eval --ocr --ocr-small
	$(VENV)/bin/tracuu bench --passages 3000 --queries 30 --sample 100
	$(PY) scripts/rendered_tables_benchmark.py
	$(PY) scripts/task_questions_benchmark.py --every 10
	rm -rf $(BENCH_DIR)
	TRACUU_DENSE=false TRACUU_INDEX_DIR=$(BENCH_DIR)/index $(VENV)/bin/tracuu index --quiet
	TRACUU_DENSE=false $(PY) scripts/load_benchmark.py --index-dir $(BENCH_DIR)/index --seconds 5 --concurrency 4
	TRACUU_DENSE=false $(PY) scripts/load_benchmark.py --index-dir $(BENCH_DIR)/index --seconds 5 --concurrency 1 --scenario pages
	rm -rf $(BENCH_DIR)

bench: install
	$(VENV)/bin/tracuu bench

clean:
	rm -rf $(VENV) data .pytest_cache
