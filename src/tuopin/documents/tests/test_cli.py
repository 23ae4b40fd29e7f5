"""``tuopin documents extract`` and ``render``."""

import json

import pytest
from django.core.management import CommandError, call_command

from tuopin.documents.synthetic.fonts import FontMissing, font_files

from .conftest import FIXTURES


def test_extract_json_gives_each_file_its_type_fields_and_confidence(capsys, truth):
    files = [FIXTURES / t["file"] for t in truth[:2]]
    call_command("documents", "extract", *map(str, files), "--json")
    results = json.loads(capsys.readouterr().out)
    assert [r["file"] for r in results] == [str(f) for f in files]
    for result, t in zip(results, truth[:2], strict=True):
        assert {"file", "doc_type", "fields", "confidence"} <= set(result)
        assert result["doc_type"] == t["doc_type"]
        assert set(result["confidence"]) == set(result["fields"])
        assert result["fields"]["patient_name"] == t["fields"]["patient_name"]


def test_one_bad_file_fails_alone_and_the_exit_code_says_so(capsys, tmp_path, truth):
    bad = tmp_path / "notes.txt"
    bad.write_text("not a photo", encoding="utf-8")
    good = FIXTURES / truth[0]["file"]
    with pytest.raises(CommandError) as failed:
        call_command("documents", "extract", str(bad), str(good), "--json")
    assert failed.value.returncode == 1
    results = json.loads(capsys.readouterr().out)
    assert results[0] == {
        "file": str(bad),
        "error": {"code": "image_unknown", "message": results[0]["error"]["message"]},
    }
    assert results[1]["doc_type"] == truth[0]["doc_type"]


def test_extract_without_json_prints_a_readable_table(capsys, truth):
    t = next(t for t in truth if t["doc_type"] == "id_card")
    call_command("documents", "extract", str(FIXTURES / t["file"]))
    out = capsys.readouterr().out
    assert "居民身份证" in out
    assert t["fields"]["id_number"] in out


def test_render_writes_photos_and_their_truth(tmp_path, capsys):
    try:
        font_files()
    except FontMissing:
        pytest.skip("no CJK font on this machine")
    call_command("documents", "render", str(tmp_path), "--count", "2", "--seed", "3")
    truth = json.loads((tmp_path / "truth.json").read_text(encoding="utf-8"))
    assert [t["doc_type"] for t in truth] == ["inpatient_invoice", "inpatient_invoice"]
    assert all((tmp_path / t["file"]).read_bytes()[:2] == b"\xff\xd8" for t in truth)
