"""The parameter schema is data (fiscal_sim/params/schema.yaml), checked when it is read."""

from importlib import resources

import pytest

from fiscal_sim.errors import ScenarioError
from fiscal_sim.params.schema import PROGRAMME_FIELDS, SPECS, load_schema, spec_for

BUNDLED = resources.files("fiscal_sim.params").joinpath("schema.yaml").read_text("utf-8")


def test_the_module_holds_the_bundled_file():
    tables, specs = load_schema()
    assert specs == SPECS and tables["programmes"] == PROGRAMME_FIELDS


def test_defaults_and_bounds_read_as_written():
    ratio = spec_for("rules.debt_ratio_warning")
    assert (ratio.unit, ratio.kind, ratio.minimum, ratio.maximum) == ("fraction", "scalar", 0, 10)
    assert ratio.upper == 10.0
    growth = spec_for("pay.growth")  # a rate: may fall, at most 100 % a year
    assert (growth.minimum, growth.maximum) == (-1.0, 1.0)
    base = spec_for("horizon.base_year")
    assert base.integer and base.minimum == 2000 and base.upper == 2100  # the unit's maximum
    assert spec_for("livelihood.programmes").fields is PROGRAMME_FIELDS
    share = spec_for("livelihood.programmes.dibao.county_share")
    assert (share.unit, share.label_en, share.maximum) == ("fraction", "county share", 1.0)


def _broken(tmp_path, old: str, new: str):
    assert old in BUNDLED
    path = tmp_path / "schema.yaml"
    path.write_text(BUNDLED.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "    label_en: debt ratio warning line\n    maximum: 10.0\n",
            "    label_en: debt ratio warning line\n    maximum: ten\n",
            r"parameters\.rules\.debt_ratio_warning\.maximum: expected a number or null",
        ),
        (
            "  horizon.end_year:\n    unit: year\n",
            "  horizon.end_year:\n    unit: yr\n",
            r"parameters\.horizon\.end_year\.unit: unknown unit 'yr'",
        ),
        (
            "  horizon.end_year:\n    unit: year\n    kind: scalar\n",
            "  horizon.end_year:\n    unit: year\n    kind: scaler\n",
            r"parameters\.horizon\.end_year\.kind: unknown kind 'scaler'",
        ),
        (
            "    fields: programmes\n",
            "    fields: programs\n",
            r"parameters\.livelihood\.programmes\.fields: names no table",
        ),
        (
            "    label_en: debt ratio warning line\n",
            "    label_en: debt ratio warning line\n    maximun: 10.0\n",
            r"parameters\.rules\.debt_ratio_warning\.maximun: unknown key",
        ),
        (
            "  horizon.end_year:\n",
            "  horizon.base_year: {unit: year, kind: scalar, label_zh: 基年, label_en: again}\n"
            "  horizon.end_year:\n",
            r"duplicate key",
        ),
    ],
)
def test_a_broken_schema_names_file_key_and_problem(tmp_path, old, new, message):
    path = _broken(tmp_path, old, new)
    with pytest.raises(ScenarioError, match=message) as error:
        load_schema(path)
    assert str(error.value).startswith(f"{path}:")  # with the line
