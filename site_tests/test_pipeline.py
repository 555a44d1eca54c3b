"""The build's worker (plansite.worker): it validates, plans and renders the pages in a forked process and
then writes the open data and the search index, giving what the build process itself would."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, make_project
from plansite.site import generate
from plansite.validate import validate_project
from plansite.worker import DataErrors, SiteWorker


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return make_project(tmp_path_factory.mktemp("pipeline"))


def test_worker_plans_renders_and_writes_in_a_forked_process(project: Path, tmp_path: Path) -> None:
    built, report = generate(project, render=True)
    assert built is not None, report.format()
    worker = SiteWorker(project)
    try:
        plan = worker.prepare()
        assert worker.proc is not None and worker.built is None  # a forked worker; this process holds no data
        assert plan.pages == [spec.path for spec in built.plan]
        assert plan.edit == {spec.path: spec.edit for spec in built.plan}
        worker.go(tmp_path)
        got = {path: worker.markdown(path) for path in [plan.pages[-1], *plan.pages[:-1]]}  # in any order
        assert got == {p.path: p.markdown for p in built.pages}
        assert worker.markdown(plan.pages[0]) == got[plan.pages[0]]  # a page may be read again
        done = worker.finish()
    finally:
        worker.stop()
    assert worker.proc is None and worker.pages_file is None
    assert done["files"] == len(plan.exports) == len(list((tmp_path / "data").rglob("*.*"))) + 1  # + feed.xml
    assert (tmp_path / "feed.xml").is_file() and (tmp_path / "searchindex" / "meta.json").is_file()
    assert done["records"] > 0 and done["files"] > 0


def test_worker_reports_data_errors(project: Path, tmp_path: Path) -> None:
    broken = make_project(tmp_path)
    doc = sorted((broken / "data" / "documents").glob("*.yml"))[0]
    doc.write_text(doc.read_text(encoding="utf-8").replace("kind:", "kindd:", 1), encoding="utf-8")
    worker = SiteWorker(broken)
    with pytest.raises(DataErrors) as caught:
        worker.prepare()
    assert caught.value.report.errors and worker.proc is None


def test_worker_failure_fails_with_its_message(project: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "site"
    blocked.write_text("not a folder", encoding="utf-8")
    worker = SiteWorker(project)
    try:
        plan = worker.prepare()
        worker.go(blocked)
        for path in plan.pages:
            worker.markdown(path)
        with pytest.raises(RuntimeError, match="Error"):
            worker.finish()
    finally:
        worker.stop()


def test_worker_without_fork_gives_the_same(project: Path, tmp_path: Path, monkeypatch) -> None:
    worker = SiteWorker(project)
    plan = worker.prepare()
    worker.go(tmp_path / "forked")
    pages = {path: worker.markdown(path) for path in plan.pages}
    worker.stop()
    monkeypatch.setenv("PLANSITE_NO_FORK", "1")
    local = SiteWorker(project)
    assert local.prepare().pages == plan.pages and local.proc is None and local.built is not None
    assert {path: local.markdown(path) for path in plan.pages} == pages
    local.go(tmp_path)
    assert local.finish()["files"] == len(plan.exports)


def test_worker_rendering_error_fails_with_its_message(project: Path, tmp_path: Path, monkeypatch) -> None:
    from plansite.render import Renderer

    def broken(self, spec):
        raise ValueError("模板出错")

    monkeypatch.setattr(Renderer, "render", broken)  # the fork inherits it
    worker = SiteWorker(project)
    try:
        plan = worker.prepare()
        worker.go(tmp_path)
        with pytest.raises(RuntimeError, match="模板出错"):
            worker.markdown(plan.pages[0])
    finally:
        worker.stop()
    assert worker.proc is None


def test_validation_keeps_no_document_in_a_reference_cycle() -> None:
    """The validator runs with the cyclic garbage collector paused (it is faster), so anything a reference cycle
    holds stays in memory until the run ends. A document's checker (its full text, source text, fragments) or a
    document file's lines caught in a cycle — a recursive closure does it — grew the 10,000-point build's peak
    memory by about 150 MB. After a run, the collector must find none of them."""
    import gc

    from plansite.validate_document import DocumentChecker

    validate_project(ROOT)  # imports and caches first
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        validate_project(ROOT)
        gc.collect()
        kept = [o for o in gc.garbage if isinstance(o, DocumentChecker) or (isinstance(o, list) and len(o) > 50)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert kept == [], f"{len(kept)} checkers or long lists (a document's lines) were held by reference cycles"
