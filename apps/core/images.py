"""Uploaded images (cluster pictures, support chat images): validated once, stored under a random key.

The limits are the cluster picture settings (`CLUSTER_PICTURE_MAX_BYTES`, `CLUSTER_PICTURE_MAX_PIXELS`): one policy
for every image staff or riders upload.
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from apps.core.exceptions import ValidationFailed

IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    extension: str
    content_type: str
    width: int
    height: int


def read_image(upload, field: str) -> CheckedImage:
    """A JPEG, PNG or WebP within the size and pixel limits, fully decoded once; else -2 naming `field`."""
    limit = settings.CLUSTER_PICTURE_MAX_BYTES
    if upload.size > limit:
        raise ValidationFailed.on(field, f"The picture is larger than {limit // 1024} KiB.")
    data = upload.read()
    try:
        with Image.open(ContentFile(data)) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > settings.CLUSTER_PICTURE_MAX_PIXELS:
                raise ValidationFailed.on(field, "The picture has too many pixels.")
            image.verify()  # a truncated or corrupt file fails here, not when someone opens it later
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationFailed.on(field, "The file is not a readable image.") from None
    if image_format not in IMAGE_FORMATS:
        raise ValidationFailed.on(field, f"Pictures must be {', '.join(IMAGE_FORMATS)}, not {image_format}.")
    extension, content_type = IMAGE_FORMATS[image_format]
    return CheckedImage(data, extension, content_type, width, height)


def store_image(image: CheckedImage, folder: str, create_row: Callable[[str], object]):
    """Save the file under `folder/<uuid>.<ext>` and call `create_row(key)`; no file is left without its row."""
    key = default_storage.save(f"{folder}/{uuid.uuid4()}.{image.extension}", ContentFile(image.data))
    try:
        with transaction.atomic():
            return create_row(key)
    except Exception:
        default_storage.delete(key)
        raise
