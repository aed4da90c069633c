"""Chinese and English text for what the command line refuses before any data is touched
(an input file it will not read, an output nobody reads, a log it cannot write), and the
reading of an input file with a size cap (registered with core.i18n on import)."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

from core import i18n
from core.errors import CoreError

#: the largest application file ``prescreen`` reads (a real one is a few kilobytes)
MAX_INPUT_BYTES = 1024 * 1024

i18n.register(
    {
        "FILE_NOT_REGULAR": {
            "zh_CN": "{file} 不是普通文件（可能是管道或设备），未读取。请给出一个 JSON 文件。",
            "en": "{file} is not a regular file (a pipe or a device?), so it was not read. "
            "Give a JSON file.",
        },
        "FILE_TOO_LARGE": {
            "zh_CN": "{file} 超过 {limit} 字节，不像一份申请，未读取。",
            "en": "{file} is larger than {limit} bytes, too large for one application; not read.",
        },
        "JSON_TOO_DEEP": {
            "zh_CN": "{file} 的 JSON 嵌套层数过多，不是一份申请。",
            "en": "{file}: the JSON is nested too deeply to be an application.",
        },
        "JSON_NUMBER_TOO_LONG": {
            "zh_CN": "{file} 中有位数过多的数字（{detail}），不是一份申请。",
            "en": "{file} holds a number with too many digits ({detail}); not an application.",
        },
        "CLI_OUTPUT_CLOSED": {
            "zh_CN": "输出无法写出：读取输出的程序已关闭（例如 | head）。",
            "en": "The output could not be written: the program reading it closed it "
            "(e.g. | head).",
        },
        "CLI_LOG_UNWRITABLE": {
            "zh_CN": "无法写入日志文件 {file}（{detail}），本次不记录日志；"
            "数据文件夹可能是只读的。",
            "en": "The log file {file} cannot be written ({detail}); going on without a log. "
            "The data folder may be read-only.",
        },
    }
)


class InputRefused(CoreError):
    """An input file refused before or while parsing: ``code`` and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def to_json(self, lang: str) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": str(self.params.get("file", "")),
            "message": i18n.translate(self.code, lang, **self.params),
            "message_zh": i18n.translate(self.code, "zh_CN", **self.params),
            "message_en": i18n.translate(self.code, "en", **self.params),
        }


def read_json_file(source: Path, limit: int = MAX_INPUT_BYTES) -> Any:
    """The JSON in ``source``: a regular file of at most ``limit`` bytes (a FIFO or a
    device is refused before it is opened, so nothing blocks or fills memory).

    Raises :class:`InputRefused` for those and for JSON nested too deeply or holding a
    number too long to convert; ``OSError``, ``UnicodeDecodeError`` and
    ``json.JSONDecodeError`` as reading and parsing raise them."""
    info = os.stat(source)
    if not stat.S_ISREG(info.st_mode):
        raise InputRefused("FILE_NOT_REGULAR", file=source)
    if info.st_size > limit:
        raise InputRefused("FILE_TOO_LARGE", file=source, limit=limit)
    with open(source, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # it grew since the stat
        raise InputRefused("FILE_TOO_LARGE", file=source, limit=limit)
    text = data.decode("utf-8-sig")
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise InputRefused("JSON_TOO_DEEP", file=source) from None
    except ValueError as exc:  # Python's cap on digits in an int conversion
        limit_digits = sys.get_int_max_str_digits()
        raise InputRefused(
            "JSON_NUMBER_TOO_LONG", file=source, detail=f"more than {limit_digits} digits"
        ) from exc
