"""The correct two-layer classifier, its gradient check and its input validation."""
from core.gradcheck import grad_check, grad_check_sampled, numeric_grad, rel_error, rel_errors
from core.net import backward, forward_loss, init_params, train_step
from core.validate import PARAM_KEYS, validate_inputs, validate_params

__all__ = [
    "PARAM_KEYS",
    "backward",
    "forward_loss",
    "grad_check",
    "grad_check_sampled",
    "init_params",
    "numeric_grad",
    "rel_error",
    "rel_errors",
    "train_step",
    "validate_inputs",
    "validate_params",
]
