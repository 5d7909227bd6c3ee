"""The measures catalogue is data (fiscal_sim/params/measures.yaml), checked when it is read."""

from importlib import resources

import pytest

from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.measures import CATALOGUE, load_catalogue

BUNDLED = resources.files("fiscal_sim.params").joinpath("measures.yaml").read_text("utf-8")


def test_the_module_holds_the_bundled_file():
    assert load_catalogue() == CATALOGUE


def test_a_figure_named_by_a_quantity_is_written_once():
    measure = CATALOGUE["rent_waiver_property_tax_relief"]
    assert measure.quantity("months").maximum == measure.figures["max_months"].value == 3
    state_rent = CATALOGUE["state_rent_waiver"]
    assert state_rent.quantity("months").count == 3
    assert state_rent.quantity("months").within == (1, 6)  # 上半年, MKT.4.2.7(3)


def test_the_shared_2020_figure_is_one_anchor():
    years = {m.figures["year"] for m in CATALOGUE.values() if "year" in m.figures}
    assert years == {CATALOGUE["vat_small_scale"].figures["year"]}
    assert len(years) == 1 and next(iter(years)).value == 2020


def _broken(tmp_path, old: str, new: str):
    assert old in BUNDLED
    path = tmp_path / "measures.yaml"
    path.write_text(BUNDLED.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "        maximum: max_months\n",
            "        maximum: max_month\n",
            r"measures\.rent_waiver_property_tax_relief\.quantities\.months\.maximum: names no "
            r"figure of the measure",
        ),
        (
            "      max_months: {value: 3, unit: months,",
            "      max_months: {value: 3, unit: moons,",
            r"measures\.rent_waiver_property_tax_relief\.figures\.max_months\.unit: unknown unit "
            r"'moons'",
        ),
        (
            "source: assumption (waivers from February 2020)",
            "source: ''",
            r"quantities\.first_month\.default\.source: expected a non-empty text",
        ),
        (
            "    line: tax\n",
            "    line: taxes\n",
            r"measures\.vat_small_scale\.line: unknown budget line 'taxes'",
        ),
        (
            "        label_en: months of rent waived\n",
            "        label_en: months of rent waived\n        maximun: 3\n",
            r"quantities\.months\.maximun: unknown key",
        ),
    ],
)
def test_a_broken_catalogue_names_file_key_and_problem(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ScenarioError, match=message) as error:
        load_catalogue(path)
    assert str(error.value).startswith(str(path))


def test_a_missing_key_names_the_measure_and_line(tmp_path):
    path = _broken(tmp_path, "    clause: EMP.4.2.4\n", "")
    with pytest.raises(
        ScenarioError, match=r"measures\.yaml:\d+: measures\.vat_small_scale: missing 'clause'"
    ):
        load_catalogue(path)
