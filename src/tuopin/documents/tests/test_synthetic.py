"""The synthetic document generator (the demo and the claims tests draw their photos with it)."""

import io

import pytest
from PIL import Image

from tuopin.documents.synthetic import render, render_document
from tuopin.documents.synthetic.fonts import FontMissing, font_files
from tuopin.documents.synthetic.values import fill_values
from tuopin.documents.types import FIELDS, DocType


def _fen(yuan: str) -> int:
    whole, cents = yuan.split(".")
    return int(whole) * 100 + int(cents)


def test_values_given_are_kept_and_the_rest_are_made_up_consistently():
    values = fill_values(
        DocType.INPATIENT_INVOICE, {"patient_name": "张三", "total_amount": "1000.00"}, seed=4
    )
    assert values["patient_name"] == "张三"
    assert set(FIELDS[DocType.INPATIENT_INVOICE]) <= set(values)
    assert _fen(values["insurance_paid"]) + _fen(values["self_paid"]) == 100_000
    assert values["amount_in_words"] == "壹仟元整"
    assert fill_values(DocType.INPATIENT_INVOICE, {}, seed=4) == fill_values(
        DocType.INPATIENT_INVOICE, {}, seed=4
    )


def test_an_id_card_given_a_number_shows_its_birth_date_and_sex():
    values = fill_values(DocType.ID_CARD, {"id_number": "11010519491231002X"})
    assert values["birth_date"] == "1949-12-31"
    assert values["sex"] == "女"


def test_unknown_field_names_are_refused():
    with pytest.raises(ValueError, match="unknown fields"):
        fill_values(DocType.OUTPATIENT_INVOICE, {"diagnosis": "感冒"})


@pytest.mark.parametrize("doc_type", list(DocType))
def test_every_type_renders_to_a_jpeg(doc_type):
    try:
        font_files()
    except FontMissing:
        pytest.skip("no CJK font on this machine")
    data = render_document(doc_type, {}, seed=1, degrade=doc_type is DocType.ID_CARD)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert min(image.size) > 500
    assert render(doc_type, seed=1).jpeg == render(doc_type, seed=1).jpeg
