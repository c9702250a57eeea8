"""What a database failure means to a caller: one that passes (retry), or one about the data (refuse it),
and how to say why without the SQL or its parameters (they hold customers' data)."""

from __future__ import annotations

from sqlalchemy import exc as sa_exc


def passing(error: BaseException) -> bool:
    """A failure that passes (the database unreachable, locked, a connection dropped): retry, never drop.
    Anything else is about the data itself."""
    if isinstance(error, sa_exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError | sa_exc.TimeoutError | OSError)


def describe(error: BaseException) -> str:
    """Why the database refused: the driver's first line (no SQL, no parameters)."""
    cause = error.orig if isinstance(error, sa_exc.DBAPIError) and error.orig is not None else error
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {text}"[:300] if text else type(cause).__name__
