"""Publishing the corpus: a Hugging Face dataset, a Frictionless data package, Croissant.

Everything published is derived from the record schema (``fields``) and the corpus manifest.
``derived`` makes the generated files of the repository root with the core dependencies only;
``hf``, ``bundle``, ``push`` and ``command`` (``newscorpus publish``) need the ``publish``
extra and import it lazily, so ``newscorpus build`` runs on the lean install.
"""
