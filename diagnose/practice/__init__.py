"""Practice: interview drills, concept quiz, mock interview, spaced repetition and the progress store.

drill (the session), rounds (one round of each mode), interview, repair (check a file until
healthy, with hints and watch), keyboard (every line read; watch-on-save), answers (naming a
fault), conceal (no give-aways), hints, levels, schedule (what comes next), quiz, store (the
progress file), stats (what `diagnose stats` prints), session (settings and asking).

May import: diagnose.engine, diagnose.check, bugs (the catalog a drill draws from), core,
click, numpy. Never: diagnose.mutants, diagnose.cli.
"""
