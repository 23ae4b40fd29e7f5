"""``tuopin documents extract|render``: read claim photos from the shell; make synthetic ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tuopin.core.management import dump_json, progress_bar
from tuopin.documents.errors import BadImage
from tuopin.documents.types import FIELDS, DocType

TYPE_NAMES = {
    DocType.INPATIENT_INVOICE: "住院收费票据",
    DocType.OUTPATIENT_INVOICE: "门诊收费票据",
    DocType.DISCHARGE_SUMMARY: "出院记录",
    DocType.ID_CARD: "居民身份证",
    DocType.OTHER: "其他",
}


def extract_one(path: Path) -> dict[str, Any]:
    """One file's result as ``extract --json`` prints it (an ``error`` instead for a bad file)."""
    from tuopin.documents.recognition import recognise

    try:
        result = recognise(path)
    except BadImage as exc:
        return {"file": str(path), "error": {"code": exc.code, "message": exc.message}}
    return {
        "file": str(path),
        "doc_type": str(result.doc_type),
        "fields": result.values(),
        "confidence": result.confidences(),
        "amount_in_words": result.amount_in_words,
    }


class Command(BaseCommand):
    help = (
        "单据识别：extract 识别照片中的单据类型与关键字段（住院/门诊收费票据、出院记录、身份证），"
        "--json 逐个文件输出 {file, doc_type, fields, confidence}，有文件失败时退出码非零；"
        "render 生成带标注（truth.json）的合成单据照片。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        extract = sub.add_parser(
            "extract",
            help="Recognise claim photos: document type and key fields with confidence",
        )
        extract.add_argument("images", nargs="+", type=Path, help="Image files (JPEG, PNG, ...)")
        extract.add_argument(
            "--json",
            action="store_true",
            help='Print a JSON list, one {"file", "doc_type", "fields", "confidence"} per file',
        )
        render = sub.add_parser(
            "render", help="Render synthetic claim documents and their truth.json"
        )
        render.add_argument("outdir", type=Path, help="Directory for the JPEGs and truth.json")
        render.add_argument("--count", type=int, default=36, help="How many (default 36)")
        render.add_argument("--seed", type=int, default=0, help="Seed (same seed, same files)")

    def handle(self, *args: Any, **opts: Any) -> None:
        getattr(self, f"_{opts['action']}")(opts)

    def _extract(self, opts: dict[str, Any]) -> None:
        paths: list[Path] = opts["images"]
        results = []
        bar = progress_bar(len(paths), "识别", enabled=len(paths) > 1)
        bar.unit = "张"
        try:
            for path in paths:
                results.append(extract_one(path))
                bar.update(1)
        finally:
            bar.close()
        if opts["json"]:
            self.stdout.write(dump_json(results))
        else:
            for result in results:
                self.stdout.write(self._table(result))
        failed = [r["file"] for r in results if "error" in r]
        if failed:
            raise CommandError(f"{len(failed)} 个文件无法识别：{', '.join(failed)}", returncode=1)

    @staticmethod
    def _table(result: dict[str, Any]) -> str:
        if "error" in result:
            return (
                f"{result['file']}: 错误 {result['error']['code']}：{result['error']['message']}\n"
            )
        doc_type = DocType(result["doc_type"])
        lines = [f"{result['file']}: {TYPE_NAMES[doc_type]} ({doc_type})"]
        for name in FIELDS[doc_type]:
            value = result["fields"].get(name, "—")
            confidence = result["confidence"].get(name)
            shown = f"{confidence:.2f}" if confidence is not None else ""
            lines.append(f"  {name:<16} {value:<24} {shown}")
        if result.get("amount_in_words"):
            lines.append(f"  {'amount_in_words':<16} {result['amount_in_words']}")
        return "\n".join(lines) + "\n"

    def _render(self, opts: dict[str, Any]) -> None:
        from tuopin.documents.synthetic import render_set, truth

        outdir: Path = opts["outdir"]
        outdir.mkdir(parents=True, exist_ok=True)
        if opts["count"] < 1:
            raise CommandError("--count 应为正整数", returncode=2)
        records = []
        bar = progress_bar(opts["count"], "生成", enabled=True)
        bar.unit = "张"
        for i, rendered in enumerate(render_set(opts["count"], seed=opts["seed"])):
            name = f"{i:03d}-{rendered.doc_type}.jpg"
            (outdir / name).write_bytes(rendered.jpeg)
            records.append(truth(name, rendered))
            bar.update(1)
        bar.close()
        (outdir / "truth.json").write_text(
            json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(f"{len(records)} 张合成单据已写入 {outdir}")
