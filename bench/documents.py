"""Seconds per certificate PDF (WeasyPrint, CJK fonts, QR code) and per DOCX inventory report.

    .venv/bin/python bench/documents.py [--repeat 10]

Targets: 0.5 s per certificate, 1 s per report, on the reference machine (2 cores). Renders
in this process (what one `documents` worker does per task), after one warm-up render each.
"""

import argparse
import os
import statistics
import time

from _certified import certified_demo, setup_django


def timed(function, repeat: int) -> list[float]:
    function()  # warm-up: fonts, templates, imports
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    setup_django()
    labels = certified_demo()
    from certificates.documents.certificate import render_certificate
    from certificates.documents.report import build_report
    from certificates.documents.statement import render_statement
    from certificates.models import Label

    label = Label.objects.select_related("signing_key").get(pk=labels[0].pk)
    inventory = label.inventory
    results = {
        "certificate_pdf": timed(lambda: render_certificate(label), args.repeat),
        "inventory_report_docx": timed(lambda: build_report(inventory), args.repeat),
        "verification_statement_pdf": timed(lambda: render_statement(inventory), args.repeat),
    }
    targets = {"certificate_pdf": 0.5, "inventory_report_docx": 1.0, "verification_statement_pdf": None}
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (other processes share the CPUs)")
    for name, samples in results.items():
        median = statistics.median(samples)
        target = targets[name]
        verdict = "" if target is None else (f" (target {target} s: {'met' if median <= target else 'MISSED'})")
        print(f"{name}: {median:.3f} s per document (median of {len(samples)}; min {min(samples):.3f}, "
              f"max {max(samples):.3f}){verdict}")


if __name__ == "__main__":
    main()
