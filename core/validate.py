"""Input validation: refuse bad shapes and labels with a message naming what was expected.

A wrong label shape is checklist fault 3: `P[np.arange(N), y]` with y of shape
(N, 1) silently broadcasts to (N, N), so it must be stopped at the door.
"""
import numpy as np

PARAM_KEYS = ("W1", "b1", "W2", "b2")


def validate_params(params, D=None):
    """Check that params has W1 (D,H), b1 (H,), W2 (H,C), b2 (C,); return (D, H, C)."""
    if not isinstance(params, dict):
        raise ValueError(f"params must be a dict with keys {', '.join(PARAM_KEYS)}, got {type(params).__name__}")
    missing = [k for k in PARAM_KEYS if k not in params]
    if missing:
        raise ValueError(f"params is missing {', '.join(missing)}: expected keys {', '.join(PARAM_KEYS)}")
    extra = [str(k) for k in params if k not in PARAM_KEYS]
    if extra:
        raise ValueError(f"params has unexpected keys {', '.join(extra)}: expected exactly {', '.join(PARAM_KEYS)}")
    for name in PARAM_KEYS:
        if not isinstance(params[name], np.ndarray):
            raise ValueError(f'params["{name}"] must be a numpy array, got {type(params[name]).__name__}')
    W1 = params["W1"]
    if W1.ndim != 2:
        raise ValueError(f'params["W1"] must have shape (D, H), got {W1.shape}')
    D_w, H = W1.shape
    if D is not None and D_w != D:
        raise ValueError(f'params["W1"] must have shape (D, H) = ({D}, {H}) to match X, got {W1.shape}')
    W2 = params["W2"]
    if W2.ndim != 2 or W2.shape[0] != H:
        raise ValueError(f'params["W2"] must have shape (H, C) with H = {H}, got {W2.shape}')
    C = W2.shape[1]
    for name, want in (("b1", (H,)), ("b2", (C,))):
        if params[name].shape != want:
            raise ValueError(f'params["{name}"] must have shape {want}, got {params[name].shape}')
    return D_w, H, C


def validate_inputs(X, y, params):
    """Check X (N, D), integer labels y (N,) in [0, C) and the params' shapes."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D with shape (N, D), got shape {X.shape}")
    N, D = X.shape
    _, _, C = validate_params(params, D)
    if y.ndim != 1:
        raise ValueError(f"y must have shape (N,) = ({N},), got {y.shape}")
    if y.shape[0] != N:
        raise ValueError(f"y must have shape (N,) = ({N},) to match X's {N} rows, got {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}")
    bad = np.flatnonzero((y < 0) | (y >= C))
    if bad.size:
        i = bad[0]
        raise ValueError(f"y must hold labels in [0, C) = [0, {C}), got {y[i]} at index {i}")


def validate_member_inputs(X, y, params, binary=False):
    """validate_inputs for a multiclass head; for a binary head, one output unit and y in {0, 1} of shape (N,)."""
    if not binary:
        return validate_inputs(X, y, params)
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D with shape (N, D), got shape {X.shape}")
    N, D = X.shape
    _, H, C = validate_params(params, D)
    if C != 1:
        raise ValueError(f'a binary head has one output unit: params["W2"] must have shape ({H}, 1), got (H, C) = ({H}, {C})')
    if y.shape != (N,):
        raise ValueError(f"y must have shape (N,) = ({N},), got {y.shape}")
    if not (np.issubdtype(y.dtype, np.integer) or np.issubdtype(y.dtype, np.bool_) or np.issubdtype(y.dtype, np.floating)):
        raise ValueError(f"y must hold binary labels 0 or 1, got dtype {y.dtype}")
    bad = np.flatnonzero((y != 0) & (y != 1))
    if bad.size:
        i = bad[0]
        raise ValueError(f"y must hold binary labels 0 or 1, got {y[i]} at index {i}")
