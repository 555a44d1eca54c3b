"""Forked worker processes (plansite.worker).

A worker is started with :func:`start` and ended with :func:`end`. Its job is handed over through a module
global, set just before the fork and cleared just after it, so the build process keeps no reference to
it (``multiprocessing.Process`` keeps its arguments). The child gets the sending end of a pipe, with the
receiving end that the fork copied closed, so the pipe breaks when the build closes its end.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import traceback

_JOB: tuple | None = None


def can_fork() -> bool:
    """Whether work may go to forked processes: POSIX, unless ``PLANSITE_NO_FORK=1`` (to compare, or debug)."""
    return "fork" in multiprocessing.get_all_start_methods() and os.environ.get("PLANSITE_NO_FORK") != "1"


def _entry() -> None:
    target, conn, parent_end, args = _JOB
    parent_end.close()
    target(conn, *args)


def start(target, name: str, *args, duplex: bool = False):
    """Run ``target(conn, *args)`` in a forked daemon process; return the process and the build's end of the
    pipe (to receive on; with ``duplex``, to send on as well)."""
    global _JOB
    ctx = multiprocessing.get_context("fork")
    parent_end, child_end = ctx.Pipe(duplex=duplex)
    _JOB = (target, child_end, parent_end, args)
    proc = ctx.Process(target=_entry, name=name, daemon=True)
    try:
        proc.start()
    finally:
        _JOB = None
    child_end.close()
    return proc, parent_end


def end(proc, conn) -> None:
    """Close the receiving end and end the worker (it has answered, or the build failed)."""
    if conn is not None:
        conn.close()
    if proc is not None:
        proc.join(timeout=5)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=5)


def error_text(exc: BaseException) -> str:
    """An exception as the build reports it: type, message and traceback."""
    return f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"


class Forked:
    """A call running in a forked process: calling the object waits for it and returns its result (pickled
    through a pipe), or raises RuntimeError with the child's error; :meth:`cancel` ends it instead."""

    def __init__(self, pid: int | None, read_end: int | None, result=None) -> None:
        self.pid, self.read_end, self.result = pid, read_end, result

    def __call__(self):
        if self.pid is None:
            return self.result
        with os.fdopen(self.read_end, "rb") as got:
            data = got.read()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        try:
            kind, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - the child died before it could answer
            kind, value = "error", f"进程异常结束（状态 {status}）"
        if kind != "ok":
            raise RuntimeError(value)
        self.result = value
        return value

    def cancel(self) -> None:
        """End the child (the caller failed and will not wait for its result)."""
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        os.close(self.read_end)
        self.pid = None


def fork_call(fn, *args) -> Forked:
    """Start ``fn(*args)`` in a forked process (see :class:`Forked`). The child leaves at once when done (no
    cleanup of the parent's state). In this process, when forking is not possible."""
    if not can_fork():
        return Forked(None, None, fn(*args))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        code = 0
        try:
            message = pickle.dumps(("ok", fn(*args)), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
            message, code = pickle.dumps(("error", error_text(exc))), 1
        with os.fdopen(write_end, "wb") as out:
            out.write(message)
        os._exit(code)
    os.close(write_end)
    return Forked(pid, read_end)
