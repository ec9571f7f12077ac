"""Errors whose text is meant for the user, and operating-system errors said in Chinese."""

from __future__ import annotations

import errno


class ReportFileError(Exception):
    """A file could not be read or written as a report; ``str(err)`` says in Chinese what and where."""


# errno → (reason when reading, reason when writing); the system's own text is English on most machines.
_REASONS = {
    errno.EACCES: ("没有读取权限", "没有写入权限"),
    errno.EPERM: ("没有读取权限", "没有写入权限（或该位置不允许此操作）"),
    errno.ENOSPC: ("磁盘空间不足", "磁盘空间不足"),
    errno.EDQUOT: ("磁盘配额已满", "磁盘配额已满"),
    errno.EFBIG: ("文件过大", "文件过大，超出该磁盘或文件系统允许的大小"),
    errno.EROFS: ("磁盘为只读", "磁盘为只读（如写保护的 U 盘或光盘）"),
    errno.ENOENT: ("文件或文件夹不存在", "文件夹不存在"),
    errno.ENOTDIR: ("路径中有一部分不是文件夹", "路径中有一部分不是文件夹"),
    errno.EISDIR: ("这是文件夹，不是文件", "同名的文件夹已存在"),
    errno.ENAMETOOLONG: ("文件名或路径过长", "文件名或路径过长"),
    errno.EIO: ("磁盘读写出错（磁盘或 U 盘可能已损坏或被拔出）", "磁盘读写出错（磁盘或 U 盘可能已损坏或被拔出）"),
    errno.EBUSY: ("文件正被其他程序占用", "文件正被其他程序占用"),
    errno.ETXTBSY: ("文件正被其他程序占用", "文件正被其他程序占用"),
    errno.EMFILE: ("同时打开的文件过多", "同时打开的文件过多"),
    errno.ENFILE: ("同时打开的文件过多", "同时打开的文件过多"),
    errno.ELOOP: ("文件的快捷方式（链接）循环指向自身", "文件的快捷方式（链接）循环指向自身"),
    errno.EINVAL: ("文件名或位置无效", "文件名或位置无效"),
    errno.ENXIO: ("设备不存在或未连接", "设备不存在或未连接"),
    errno.ENODEV: ("设备不存在或未连接", "设备不存在或未连接"),
    errno.ETIMEDOUT: ("网络或设备响应超时", "网络或设备响应超时"),
}
# Windows error codes that errno does not tell apart (a file held open by WPS, Word or an antivirus scanner).
_WINDOWS = {32: "文件正被其他程序占用（如 WPS、Word 或杀毒软件），请关闭后重试", 33: "文件的一部分被其他程序锁定",
            112: "磁盘空间不足", 19: "磁盘为只读（写保护）", 53: "找不到网络路径", 1224: "文件正被其他程序映射使用"}


def os_reason(e: OSError, writing: bool = False) -> str:
    """Why an operating-system call failed, in Chinese; never the system's (English) text."""
    winerror = getattr(e, "winerror", None)
    if winerror in _WINDOWS:
        return _WINDOWS[winerror]
    reasons = _REASONS.get(e.errno) if e.errno is not None else None
    if reasons:
        return reasons[writing]
    code = e.errno if e.errno is not None else winerror
    return f"系统错误（代码 {code}）" if code is not None else "系统错误"


def damage_reason(e: BaseException) -> str:
    """What a library's exception says about a damaged file, as a clerk can read it (never its English name)."""
    name = type(e).__name__
    for names, reason in _DAMAGE:
        if name in names:
            return reason
    if isinstance(e, OSError):
        # reading a damaged file, EINVAL is a seek to a place the file's own records invent
        return "文件结构损坏（记录的位置超出文件范围）" if e.errno == errno.EINVAL else os_reason(e)
    return "内容不符合该格式"


_DAMAGE = (
    (("BadZipFile", "BadZipfile", "LargeZipFile", "error", "EOFError"), "压缩包结构损坏或不完整"),
    (("XMLSyntaxError", "ParseError", "ExpatError", "DocumentInvalid"), "其中的 XML 内容格式错误"),
    (("ParserError",), "内容为空或无法解析"),
    (("PdfiumError",), "PDF 内容已损坏或已加密"),
    (("KeyError",), "缺少必需的部件或引用了不存在的部件"),
    (("NotImplementedError",), "使用了不支持的压缩方式或已加密"),
    (("UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError"), "其中的文字编码错误"),
    (("RecursionError",), "结构嵌套过深"),
    (("MemoryError",), "内容过大，无法读入内存"),
    (("ValidationError",), "其中的报告内容无效"),
)
