"""python manage.py extract_invoice FILE [--json] — docs/interfaces.md §3."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ingestion import sandbox
from ingestion.extraction import ExtractionError


class Command(BaseCommand):
    help = "Read an invoice (PDF, scanned PDF, PNG/JPEG/TIFF) and print its fields."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the invoice file")
        parser.add_argument("--json", action="store_true", help="print the docs/interfaces.md §3 JSON object")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            data = sandbox.run("ingestion.extraction.extract:extract_invoice_data", str(path),
                               ocr_workers=settings.INVOICE_OCR_WORKERS)
        except (ExtractionError, sandbox.ResourceLimit) as error:
            raise CommandError(" ".join(str(error).split())) from error
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self._summary(data))

    @staticmethod
    def _summary(data: dict) -> str:
        out = []
        code = f" (code {data['invoice_code']})" if data.get("invoice_code") else ""
        out.append(f"Invoice {data['invoice_number']}{code}, issued {data['issue_date']}")
        out.append(f"Seller: {data['seller_name']} [{data['seller_tax_id']}]")
        out.append(f"Buyer:  {data['buyer_name']} [{data['buyer_tax_id']}]")
        for number, line in enumerate(data["lines"], start=1):
            price = f" × {line['unit_price']}" if line.get("unit_price") else ""
            tax = f", tax {line['tax']} ({line['tax_rate']})" if line.get("tax") else ""
            out.append(f"  {number}. {line['description']} [{line['energy_type']}]: "
                       f"{line['quantity']} {line['unit'] or ''}{price} = {line['amount']}{tax}")
        out.append(f"Total {data['total_amount']} + tax {data['total_tax']} = {data['total_with_tax']}")
        out.append(f"Read by {data['method']}, confidence {data['confidence']:.2f}")
        for warning in data["warnings"]:
            out.append(f"Warning: {warning}")
        return "\n".join(out)
