"""Image preprocessing before OCR: grey, orientation, scale, deskew, clean-up, binarisation.

numpy and Pillow only; ink masks are boolean arrays (True = ink). About 0.4 s of CPU for a
page at the target size.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageFilter, ImageOps

# The long side of an invoice page after scaling, in pixels: ~250 dpi for a 240 mm wide
# 数电票, ~200 dpi for A4: 9 pt CJK is then ~30 px tall. Measured on the sample set, 2400
# reads as many fields as 2800 for ~10 % less CPU; 2200 loses characters in names.
TARGET_LONG_SIDE = 2400
MAX_SKEW_DEGREES = 6.0
MODE = "grey"
NOISY = 5.0  # paper noise (grey levels) above which a page is smoothed and specks removed


def to_grey(image: Image.Image) -> Image.Image:
    """Grey with coloured ink made dark: the minimum of the channels, so that the red-brown
    labels and rules of Chinese invoices are as dark as black print."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("1", "L", "I;16", "I", "F"):
        return image.convert("L")
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    rgb = np.asarray(image.convert("RGB"))
    return Image.fromarray(rgb.min(axis=2))


def rescale(image: Image.Image, target_long_side: int | None = None) -> Image.Image:
    """Upscale low-resolution pages (photos, 150 dpi scans), downscale huge ones."""
    target_long_side = target_long_side or TARGET_LONG_SIDE
    long_side = max(image.size)
    if long_side < target_long_side * 0.85 or long_side > target_long_side * 1.4:
        factor = target_long_side / long_side
        size = (max(1, round(image.width * factor)), max(1, round(image.height * factor)))
        image = image.resize(size, Image.LANCZOS if factor < 1 else Image.BICUBIC)
    return image


def flatten_background(grey: np.ndarray) -> np.ndarray:
    """Divide by a blurred copy: removes uneven lighting and paper tint of photos."""
    small = Image.fromarray(grey).reduce(8)
    background = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))
    background = np.asarray(background.resize((grey.shape[1], grey.shape[0]), Image.BILINEAR), dtype=np.float32)
    flat = grey.astype(np.float32) / np.maximum(background, 1.0) * 255.0
    return np.clip(flat, 0, 255).astype(np.uint8)


def otsu_threshold(grey: np.ndarray) -> int:
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    weight0 = np.cumsum(hist)
    weight1 = total - weight0
    mean0 = np.cumsum(hist * levels)
    mean_total = mean0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_total * weight0 / total - mean0) ** 2 / (weight0 * weight1)
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink (True) where darker than the Otsu threshold of the flattened page."""
    threshold = otsu_threshold(grey)
    return grey <= threshold


def _long_runs(mask: np.ndarray, length: int, axis: int) -> np.ndarray:
    """Pixels that belong to a run of at least `length` ink pixels along `axis`."""
    m = mask if axis == 1 else mask.T
    padded = np.zeros((m.shape[0], m.shape[1] + 1), dtype=np.int32)
    np.cumsum(m, axis=1, out=padded[:, 1:])
    if m.shape[1] < length:
        return np.zeros_like(mask)
    full = (padded[:, length:] - padded[:, :-length]) == length  # window starting at i is all ink
    # Spread every full window back over its `length` pixels.
    starts = np.zeros((m.shape[0], m.shape[1] + 1), dtype=np.int32)
    starts[:, : full.shape[1]] += full
    starts[:, length: length + full.shape[1]] -= full
    covered = np.cumsum(starts, axis=1)[:, : m.shape[1]] > 0
    return covered if axis == 1 else covered.T


def remove_rules(ink: np.ndarray) -> np.ndarray:
    """Erase the long horizontal and vertical table rules (they make Tesseract drop the
    text printed next to them)."""
    height, width = ink.shape
    rules = _long_runs(ink, max(40, width // 12), axis=1) | _long_runs(ink, max(40, height // 8), axis=0)
    # Thicken by one pixel to catch anti-aliased edges.
    rules[1:, :] |= rules[:-1, :]
    rules[:-1, :] |= rules[1:, :]
    rules[:, 1:] |= rules[:, :-1]
    rules[:, :-1] |= rules[:, 1:]
    return ink & ~rules


def skew_angle(ink: np.ndarray) -> float:
    """Small-angle skew in degrees (counter-clockwise positive) by projection profiles."""
    height, width = ink.shape
    step = max(1, max(height, width) // 1200)
    ys, xs = np.nonzero(ink[::step, ::step])
    if len(xs) < 500:
        return 0.0
    if len(xs) > 200_000:
        pick = np.random.default_rng(0).choice(len(xs), 200_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs = xs.astype(np.float64) - xs.mean()
    ys = ys.astype(np.float64)

    def score(angle: float) -> float:
        theta = np.deg2rad(angle)
        rows = np.round(ys * np.cos(theta) + xs * np.sin(theta)).astype(np.int64)
        rows -= rows.min()
        counts = np.bincount(rows)
        return float(np.dot(counts, counts))

    coarse = np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5)
    best = max(coarse, key=score)
    fine = np.arange(best - 0.5, best + 0.51, 0.1)
    best = max(fine, key=score)
    return float(best)


def rotate(image: Image.Image, degrees: float) -> Image.Image:
    """Rotate counter-clockwise by `degrees`, filling with paper."""
    if degrees in (90, 180, 270):
        return image.transpose({90: Image.ROTATE_90, 180: Image.ROTATE_180, 270: Image.ROTATE_270}[int(degrees)])
    return image.rotate(degrees, resample=Image.BILINEAR, expand=True, fillcolor=255)


def despeckle(ink: np.ndarray) -> np.ndarray:
    """Drop isolated ink pixels (scanner dust, JPEG noise) without thinning strokes: a
    pixel stays when at least two of its eight neighbours are ink."""
    padded = np.pad(ink, 1).astype(np.uint8)
    neighbours = sum(padded[1 + dy: padded.shape[0] - 1 + dy, 1 + dx: padded.shape[1] - 1 + dx]
                     for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return ink & (neighbours >= 2)


def remove_small(ink: np.ndarray, window: int = 5, min_count: int = 9) -> np.ndarray:
    """Drop specks: ink pixels with fewer than `min_count` ink pixels in the window around
    them (a box sum over an integral image, a cheap stand-in for component sizes)."""
    pad = window // 2
    padded = np.pad(ink, pad).astype(np.int32)
    integral = np.zeros((padded.shape[0] + 1, padded.shape[1] + 1), dtype=np.int32)
    np.cumsum(np.cumsum(padded, axis=0), axis=1, out=integral[1:, 1:])
    h, w = ink.shape
    counts = (integral[window:window + h, window:window + w] - integral[:h, window:window + w]
              - integral[window:window + h, :w] + integral[:h, :w])
    return ink & (counts >= min_count)


def noise_level(flat: np.ndarray, ink: np.ndarray) -> float:
    """Standard deviation of the paper (non-ink) pixels of a flattened page."""
    paper = flat[::4, ::4][~ink[::4, ::4]]
    return float(paper.std()) if paper.size else 0.0


def _grow(mask: np.ndarray) -> np.ndarray:
    near = mask.copy()
    near[1:, :] |= mask[:-1, :]
    near[:-1, :] |= mask[1:, :]
    near[:, 1:] |= near[:, :-1]
    near[:, :-1] |= near[:, 1:]
    return near


def prepare(image: Image.Image, orientation: int = 0, mode: str | None = None) -> Image.Image:
    """The full clean-up: returns an 'L' image ready for Tesseract: the flattened grey page
    with rules and specks whitened (mode "grey", the default: Tesseract's LSTM reads the grey
    levels of blurred strokes better) or a pure black-and-white page (mode "binary")."""
    mode = mode or MODE
    grey = to_grey(image)
    if orientation:
        grey = rotate(grey, orientation)
    grey = rescale(grey)
    angle = skew_angle(small_ink(grey))
    if abs(angle) >= 0.2:
        grey = rotate(grey, -angle)
    flat = flatten_background(np.asarray(grey))
    ink = binarise(flat)
    noisy = noise_level(flat, ink) > NOISY
    if noisy:  # smooth the grain first so that the threshold does not cut strokes into dots
        flat = np.asarray(Image.fromarray(flat).filter(ImageFilter.GaussianBlur(1.0)))
        ink = binarise(flat)
    keep = remove_rules(ink)
    keep = remove_small(keep) if noisy else despeckle(keep)
    if mode == "grey":
        return Image.fromarray(np.where(_grow(keep), flat, 255).astype(np.uint8))
    return Image.fromarray(np.where(keep, 0, 255).astype(np.uint8))


def small_ink(grey: Image.Image, long_side: int = 1000) -> np.ndarray:
    """A quick low-resolution ink mask without table rules (for orientation tests)."""
    factor = max(1, round(max(grey.size) / long_side))
    small = grey.reduce(factor) if factor > 1 else grey
    return remove_rules(binarise(flatten_background(np.asarray(small))))


def looks_sideways(ink: np.ndarray) -> bool:
    """True when the text lines run vertically (a page turned by 90 or 270 degrees).

    Horizontal text gives a row profile with sharp peaks (lines) and empty gaps between
    them; its column profile is much flatter. Compare the two contrasts.
    """
    if ink.sum() < 200:
        return False

    def contrast(profile: np.ndarray) -> float:
        profile = profile.astype(np.float64)
        inside = profile[np.nonzero(profile)[0][0]: np.nonzero(profile)[0][-1] + 1] if profile.any() else profile
        mean = inside.mean()
        return float(inside.var() / (mean * mean)) if mean else 0.0

    return contrast(ink.sum(axis=0)) > 1.3 * contrast(ink.sum(axis=1))
