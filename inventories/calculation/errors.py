"""The one error type of the calculation engine."""


class CalculationError(ValueError):
    """Input that cannot be calculated. The message is one line and names the line or field at fault."""


def line_error(index: int, message: str) -> CalculationError:
    """An error about activity line ``index`` (0-based), e.g. ``line 2: unknown fuel 'x'``."""
    return CalculationError(f"line {index}: {message}")
