"""Strict UTF-8 decoding for every file oidcify reads as text: a stray byte is one error that
says where it is, never a replacement character or Python's codec message."""

from __future__ import annotations

from oidcify.errors import InputError

BOM = b"\xef\xbb\xbf"


def decode_strict(
    data: bytes, field: str, *, path: str | None = None, drop_bom: bool = False
) -> str:
    """``data`` as UTF-8 text, or an InputError naming the line and column of the first byte
    that is not UTF-8 (``field: [path: ]not UTF-8: byte 0xe9 at line 3, column 2; ...``).

    A leading byte order mark is kept (the retrofit writes it back) unless ``drop_bom``."""
    if drop_bom:
        data = data.removeprefix(BOM)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        line_start = data.rfind(b"\n", 0, err.start) + 1
        column = len(data[line_start : err.start].decode("utf-8")) + 1
        where = f"{path}: " if path else ""
        raise InputError(
            f"{where}not UTF-8: byte 0x{data[err.start]:02x} at line {line}, column {column}; "
            "save the file as UTF-8",
            field=field,
        ) from None
