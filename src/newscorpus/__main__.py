"""``python -m newscorpus`` runs the command line."""

from newscorpus.cli import main

main()
