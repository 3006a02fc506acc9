"""`from diagnose import adapt`: the public path of the adapter kit, which lives with the rest
of checking a person's code in diagnose.check.adapt and diagnose.check.adapt_steps.

Compose it in your file's loss_and_grads(X, y, params); see README, "Check code shaped like yours".
"""
from diagnose.check.adapt import AdapterError, Frame, assign
from diagnose.check.adapt_steps import grads_from_update, per_sample

__all__ = ["AdapterError", "Frame", "assign", "grads_from_update", "per_sample"]
