"""Optical character recognition with tesseract, when it is installed."""

from __future__ import annotations

import functools
import shutil

import pytesseract
from PIL import Image

from app.documents.layout import PlacedWord

OCR_TIMEOUT_S = 60
MIN_CONFIDENCE = 30.0


@functools.cache
def tesseract_available() -> bool:
    """True when the tesseract binary can be run."""
    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


def ocr_words(image: Image.Image, *, scale: float = 1.0) -> list[PlacedWord]:
    """Words tesseract reads on the image, boxes multiplied by scale (pixels to points)."""
    data = pytesseract.image_to_data(
        image, lang="eng", output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT_S
    )
    words: list[PlacedWord] = []
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        if not text or float(data["conf"][i]) < MIN_CONFIDENCE:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        width, height = float(data["width"][i]), float(data["height"][i])
        words.append(
            PlacedWord(
                text=text,
                x0=left * scale,
                top=top * scale,
                x1=(left + width) * scale,
                bottom=(top + height) * scale,
            )
        )
    return words
