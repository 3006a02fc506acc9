"""Catalogued mutants: running the engine on a fault by id (`diagnose run`) and the
catalog's table views (`diagnose list`, the README table).

The one place besides the command line that looks a mutant up by id. May import: bugs,
core, diagnose.engine. Never: diagnose.check, diagnose.practice, diagnose.cli.
"""
