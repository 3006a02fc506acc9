"""The diagnoser: names the fault in a backward pass from behaviour alone."""
__version__ = "0.1.0"

from diagnose.check.api import diagnose  # noqa: E402
from diagnose.check.loader import load_subject  # noqa: E402
from diagnose.engine.report import Report  # noqa: E402

__all__ = ["Report", "__version__", "diagnose", "load_subject"]
