"""Document recognition: what a claim photo is and its key fields (see :func:`recognise`)."""
