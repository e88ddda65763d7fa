"""Documents Khamrap makes and receives: PDFs rendered from templates, and checked uploads.

A plain package, not a Django app: it has no models. See ``docs/documents.md``.
"""
