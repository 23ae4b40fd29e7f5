"""Claim documents: recognition (OCR, document type, key fields) and photo evidence."""
