"""`intake bench memory`: a long PDF purchase order through the pipeline, peak memory kept.

The PDF (reportlab) is `pages` pages of line-item table. It goes through store_inbound and
GraphRunner.process in this process on a throwaway SQLite database; the parse runs in its
forked child, which reports its own peak RSS. Target: each under 400 MB.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from typing import Any

from app.bench.report import peak_rss_mb, print_table

ROWS_PER_PAGE = 40


def long_po_pdf(pages: int) -> bytes:
    """A purchase order of `pages` pages, each a table of ROWS_PER_PAGE demo line items."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from app.bench.orders import _rows

    products = _rows("products.csv")
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    line = 0
    for page in range(pages):
        y = 800
        pdf.setFont("Helvetica-Bold", 10)
        pdf.drawString(40, y, f"PURCHASE ORDER PO-LONG-0001    page {page + 1} of {pages}")
        y -= 24
        pdf.drawString(40, y, "Line   Item          Description                          Qty   UOM")
        pdf.setFont("Helvetica", 9)
        for _ in range(ROWS_PER_PAGE):
            product = products[line % len(products)]
            line += 1
            y -= 18
            for x, value in (
                (40, str(line)),
                (80, product["sku"]),
                (170, product["description"][:40]),
                (430, str(line % 9 + 1)),
                (470, product["base_uom"]),
            ):
                pdf.drawString(x, y, value)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def run(*, pages: int) -> dict[str, Any]:
    from app.bench.setup import bench_settings, demo_context
    from app.core.db import session_scope
    from app.documents.isolation import peak_child_rss_mb
    from app.ingest_cli import compose_loose_message
    from app.intake.service import store_inbound
    from app.intake.tables import MessageSource
    from app.pipeline import GraphRunner

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        pdf_path = Path(tmp) / "po-long.pdf"
        pdf_path.write_bytes(long_po_pdf(pages))
        raw = compose_loose_message([pdf_path])
        settings = bench_settings(
            f"sqlite:///{Path(tmp) / 'bench.db'}",
            Path(tmp),
            pdf_max_pages=max(pages, 200),
            parse_timeout_s=600.0,
            parse_cpu_s=600,
        )
        ctx, _ = demo_context(settings)
        start = time.perf_counter()
        with session_scope(ctx.engine) as session:
            message, _ = store_inbound(session, raw=raw, source=MessageSource.CLI)
        state = GraphRunner.for_context(ctx).process(message.id)
        seconds = time.perf_counter() - start
        ctx.engine.dispose()
    lines = len(state.extracted.lines) if state.extracted else 0
    rss = peak_rss_mb()
    problems = state.parsed.problems if state.parsed else []
    return {
        "pages": pages,
        "pdf_kb": round(len(raw) / 1024, 1),
        "seconds": round(seconds, 2),
        "lines_extracted": lines,
        "parse_problems": problems,
        "worker_peak_mb": rss["self_mb"],
        "parse_child_peak_mb": round(peak_child_rss_mb(), 1),
        "under_400_mb": max(rss["self_mb"], peak_child_rss_mb()) < 400,
    }


def show(result: dict[str, Any]) -> None:
    print_table(
        f"a {result['pages']}-page PDF order",
        [[k, v] for k, v in result.items() if k != "pages"],
        ["figure", "value"],
    )
