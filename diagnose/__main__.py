"""`python -m diagnose` runs the same command group as the `diagnose` script."""
from diagnose.cli.main import main

main()
