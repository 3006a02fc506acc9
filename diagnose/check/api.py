"""`diagnose(obj)`: the engine on whatever a person has in hand, in this process.

The engine takes a subject with forward_loss/backward or loss_and_grads; a person in a
notebook also has a TwoLayerNet class or instance, a module, or a path. Those go
through the loader, which finds the form and adapts it (a class also gets the
regularisation check). Nothing here has a time limit: `check_file` is the safe way
to run a file you do not trust.
"""
from diagnose.check.isolate import diagnose_subject
from diagnose.check.loader import has, load_subject
from diagnose.engine.pipeline import diagnose as diagnose_engine
from diagnose.engine.subject import Subject


def engine_ready(obj):
    """Whether the engine takes obj as it is: a Subject, or an object with the functions of form (a) or (c)."""
    if isinstance(obj, Subject):
        return True
    return (has(obj, "forward_loss") and has(obj, "backward")) or has(obj, "loss_and_grads")


def diagnose(obj, **options):
    """A Report on obj: a module, namespace, class, instance or path; options go to the engine (seed, shape)."""
    if engine_ready(obj):
        return diagnose_engine(obj, **options)
    return diagnose_subject(load_subject(obj), **options)
