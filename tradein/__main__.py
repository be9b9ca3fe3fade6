"""``python -m tradein`` runs the command line."""

from tradein.cli import main

main()
