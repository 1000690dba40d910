"""The one exception the package raises for input it cannot read as an invoice."""


class ExtractionError(ValueError):
    """The file is not a readable invoice. ``code`` says why, ``str(error)`` says it to a person.

    Codes: empty, too_large (the file, or a stream that inflates past its limit), unsupported_type,
    corrupt, too_many_pages, too_many_pixels,
    not_an_invoice.
    """

    def __init__(self, message: str, code: str = "invalid"):
        super().__init__(message)
        self.code = code

    def __reduce__(self):  # keeps the code when it crosses a process boundary (ingestion/sandbox.py)
        return type(self), (str(self), self.code)
