"""Small PDFs and images made on the fly, for the evidence tests."""

import io

from PIL import Image, ImageDraw


def png(width=400, height=300, text="invoice", colour="white") -> bytes:
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).text((10, 10), text, fill="black")
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def jpeg(width=400, height=300, text="scan") -> bytes:
    image = Image.open(io.BytesIO(png(width, height, text))).convert("RGB")
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return output.getvalue()


def pdf(pages=1, width=595, height=842) -> bytes:
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(width, height)
    output = io.BytesIO()
    document.save(output)
    document.close()
    return output.getvalue()
