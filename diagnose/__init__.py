"""The diagnoser: names the fault in a backward pass from behaviour alone."""
__version__ = "0.1.0"
