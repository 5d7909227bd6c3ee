"""A block's counties are stacked by key into one engine call each, with the numbers of each
county run alone (issue #21, "counties with the same horizon are stacked into blocks").

The block mixes the shared synthetic province (one key) with counties that cannot join it:
two with the forbidden gap cover (their own key, stacked together), one with a longer
horizon (alone). Every county's indicators, breaches and risk inputs must be those of the
county projected on its own, exactly, and the engine must be called once per key.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from _province import manifest_rows, shared_province

import fiscal_sim
import fiscal_sim.results
from fiscal_sim.batch.counties import County
from fiscal_sim.batch.synth import synthetic_scenario
from fiscal_sim.batch.work import project_block, project_counties, stack_key

OTHERS = {
    "990901": "policy: {gap_financing: {value: advances, unit: choice, source: assumption}}",
    "990902": (
        "policy: {gap_financing: {value: advances, unit: choice, source: assumption}}\n"
        "revenue: {tax: {value: 20000, unit: wan_yuan, source: assumption}}"
    ),
    "990903": "horizon: {end_year: {value: 2026, unit: year, source: assumption}}",
}


@pytest.fixture(scope="module")
def block(tmp_path_factory):
    """``[(County, Scenario)]``: the province's counties and the three that differ."""
    province = shared_province()
    counties = [
        County(str(province / row["file"]), row["code"], row["name"], row["prefecture"])
        for row in manifest_rows(province)
    ]
    folder = tmp_path_factory.mktemp("others")
    for code, body in OTHERS.items():
        path = folder / f"{code}.yaml"
        text = f"extends: default\nmeta: {{name: county-{code}}}\n{textwrap.dedent(body)}\n"
        path.write_text(text, encoding="utf-8")
        counties.append(County(str(path), code, f"county {code}", "990900"))
    return [(county, fiscal_sim.load_scenario(county.file)) for county in counties]


@pytest.fixture
def engine_calls(monkeypatch):
    """The scenarios each engine call of the batch projected (a stack counts once)."""
    calls = []
    project = fiscal_sim.results.project

    def counted(scenario, *args, **kwargs):
        calls.append(getattr(scenario, "members", (scenario,)))
        return project(scenario, *args, **kwargs)

    monkeypatch.setattr(fiscal_sim.results, "project", counted)
    return calls


def assert_same(mine, alone):
    assert mine.county == alone.county and mine.hash == alone.hash
    np.testing.assert_array_equal(mine.values, alone.values)
    np.testing.assert_array_equal(mine.breached, alone.breached)
    assert mine.risk == alone.risk


def test_stacked_groups_equal_each_county_alone(block, engine_calls):
    counties, scenarios = zip(*block, strict=True)
    keys = {stack_key(scenario) for scenario in scenarios}
    assert len(keys) == 3  # the province, the gap cover pair, the longer horizon
    together = project_counties(counties, scenarios, draws=0, seed=1)
    assert sorted(len(call) for call in engine_calls) == [1, 2, len(block) - 3]
    engine_calls.clear()
    alone = [project_counties([c], [s], draws=0, seed=1)[0] for c, s in block]
    assert len(engine_calls) == len(block)
    for mine, theirs in zip(together, alone, strict=True):
        assert_same(mine, theirs)
    # The two gap-cover counties differ in tax only: their own numbers, not each other's.
    pair = [result for result in together if result.county.code in ("990901", "990902")]
    assert not np.array_equal(pair[0].values, pair[1].values)


def test_a_county_whose_stack_fails_is_named_and_the_others_complete(block, tmp_path):
    zeros = "\n".join(
        f"  {name}: {{value: 0, unit: wan_yuan, source: assumption}}"
        for name in ("tax", "nontax", "rebates", "general_transfers", "earmarked_transfers")
    )
    path = tmp_path / "990999.yaml"
    path.write_text(
        "extends: default\nmeta: {name: broke}\nrevenue:\n"
        + zeros
        + "\nfund:\n  land_sales: {value: 0, unit: wan_yuan, source: assumption}\n"
        "  other_revenue: {value: 0, unit: wan_yuan, source: assumption}\n",
        encoding="utf-8",
    )
    counties = [county for county, _ in block[:4]]
    broke = County(str(path), "990999", "broke", "990900")
    results = project_block([*counties, broke])
    assert [result.ok for result in results] == [True] * 4 + [False]
    assert results[-1].error["file"] == str(path)
    assert "not a finite number" in results[-1].error["message"]
    alone = [project_counties([c], [s], draws=0, seed=1)[0] for c, s in block[:4]]
    for mine, theirs in zip(results[:4], alone, strict=True):
        assert_same(mine, theirs)


def test_a_synthetic_county_in_memory_is_its_file(block):
    county, from_file = block[3]
    in_memory = synthetic_scenario(fiscal_sim.load_scenario(), county.code, seed=1)
    assert in_memory.name == from_file.name == f"synthetic-{county.code}"
    for param in from_file.params():
        assert np.array_equal(in_memory.value(param.path), param.value), param.path
    alone, mine = fiscal_sim.project(from_file), fiscal_sim.project(in_memory)
    assert all(np.array_equal(alone.annual[name], mine.annual[name]) for name in alone.annual)
