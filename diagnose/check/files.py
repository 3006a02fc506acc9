"""Files the tool writes for a person (a CSV, a template): atomically, and never over something that is not a file.

A rename over the path would replace a device node or a FIFO (as root, `--csv /dev/null`
would turn /dev/null into a regular file) and would turn a symlink into a copy; so the
path is resolved to the file a symlink points at, and anything but a regular file is refused.
"""
import os
import stat


class NotAFile(ValueError):
    """The path exists and is not a regular file: nothing is written (a usage error)."""


def writable_target(path):
    """The file to write for `path` (a symlink's target); NotAFile when it exists and is not a regular file."""
    target = os.path.realpath(os.path.abspath(path))
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(st.st_mode):
        raise NotAFile(f"{path} is a directory; give the name of a file to write")
    if not stat.S_ISREG(st.st_mode):
        raise NotAFile(f"{path} is not a regular file (a FIFO, a socket or a device); give the name of a file to write")
    return target


def write_atomically(path, text):
    """Write `text` to `path` through a temporary file beside it and a rename; an existing file keeps its mode."""
    target = writable_target(path)
    tmp = f"{target}.{os.getpid()}.tmp"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        if os.path.exists(target):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
