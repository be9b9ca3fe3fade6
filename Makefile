# One command to set up and run the demo, one to set up and run the tests.
.PHONY: setup demo test test-sqlite lint eval

setup:
	./scripts/setup.sh

demo: setup
	./scripts/demo.sh

test: setup
	TRADEIN_TEST_BACKENDS=sqlite,postgresql .venv/bin/python -m pytest -q

test-sqlite: setup
	TRADEIN_TEST_BACKENDS=sqlite .venv/bin/python -m pytest -q

lint:
	.venv/bin/ruff check .

eval: setup
	.venv/bin/python -m fixtures evaluate --size 120

# OCR benchmark: grades and codes per document kind, raw tesseract vs pipeline pages/s, peak RSS.
.PHONY: bench-ocr
bench-ocr: setup
	.venv/bin/python -m bench.ocr

# Device-label reading: serial read rates (barcode/QR labels, text-only labels, by style and
# effect), wrong reads, false matches on the wrong device, seconds per photo.
.PHONY: bench-labels
bench-labels: setup
	.venv/bin/python -m bench.labels
