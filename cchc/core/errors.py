"""The expected failure of a command, as data: a Vietnamese message and the issues behind it."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cchc.core.issues import Issue


class CommandError(Exception):
    """An expected failure of a command: shown as its message, never as a traceback."""

    def __init__(self, message: str, issues: list[Issue] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.issues = issues or []


_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết dung lượng được cấp",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EACCES: "không có quyền truy cập (thư mục hoặc tệp chỉ cho phép đọc?)",
    errno.EPERM: "không được phép",
    errno.ENOENT: "không tìm thấy",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.EEXIST: "đã có tệp hoặc thư mục trùng tên",
    errno.EBUSY: "tệp đang được chương trình khác sử dụng",
    errno.EIO: "lỗi đọc/ghi của ổ đĩa",
}


def os_error_message(exc: OSError) -> str:
    """One Vietnamese line for an error of the machine: what failed, on which path, why."""
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc))
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    where = " → ".join(f"'{p}'" for p in paths)
    return f"không đọc/ghi được {where}: {reason}" if where else f"lỗi đọc/ghi: {reason}"
