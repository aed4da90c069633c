"""Attachment kinds, the options of the store, the coded error and its texts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core import i18n
from core.errors import CoreError


class AttachmentKind(StrEnum):
    ID_FRONT = "id_front"  # 身份证人像面
    ID_BACK = "id_back"  # 身份证国徽面
    CUSTOMER_WITH_GOODS = "customer_with_goods"  # 客户与商品合影
    SIGNATURE = "signature"  # 签名板签名
    PRINTED_PDF = "printed_pdf"  # 打印的还款计划 / 申请摘要 / 授权书


IMAGE_KINDS = frozenset(
    {
        AttachmentKind.ID_FRONT,
        AttachmentKind.ID_BACK,
        AttachmentKind.CUSTOMER_WITH_GOODS,
        AttachmentKind.SIGNATURE,
    }
)


@dataclass(frozen=True)
class AttachmentOptions:
    """From the settings (core.config): photo size and quality, the folder's quota and
    the free space below which saving warns."""

    max_long_side_px: int = 1600
    jpeg_quality: int = 85
    quota_bytes: int = 2048 * 1024 * 1024
    warn_free_bytes: int = 500 * 1024 * 1024
    max_input_bytes: int = 40 * 1024 * 1024  # a photo file larger than this is refused


@dataclass(frozen=True)
class EvidenceItem:
    """One attachment of an application as the receipt and the audit log list it."""

    kind: str
    sha256: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "sha256": self.sha256}


class AttachmentError(CoreError):
    """A refused or failed attachment operation, with an i18n code; never holds the
    content or personal data."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


MESSAGES: dict[str, dict[str, str]] = {
    "ATTACHMENT_KIND_UNKNOWN": {
        "zh_CN": "附件类型“{kind}”无效（应为身份证人像面、国徽面、客户与商品合影、签名或打印件）",
        "en": "Attachment kind “{kind}” is not valid (ID front, ID back, customer with goods, "
        "signature or printed PDF)",
    },
    "ATTACHMENT_NOT_IMAGE": {
        "zh_CN": "所选文件不是可识别的图片（支持 JPEG、PNG 等常见格式），请重新拍照或选择文件",
        "en": "The file is not a readable image (JPEG, PNG and other common formats); take the "
        "photo again or choose another file",
    },
    "ATTACHMENT_NOT_PDF": {
        "zh_CN": "打印件应为 PDF 文件",
        "en": "A printed copy must be a PDF file",
    },
    "ATTACHMENT_TOO_LARGE": {
        "zh_CN": "文件过大（{size_mb} MB，上限 {max_mb} MB），请压缩后重试",
        "en": "The file is too large ({size_mb} MB, at most {max_mb} MB); make it smaller and "
        "retry",
    },
    "ATTACHMENT_QUOTA_FULL": {
        "zh_CN": "附件空间已满（上限 {quota_mb} MB）：请先同步，让已上传并过了保存期的附件被清理，"
        "或请 IT 调大附件空间",
        "en": "The attachment space is full ({quota_mb} MB): sync so that uploaded attachments "
        "past retention are removed, or ask IT to raise the limit",
    },
    "ATTACHMENT_DISK_LOW": {
        "zh_CN": "电脑磁盘剩余空间不足 {free_mb} MB，请尽快请 IT 清理磁盘",
        "en": "Less than {free_mb} MB of disk space is left on this PC; ask IT to free some",
    },
    "ATTACHMENT_WRITE_FAILED": {
        "zh_CN": "附件无法保存到数据文件夹（{reason}），已保存的资料未受影响；请检查磁盘后重试",
        "en": "The attachment could not be saved in the data folder ({reason}); nothing already "
        "saved was lost. Check the disk and retry",
    },
    "ATTACHMENT_MISSING": {
        "zh_CN": "附件文件 {sha256} 在数据文件夹中不见了，请重新拍照或附上",
        "en": "Attachment file {sha256} is missing from the data folder; attach it again",
    },
    "ATTACHMENT_CHANGED": {
        "zh_CN": "附件文件 {sha256} 在磁盘上被改动过（内容与登记的校验值不符），不能使用；"
        "请重新拍照或附上，并告知 IT",
        "en": "Attachment file {sha256} was changed on disk (its content no longer matches the "
        "recorded checksum) and cannot be used; attach it again and tell IT",
    },
    "ATTACHMENT_APPLICATION_CLOSED": {
        "zh_CN": "该申请已取消，不能再添加附件",
        "en": "This application was cancelled; no more attachments can be added",
    },
    "EVIDENCE_MISSING": {
        "zh_CN": "按当前风控规则，本申请还缺少以下材料：{missing_zh}。请补齐后再提交",
        "en": "Under the current rules this application still needs: {missing_en}. Add them "
        "and submit again",
    },
    "KIND_id_front": {"zh_CN": "身份证人像面照片", "en": "photo of the ID card (front)"},
    "KIND_id_back": {"zh_CN": "身份证国徽面照片", "en": "photo of the ID card (back)"},
    "KIND_customer_with_goods": {
        "zh_CN": "客户与商品合影",
        "en": "photo of the customer with the goods",
    },
    "KIND_signature": {"zh_CN": "客户签名", "en": "customer's signature"},
    "KIND_printed_pdf": {"zh_CN": "打印件 PDF", "en": "printed PDF copy"},
}

i18n.register(MESSAGES)


def kind_of(value: object) -> AttachmentKind:
    try:
        return AttachmentKind(str(value))
    except ValueError:
        raise AttachmentError("ATTACHMENT_KIND_UNKNOWN", kind=str(value)[:40]) from None


def missing_error(missing: list[str]) -> AttachmentError:
    """EVIDENCE_MISSING naming each missing kind in both languages."""
    return AttachmentError(
        "EVIDENCE_MISSING",
        missing=",".join(missing),
        missing_zh="、".join(i18n.translate(f"KIND_{k}", "zh_CN") for k in missing),
        missing_en=", ".join(i18n.translate(f"KIND_{k}", "en") for k in missing),
    )
