"""Invoice extraction benchmark: per-field accuracy and seconds per page on the sample set.

    .venv/bin/python bench/invoices.py [--repeat N] [--verbose]

Runs with one OCR worker (ocr_workers=1, as INVOICE_OCR_WORKERS=1). Targets: every field right on text PDFs in
under 0.3 s per page; at least 95 % of fields right on scans in under 2 s per page. Prints wall
seconds and CPU seconds (this process plus its Tesseract children) per page: on a shared
machine the CPU figure is the steadier one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # what carbon_portal/celery.py sets in the portal's processes
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingestion.extraction import extract_invoice

SAMPLES = ROOT / "tests" / "ingestion" / "samples"
KINDS = {"text": "text PDF", "cid": "image PDF", "image_pdf": "image PDF", "scan": "scan"}
TARGETS = {"text PDF": (1.0, 0.3), "image PDF": (0.95, 2.0), "scan": (0.95, 2.0)}


def compare(expected: dict, got: dict) -> tuple[int, int, list[str]]:
    right = total = 0
    wrong = []
    for key, value in expected.items():
        if key in ("method", "warnings"):
            continue
        if key == "lines":
            for index, line in enumerate(value):
                other = got["lines"][index] if index < len(got["lines"]) else {}
                for field, want in line.items():
                    total += 1
                    right += other.get(field) == want
                    if other.get(field) != want:
                        wrong.append(f"lines[{index}].{field}: got {other.get(field)!r}, want {want!r}")
        else:
            total += 1
            right += got.get(key) == value
            if got.get(key) != value:
                wrong.append(f"{key}: got {got.get(key)!r}, want {value!r}")
    return right, total, wrong


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per sample (timings are averaged)")
    parser.add_argument("--verbose", action="store_true", help="list the wrong fields")
    args = parser.parse_args()
    manifest = json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))
    extract_invoice(SAMPLES / manifest[0]["file"], ocr_workers=1)  # warm up imports
    stats: dict[str, dict] = {}
    print(f"{'sample':36} {'kind':10} {'fields':>9} {'wall s':>7} {'cpu s':>7}  method conf")
    for entry in manifest:
        kind = KINDS[entry["kind"]]
        path = SAMPLES / entry["file"]
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        wall = cpu_used = 0.0
        for _ in range(args.repeat):
            start_wall, start_cpu = time.perf_counter(), cpu()
            result = extract_invoice(path, ocr_workers=1)
            wall += time.perf_counter() - start_wall
            cpu_used += cpu() - start_cpu
        got = result.as_dict()
        right, total, wrong = compare(expected, got)
        pages = result.pages * args.repeat
        item = stats.setdefault(kind, {"right": 0, "total": 0, "wall": 0.0, "cpu": 0.0, "pages": 0, "files": 0})
        item["right"] += right
        item["total"] += total
        item["wall"] += wall
        item["cpu"] += cpu_used
        item["pages"] += pages
        item["files"] += 1
        print(f"{entry['file']:36} {kind:10} {right:>4}/{total:<4} {wall / pages:7.2f} {cpu_used / pages:7.2f}  "
              f"{got['method']:6} {got['confidence']:.2f}")
        if args.verbose:
            for line in wrong:
                print(f"    {line}")
    print()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores"
          + ("  (busy machine: wall times are inflated, the CPU column is what one idle core would take)"
             if load > (os.cpu_count() or 1) * 0.75 else ""))
    print(f"{'kind':10} {'files':>5} {'field accuracy':>15} {'wall s/page':>12} {'cpu s/page':>11}  target")
    for kind in ("text PDF", "image PDF", "scan"):
        item = stats.get(kind)
        if not item:
            continue
        accuracy = item["right"] / item["total"]
        per_page = item["wall"] / item["pages"]
        cpu_page = item["cpu"] / item["pages"]
        want_accuracy, want_seconds = TARGETS[kind]
        met = "met" if accuracy >= want_accuracy and per_page < want_seconds else (
            "met on CPU time only" if accuracy >= want_accuracy and cpu_page < want_seconds else "MISSED")
        print(f"{kind:10} {item['files']:>5} {accuracy:>14.1%} {per_page:>12.2f} {cpu_page:>11.2f}  "
              f"{met} (>= {want_accuracy:.0%}, < {want_seconds} s)")


if __name__ == "__main__":
    main()
