"""Document recognition: what a claim photo is and its key fields (see :func:`recognise`).

``loading`` (safe image reading), ``engine`` (the OCR engine, once per process) and ``reading``
(orientation, lines) deal with pixels; ``layout``, ``labels``, ``classify``, ``extract``,
``normalise`` and ``words`` are pure text and geometry, with no Django.
"""

from tuopin.documents.recognition.pipeline import recognise

__all__ = ["recognise"]
