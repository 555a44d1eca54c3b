"""The build's workers: pages rendered in a forked process (plansite.pagestream) and the open data and
search index made beside MkDocs (plansite.background) give what the build process itself would."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_project

from plansite.background import Background
from plansite.pagestream import PageStream
from plansite.site import generate


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    built, report = generate(make_project(tmp_path_factory.mktemp("pipeline")), render=True)
    assert built is not None, report.format()
    return built


def test_page_stream_renders_the_same_pages_in_a_worker(built) -> None:
    stream = PageStream(built.renderer, built.plan)
    stream.start()
    try:
        assert stream.proc is not None and stream.folder is not None  # a forked worker, not this process
        paths = [spec.path for spec in built.plan]
        got = {path: stream.get(path) for path in [paths[-1], *paths[:-1]]}  # in any order
    finally:
        stream.stop()
    assert stream.proc is None and stream.folder is None
    assert got == {p.path: p.markdown for p in built.pages}


def test_page_stream_reports_a_rendering_error(built) -> None:
    class Broken:
        def render(self, spec):
            raise ValueError("模板出错")

    stream = PageStream(Broken(), built.plan)
    stream.start()
    try:
        with pytest.raises(RuntimeError, match="模板出错"):
            stream.get(built.plan[0].path)
    finally:
        stream.stop()


def test_background_writes_open_data_and_search_index(built, tmp_path: Path) -> None:
    worker = Background(built, tmp_path, "")
    worker.start()
    assert worker.proc is not None
    done = worker.wait()
    assert done["files"] == len(list((tmp_path / "data").rglob("*.*"))) + 1  # + feed.xml
    assert (tmp_path / "feed.xml").is_file() and (tmp_path / "pagefind" / "pagefind-entry.json").is_file()
    assert done["records"] > 0


def test_background_failure_fails_with_its_message(built, tmp_path: Path) -> None:
    blocked = tmp_path / "site"
    blocked.write_text("not a folder", encoding="utf-8")
    worker = Background(built, blocked, "")
    worker.start()
    with pytest.raises(RuntimeError, match="生成开放数据和搜索索引时出错"):
        worker.wait()
