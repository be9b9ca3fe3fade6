"""The one error hierarchy of tradein.

Expected outcomes (needs review, rejected, duplicate) are return values, never exceptions.
An exception means something failed; each class carries the process exit code and a
machine-readable ``code`` so the command line can print one clear line.
"""

from __future__ import annotations


class TradeinError(Exception):
    """Base of every error tradein raises on purpose."""

    code = "ERROR"
    exit_code = 1

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}"


class ConfigurationError(TradeinError):
    """Settings or programme configuration are missing or invalid."""

    code = "CONFIGURATION_ERROR"
    exit_code = 2


class UsageError(TradeinError):
    """The command was called with arguments that cannot work."""

    code = "USAGE_ERROR"
    exit_code = 2


class EngineMissingError(ConfigurationError):
    """An external engine (tesseract, poppler) is not installed or not on PATH."""

    code = "ENGINE_MISSING"


class EngineError(TradeinError):
    """An external engine failed on input it should have handled."""

    code = "ENGINE_ERROR"


class BundleError(TradeinError):
    """A claim bundle breaks the contract; ``code`` says how (quarantine reason)."""

    code = "MALFORMED_BUNDLE"


class ReferenceDataError(TradeinError):
    """A reference CSV cannot be loaded at all (missing file, wrong header)."""

    code = "BAD_REFERENCE_FILE"
    exit_code = 2


class ClaimConflictError(TradeinError):
    """A claim_ref is already known with different content."""

    code = "CLAIM_REF_CONFLICT"


class ReviewError(TradeinError):
    """A review decision cannot be applied (unknown claim, already decided, bad input)."""

    code = "REVIEW_REFUSED"
    exit_code = 2
