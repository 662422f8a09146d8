"""The package's own exception."""


class InvoiceError(Exception):
    """Something about the invoice request does not make sense."""
