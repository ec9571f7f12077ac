"""Make scanned reports whose truth is known: real PDFs printed, then "scanned" with a scanner's faults.

    python tests/data/scans/make_scans.py OUT_DIR SOURCE… [--dpi 150 200 300] [--seed 7] [--pages 3-4]

A SOURCE is a report draft (.nbdraft: exported to PDF by the program itself and, through its .docx, by
LibreOffice), a saved web page (.html: the article printed to PDF by LibreOffice, with the page's title
as its heading) or a PDF with a text layer. Each page is rendered with ``pdftoppm`` at each resolution,
then turned by 0.5–2°, blurred, given a grey uneven paper, speckled, stamped with a red seal across
part of the print and saved as JPEG; the pages are assembled into an image-only PDF with ``img2pdf``.

Beside each ``<name>-<dpi>.pdf`` a ``<name>-<dpi>.json`` holds the truth from the source's text layer:
every figure printed alone in a table cell (a text line that is only a number) with its box in points,
the title line, and the organ and year. Needs poppler-utils, img2pdf and LibreOffice, and numpy and
Pillow (installed with the OCR component).
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[3]
FIGURE = re.compile(r"^\d+(?:\.\d+)?$")
SEAL_FONT = "Noto Serif CJK SC:bold"


# -- sources to PDFs ------------------------------------------------------------------------------


def _soffice_pdf(source: Path, out_dir: Path) -> Path:
    # a web page opens as a Writer document (Writer/Web would print its first page blank)
    infilter = ["--infilter=HTML (StarWriter)"] if source.suffix == ".html" else []
    # an own profile: another LibreOffice already running would otherwise take the job and fail it
    profile = f"-env:UserInstallation=file://{out_dir / 'lo-profile'}"
    subprocess.run(["soffice", profile, "--headless", *infilter, "--convert-to", "pdf", "--outdir", str(out_dir),
                    str(source)],
                   check=True, capture_output=True, timeout=300)
    return out_dir / (source.stem + ".pdf")


def _article(page: str) -> str:
    """The report inside a saved government web page: the title, then the TRS_Editor article."""
    title = re.search(r"<title>(.*?)</title>", page, re.S)
    heading = html.unescape(title.group(1)).split("_")[0].strip() if title else ""
    found = re.search(r"class=[\"']?TRS_Editor", page)
    start = found.start() if found else -1
    if start < 0:
        body = page
    else:
        start = page.rfind("<div", 0, start)
        depth, i = 0, start
        for m in re.finditer(r"<(/?)div\b", page[start:]):
            depth += -1 if m.group(1) else 1
            if depth == 0:
                i = start + m.end()
                break
        body = page[start:page.find(">", i) + 1]
    return (f'<html><head><meta charset="utf-8"><title>{heading}</title></head><body>'
            f'<p align="center"><font size="5"><b>{heading}</b></font></p>{body}</body></html>')


def source_pdfs(source: Path, work: Path) -> list[tuple[str, Path, dict]]:
    """(name, PDF, what the title must give) for one source."""
    if source.suffix == ".nbdraft":
        import os

        sys.path.insert(0, str(ROOT))
        from core import draft

        report = draft.load(source)
        truth = {"organ": report.meta.organ, "year": report.meta.year}
        stem = re.sub(r"\W+", "_", f"{report.meta.organ}{report.meta.year}")[:40]
        ours, docx = work / f"{stem}-print.pdf", work / f"{stem}-word.docx"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        subprocess.run([sys.executable, "-m", "core", "export", str(source), "--pdf", str(ours), "--docx", str(docx),
                        "--draft"], check=True, capture_output=True, cwd=ROOT, env=env)
        return [(f"{stem}-print", ours, truth), (f"{stem}-word", _soffice_pdf(docx, work), truth)]
    if source.suffix in (".html", ".htm"):
        page = source.read_text(encoding="utf-8", errors="replace")
        article = work / f"{source.stem}.html"
        article.write_text(_article(page), encoding="utf-8")
        truth = {}
        truth_file = source.parent / "truth.json"
        if truth_file.exists():
            entry = next((e for e in json.loads(truth_file.read_text(encoding="utf-8")) if e["file"] == source.name), None)
            if entry:
                truth = {"organ": entry["organ"], "year": entry["year"]}
        return [(source.stem, _soffice_pdf(article, work), truth)]
    return [(source.stem, source, {})]


# -- truth from the text layer --------------------------------------------------------------------


def text_layer(pdf: Path) -> list[dict]:
    """Each page's lines from ``pdftotext -bbox-layout``: text and box in points."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(out.decode("utf-8"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines = []
        for line in page.iter("{http://www.w3.org/1999/xhtml}line"):
            words = [w.text or "" for w in line.findall("h:word", ns)]
            box = [float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            lines.append({"text": "".join(words), "box": [round(v, 2) for v in box]})
        pages.append({"width": float(page.get("width")), "height": float(page.get("height")), "lines": lines})
    return pages


def truth_of(pdf: Path, known: dict) -> dict:
    pages = text_layer(pdf)
    printed = [p for p in pages if p["lines"]]
    title = ""
    for line in printed[0]["lines"] if printed else []:  # a title may run over two lines
        title += line["text"]
        if "报告" in line["text"]:
            break
    else:
        title = ""
    return {
        **known,
        "title": title,
        "pages": [{"number": i, "lines": len(p["lines"]),
                   "figures": [[*ln["box"], ln["text"]] for ln in p["lines"] if FIGURE.match(ln["text"].strip())]}
                  for i, p in enumerate(pages, 1)],
    }


# -- the scanner ----------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont:
    path = subprocess.run(["fc-match", "-f", "%{file}", SEAL_FONT], capture_output=True, text=True).stdout.strip()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default()


def seal(dpi: float, organ: str) -> Image.Image:
    """A round red seal: ring, star and the organ's name around it, as an RGBA image."""
    r = int(dpi * 0.8)
    im = Image.new("RGBA", (2 * r, 2 * r), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    red = (210, 30, 40, 200)
    d.ellipse([2, 2, 2 * r - 3, 2 * r - 3], outline=red, width=max(3, int(dpi * 0.035)))
    star = [(r + 0.3 * r * math.cos(math.radians(90 + k * 144)), r - 0.3 * r * math.sin(math.radians(90 + k * 144)))
            for k in range(5)]
    d.polygon(star, fill=red)
    name = (organ or "某某县人民政府办公室")[:14]
    font = _font(int(r * 0.26))
    for k, ch in enumerate(name):
        angle = math.radians(210 - k * 240 / max(len(name) - 1, 1))
        cx, cy = r + 0.72 * r * math.cos(angle), r - 0.72 * r * math.sin(angle)
        glyph = Image.new("RGBA", (int(r * 0.34),) * 2, (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((0, 0), ch, font=font, fill=red)
        glyph = glyph.rotate(math.degrees(angle) - 90, resample=Image.BICUBIC)
        im.alpha_composite(glyph, (int(cx - glyph.width / 2), int(cy - glyph.height / 2)))
    return im


def scan_page(png: Path, dpi: float, rng: np.random.Generator, organ: str, anchor: tuple[float, float] | None) -> tuple[Image.Image, float]:
    """One printed page as a scanner gives it; returns the image and the angle it was turned by."""
    page = Image.open(png).convert("RGB")
    if anchor is not None:  # the seal is pressed over print, as on the last page of a real report
        stamp = seal(dpi, organ)
        x, y = int(anchor[0] * dpi / 72 - stamp.width / 2), int(anchor[1] * dpi / 72 - stamp.height / 2)
        layer = Image.new("RGBA", page.size, (255, 255, 255, 0))
        layer.alpha_composite(stamp, (max(0, x), max(0, y)))
        # ink on ink: the seal darkens what is under it, it does not hide it (multiply)
        tint = np.asarray(layer.convert("RGB"), dtype=np.float32) / 255
        alpha = np.asarray(layer.getchannel("A"), dtype=np.float32)[..., None] / 255
        base = np.asarray(page, dtype=np.float32)
        page = Image.fromarray(np.clip(base * (1 - alpha + alpha * tint), 0, 255).astype(np.uint8))
    angle = float(rng.uniform(0.5, 2.0) * rng.choice([-1, 1]))
    page = page.rotate(angle, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    page = page.filter(ImageFilter.GaussianBlur(radius=float(rng.uniform(0.5, 0.9)) * dpi / 150))
    a = np.asarray(page, dtype=np.float32)
    h, w = a.shape[:2]
    paper = rng.uniform(205, 235) + 10 * np.linspace(-1, 1, w)[None, :] * rng.uniform(-1, 1)
    a = a * (paper[..., None] / 255) + rng.normal(0, 5, a.shape)
    for _ in range(int(40 * (dpi / 150) ** 2)):  # dust
        y, x = rng.integers(0, h - 3), rng.integers(0, w - 3)
        a[y:y + 2, x:x + 2] = rng.uniform(40, 120)
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)), angle


def make_scan(name: str, pdf: Path, known: dict, dpi: int, out_dir: Path, rng: np.random.Generator,
              pages: tuple[int, int] | None) -> Path:
    truth = truth_of(pdf, known)
    with tempfile.TemporaryDirectory() as tmp:
        args = ["pdftoppm", "-r", str(dpi), "-png"]
        if pages:
            args += ["-f", str(pages[0]), "-l", str(pages[1])]
        subprocess.run(args + [str(pdf), f"{tmp}/p"], check=True)
        jpegs = []
        kept = []
        for png in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1])):
            number = int(png.stem.split("-")[1])
            page_truth = truth["pages"][number - 1]
            if not page_truth["lines"]:
                continue  # a blank page the converter left: a scanner operator skips it too
            figures = page_truth["figures"]
            # the seal lands on a figure of the page when there is one, else on the page's middle
            anchor = tuple(figures[int(rng.integers(len(figures)))][:2]) if figures else (300.0, 420.0)
            image, angle = scan_page(png, dpi, rng, known.get("organ", ""), anchor)
            jpeg = Path(tmp) / f"s-{number:03d}.jpg"
            image.save(jpeg, quality=int(rng.integers(60, 80)), dpi=(dpi, dpi))
            jpegs.append(str(jpeg))
            kept.append({**page_truth, "number": len(kept) + 1, "source_page": number, "angle": round(angle, 3), "seal": [round(v, 1) for v in anchor]})
        target = out_dir / f"{name}-{dpi}.pdf"
        subprocess.run(["img2pdf", "-o", str(target), *jpegs], check=True)
    truth["pages"] = kept
    truth["dpi"] = dpi
    target.with_suffix(".json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("sources", type=Path, nargs="+")
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 200, 300])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pages", help="FIRST-LAST of each source, e.g. 3-4")
    args = parser.parse_args(argv)
    for tool in ("pdftoppm", "pdftotext", "img2pdf", "soffice"):
        if shutil.which(tool) is None:
            sys.exit(f"需要 {tool}（poppler-utils / img2pdf / LibreOffice）")
    pages = tuple(int(v) for v in args.pages.split("-")) if args.pages else None
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        for source in args.sources:
            for name, pdf, known in source_pdfs(source.resolve(), Path(tmp)):
                for dpi in args.dpi:
                    print(make_scan(name, pdf, known, dpi, args.out, rng, pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
