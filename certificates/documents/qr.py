"""QR codes of resolution URLs (segno), inline so that no document fetches anything."""

import segno


def qr_svg_data_uri(url: str) -> str:
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4, dark="#000", light="#fff")
