"""What the fake extractor of the tests reads from an invoice."""

from carbon_portal.accounts.uscc import with_check_character

SELLER = with_check_character("91330100MA27XYW00")
EXTRACTION = {
    "invoice_number": "25332000000012345678", "invoice_code": None, "issue_date": "2025-04-02",
    "seller_name": "国网浙江省电力有限公司杭州供电公司", "seller_tax_id": SELLER,
    "buyer_name": "杭州青山建材有限公司", "buyer_tax_id": "",
    "lines": [
        {"description": "*供电*电费", "energy_type": "electricity", "quantity": "120000", "unit": "kWh",
         "unit_price": "0.65", "amount": "78000.00", "tax_rate": "0.13", "tax": "10140.00"},
        {"description": "*供电*基本电费", "energy_type": "other", "quantity": "400", "unit": "kVA",
         "amount": "12000.00", "tax_rate": "0.13", "tax": "1560.00"},
    ],
    "total_amount": "90000.00", "total_tax": "11700.00", "total_with_tax": "101700.00",
    "method": "text", "confidence": 0.97, "warnings": [],
}
