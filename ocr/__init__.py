"""Pure document reading: files in, graded readings and invoice fields out.

``PIPELINE_VERSION`` keys the OCR cache: change it whenever reading or grading changes what a
file yields, so that no stale reading is reused.
"""

PIPELINE_VERSION = "2026.11.1"
