"""Practice: interview drills, concept quiz, spaced repetition and the progress store.

May import: diagnose.engine, diagnose.check, bugs (the catalog a drill draws from), core,
click, numpy. Never: diagnose.mutants, diagnose.cli.
"""
