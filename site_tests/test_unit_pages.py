"""What a unit's page asks of it from higher-level plans (plansite.render, the flow-down table of a unit that
issues its own plans): only plans of a higher level, only their latest two years, each item with the unit's
own plan that carries it out, so the page does not grow with the years (at 10,000 synthetic work points a
district 合作交流办's table had been 364 kB, the departments' plans counted as its upper plans)."""

from __future__ import annotations

import pytest

from conftest import ROOT
from plansite.model import LEVELS
from plansite.site import generate as build
from tools.synth import generate


def flows(built) -> dict[str, tuple[list, list]]:
    """Unit id → (the plans it issued, its flow-down rows) for every unit page that has the table."""
    return {
        s.values["unit"].id: (s.values["issued"], s.values["flow"])
        for s in built.plan
        if s.template == "unit.md.j2" and s.values["flow"]
    }


@pytest.fixture(scope="module")
def four_years(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth")
    generate(2000, out, years=4)
    built, report = build(out, render=False)
    assert built is not None, report.format()
    return built


def test_the_table_lists_higher_plans_of_two_years_with_the_plan_that_carries_each_out(four_years) -> None:
    found = flows(four_years)
    assert len({d.year for d in four_years.dataset.documents}) >= 4  # more years than the two listed in full
    assert found
    for uid, (issued, flow) in found.items():
        own_level = min(LEVELS.index(d.level) for d in issued)
        own_years = sorted({d.year for d in issued})
        inv = four_years.index.by_unit[uid]
        upper_years = sorted({i.doc.year for i in inv if LEVELS.index(i.doc.level) < own_level}, reverse=True)
        assert {i.doc.year for i, _ in flow} == set(upper_years[:2])
        assert len(flow) == sum(
            1 for i in inv if i.doc.year in upper_years[:2] and LEVELS.index(i.doc.level) < own_level
        )
        for i, matches in flow:
            assert LEVELS.index(i.doc.level) < own_level
            answer = next((y for y in own_years if y >= i.doc.year), None)
            themes = set((i.task or i.point).themes)
            assert matches == [(d, p) for d in issued if d.year == answer for p in d.points if themes & set(p.themes)]


def test_a_district_issuer_has_no_upper_plan_in_its_departments_plans(four_years) -> None:
    ds = four_years.dataset
    district_issuers = {d.issuer for d in ds.documents if d.level == "district"}
    involved = {
        u for u in district_issuers if any(i.doc.level == "department" for i in four_years.index.by_unit.get(u, []))
    }
    assert involved  # the 合作交流办 is named in its district's departments' plans
    assert not involved & set(flows(four_years))  # but those plans are not above it (no city plan in the data)


def test_the_real_department_plan_answers_the_district_plan() -> None:
    built, report = build(ROOT, render=False)
    assert built is not None, report.format()
    issued, flow = flows(built)["minhang-nongyenongcunwei"]
    assert [d.id for d in issued] == ["minhang-nongyenongcunwei-2023-gongzuojihua"]
    assert {i.doc.id for i, _ in flow} == {"minhang-2022-gongzuoyaodian"}
    assert len(flow) == len(built.index.by_unit["minhang-nongyenongcunwei"])
    assert all(d.id == issued[0].id for _, matches in flow for d, _ in matches)
    assert any(matches for _, matches in flow)
