"""Mutation fuzzing over the real data: what an edit can do to the checks, the pages and the open data.

Every mutant is the repository's data with one edit an editor could make (or a hostile one): a value replaced,
a line deleted, duplicated, moved or re-indented, a list item dropped, a full text changed, a file renamed,
linked or removed, a redirect added, plus a fixed corpus with one mutant for each class of issue 20. For each,
deterministically (the seed and the mutant's number):

1. validation ends without a traceback, a crash signal, or running past a bound (each worker is a process of
   its own; ``HANG_SECONDS`` without progress is a hang);
2. every error has a known code, a Chinese message and hint without PyYAML's English, and a position inside the
   file it names; a value no field accepts is reported on its own line, and an edit that contradicts the
   original (a unit left out, a target's number changed, a full-text line doubled) is rejected;
3. when validation passes, every document, point, item, annex, task and unit of the YAML (read with plain
   PyYAML, not the validator's loader) is on the rendered site (its page or anchor), and plans.json (parsed as
   strict JSON) says what the YAML says;
4. pages, open data and redirects are written into a site folder inside an empty sandbox and nothing lands
   outside it, and no link of a page or of the open data leaves the site.

Accepted mutants are rendered through the library (pages, exports, redirect stubs); ``--builds N`` also runs a
real ``mkdocs build --strict`` for the first N accepted mutants that change a document (and the legitimate
redirect), checking its HTML the same way and with test_html.scan_page.

    python site_tests/fuzz.py                         # the CI size: seed 20, 400 mutants, 2 workers, 2 builds
    python site_tests/fuzz.py --mutants 5000          # a larger run
    python site_tests/fuzz.py --only 137 --keep /tmp/m137   # one mutant; its project is kept for a look
"""

from __future__ import annotations

import argparse
import json
import os
import posixpath
import queue
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "hooks"), str(HERE)]

import yaml  # noqa: E402

SEED, MUTANTS, JOBS, BUILDS = 20, 400, 2, 2
HANG_SECONDS = 120  # one mutant (validation, rendering, checks) without progress for this long is a hang
PROJECT_PARTS = ("data", "templates", "content", "overrides", "hooks", "mkdocs.yml")

# ---- mutants ------------------------------------------------------------------------------------------------------

SYMLINK, MKDIR, DELETE, FIFO = "symlink", "mkdir", "delete", "fifo"


@dataclass
class Mutant:
    """One edit of the data: files to write (bytes), delete, make into folders or links; what must happen."""

    index: int
    op: str
    what: str
    edits: dict[str, object] = field(default_factory=dict)  # path → bytes | DELETE | MKDIR | FIFO | (SYMLINK, to)
    expect: str = "any"  # any | reject | accept | local (rejected with an error at file:line)
    file: str = ""
    line: int = 0
    secret: str = ""  # text that must appear in no message (a linked file's content)


@dataclass(frozen=True)
class Scalar:
    """A value of a YAML data file: where it is in the text and what it is for."""

    start: int
    end: int
    line: int
    key: str
    flow: bool
    value: str


def scalars(text: str) -> list[Scalar]:
    """Every mapping value and list item that is a scalar, with its key (a list item: its list's key)."""
    out: list[Scalar] = []

    def walk(node, key: str, flow: bool) -> None:
        if isinstance(node, yaml.ScalarNode):
            out.append(
                Scalar(node.start_mark.index, node.end_mark.index, node.start_mark.line + 1, key, flow, node.value)
            )
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, key, flow or bool(node.flow_style))
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, k.value, flow or bool(node.flow_style))

    walk(yaml.compose(text, Loader=yaml.SafeLoader), "", False)
    return out


# Values an editor or an attacker may put anywhere: (YAML source, usable inside [ ] or { }, no field accepts it).
HOSTILE: list[tuple[str, bool, bool]] = [
    ('"文字\u2028断行"', True, True),
    ('"文字\\x1b[31m红色"', True, True),
    ('"代理\\ud800码位"', True, True),
    ('"零\\0字符"', True, True),
    ('"反向\u202e文字"', True, True),
    ('"文字\x85下一行"', True, True),
    ("!!null ''", True, True),
    ('!!int "1"', True, True),
    ("!!binary aGk=", True, True),
    ("!!python/object/apply:os.system ['echo x']", False, True),
    ("*nosuch", True, True),
    ("[" * 40 + "x" + "]" * 40, True, True),
    ('"<script>alert(1)</script>"', True, True),
    ('"<img src=x onerror=alert(2)>"', True, True),
    ('"\\n## 标题"', True, True),
    ('"文字{: onclick=alert(1) }"', True, True),
    ('"' + "字" * 20001 + '"', True, True),
    ("no", True, True),
    ("2024-02-30", True, True),
    ("12:30", True, True),
    ('"结尾空格\u3000"', True, True),
    ('"零宽\u200b空格"', True, True),
    ("a\tb", False, True),
    ("值 #被截断", False, True),
    ('"' + "\\n" * 100000 + '"', True, True),
    ('"<' + " " * 100000 + '"', True, True),
    ("２" * 100000, True, False),
    ("9" * 400, True, False),
    ("1" * 400 + ".5", True, False),
    (".inf", True, False),
    ("0", True, False),
    ("-1", True, False),
    ('""', True, False),
    ("~", True, False),
    ('"{{ 7*7 }}"', True, False),
    ('"甲|乙"', True, False),
    ('"[点我](javascript:alert(5))"', True, True),
    ('"５０００"', True, False),
    ('"2025"', True, False),
    ("2025", True, False),
    ('"x"', True, False),
]

REDIRECTS_HOSTILE = [
    "{from: 'documents/%(doc)s/#x\" onmouseover=\"alert(1)', to: 'documents/%(doc)s/#%(point)s'}",
    "{from: go/, to: 'go/\\\\evil.example/'}",
    "{from: go/, to: '//evil.example/'}",
    "{from: go/, to: 'https://evil.example/'}",
    "{from: ../../outside/, to: units/%(unit)s/}",
    "{from: sitemap.xml/, to: units/%(unit)s/}",
    "{from: documents/%(doc)s/, to: units/%(unit)s/}",
    "{from: units/old/, to: units/nosuch/}",
    "{from: 'units/old/ ', to: units/%(unit)s/}",
    "{from: 'documents/%(doc)s/#old', to: 'documents/%(doc)s/#nosuch'}",
    "{from: go, to: units/%(unit)s/}",
]
REDIRECTS_GOOD = [
    "{from: units/%(old)s/, to: units/%(unit)s/}",
    "{from: 'documents/%(doc)s/#%(old)s', to: 'documents/%(doc)s/#%(point)s'}",
]


class Base:
    """The repository's data as the mutants start from it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        data = root / "data"
        self.yaml = sorted(p.relative_to(root).as_posix() for p in data.rglob("*.yml"))
        self.docs = [p for p in self.yaml if p.startswith("data/documents/")]
        self.texts = {p: (root / p).read_text(encoding="utf-8") for p in self.yaml}
        self.fulltexts = sorted(p.relative_to(root).as_posix() for p in (data / "fulltext").glob("*.txt"))
        self.texts |= {p: (root / p).read_text(encoding="utf-8") for p in self.fulltexts}
        self.scalars = {p: scalars(self.texts[p]) for p in self.yaml}
        from plansite.validate import validate_project

        ds, report = validate_project(root)
        assert ds is not None, report.format()
        self.ds = ds


def _replace(text: str, s: Scalar, new: str) -> str:
    return text[: s.start] + new + text[s.end :]


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def make(base: Base, seed: int, index: int) -> Mutant:
    """Mutant ``index`` of the run with ``seed``: the fixed corpus first, then random ones."""
    corpus = regression_corpus(base)
    if index < len(corpus):
        m = corpus[index]
        m.index = index
        return m
    rng = random.Random(f"{seed}-{index}")
    ops: list[tuple[Callable, int]] = [
        (_hostile_value, 30),
        (_other_value, 10),
        (_line_op, 18),
        (_item_op, 10),
        (_fulltext_op, 10),
        (_contradiction, 10),
        (_redirect, 6),
        (_file_op, 4),
        (_encoding, 3),
    ]
    op = rng.choices([o for o, _ in ops], weights=[w for _, w in ops])[0]
    m = op(base, rng)
    m.index = index
    return m


def _pick_scalar(base: Base, rng: random.Random, files: list[str], pred=lambda s: True) -> tuple[str, Scalar]:
    while True:
        path = rng.choice(files)
        cands = [s for s in base.scalars[path] if pred(s)]
        if cands:
            return path, rng.choice(cands)


def _hostile_value(base: Base, rng: random.Random) -> Mutant:
    path, s = _pick_scalar(base, rng, base.yaml)
    choices = [h for h in HOSTILE if h[1] or not s.flow]
    src, _, local = rng.choice(choices)
    text = _replace(base.texts[path], s, src)
    return Mutant(
        0,
        "hostile-value",
        f"{path}:{s.line} {s.key} ← {src[:40]!r}",
        {path: text.encode()},
        "local" if local else "any",
        path,
        s.line,
    )


def _other_value(base: Base, rng: random.Random) -> Mutant:
    path, s = _pick_scalar(base, rng, base.yaml)
    others = [o for p in base.yaml for o in base.scalars[p] if o.key == s.key and o.value != s.value]
    if not others:
        return _hostile_value(base, rng)
    o = rng.choice(others)
    src = json.dumps(o.value, ensure_ascii=False) if not o.flow or True else o.value
    text = _replace(base.texts[path], s, src)
    return Mutant(
        0, "other-value", f"{path}:{s.line} {s.key} ← {o.value[:30]!r}", {path: text.encode()}, "any", path, s.line
    )


def _line_op(base: Base, rng: random.Random) -> Mutant:
    path = rng.choice(base.yaml)
    lines = base.texts[path].split("\n")
    n = rng.randrange(len(lines) - 1)
    kind = rng.choice(["delete", "duplicate", "swap", "indent", "dedent"])
    if kind == "delete":
        del lines[n]
    elif kind == "duplicate":
        lines.insert(n, lines[n])
    elif kind == "swap" and n + 1 < len(lines):
        lines[n], lines[n + 1] = lines[n + 1], lines[n]
    elif kind == "indent":
        lines[n] = "  " + lines[n]
    else:
        lines[n] = lines[n][2:] if lines[n].startswith("  ") else lines[n]
    return Mutant(0, f"line-{kind}", f"{path}:{n + 1}", {path: "\n".join(lines).encode()}, "any", path, n + 1)


def _item_op(base: Base, rng: random.Random) -> Mutant:
    path = rng.choice(base.yaml)
    lines = base.texts[path].split("\n")
    items = [i for i, line in enumerate(lines) if line.lstrip().startswith("- ")]
    if not items:
        return _line_op(base, rng)
    i = rng.choice(items)
    indent = len(lines[i]) - len(lines[i].lstrip())
    j = i + 1
    while j < len(lines) and lines[j].strip() and len(lines[j]) - len(lines[j].lstrip()) > indent:
        j += 1
    block = lines[i:j]
    kind = rng.choice(["delete", "duplicate"])
    lines[i:j] = [] if kind == "delete" else block + block
    return Mutant(0, f"item-{kind}", f"{path}:{i + 1}-{j}", {path: "\n".join(lines).encode()}, "any", path, i + 1)


def _fulltext_op(base: Base, rng: random.Random) -> Mutant:
    path = rng.choice(base.fulltexts)
    lines = base.texts[path].split("\n")
    n = rng.randrange(len(lines) - 1)
    kind = rng.choice(["delete", "duplicate", "swap", "junk", "control", "empty"])
    expect = "any"
    if kind == "delete":
        del lines[n]
    elif kind == "duplicate":
        lines.insert(n, lines[n])
        expect = "reject" if lines[n].strip() else "any"
    elif kind == "swap":
        lines[n], lines[n + 1] = lines[n + 1], lines[n]
    elif kind == "junk":
        lines.insert(n, "这一段没有录入数据。")
        expect = "reject"
    elif kind == "control":
        at = rng.randrange(len(lines[n]) + 1)
        lines[n] = lines[n][:at] + rng.choice(["\x00", "\x1b", "\u2028", "\u202e", "\x85"]) + lines[n][at:]
        expect = "local"
    else:
        lines = [""]
        expect = "reject"
    return Mutant(
        0,
        f"fulltext-{kind}",
        f"{path}:{n + 1}",
        {path: "\n".join(lines).encode()},
        expect,
        path,
        1 if kind == "empty" else n + 1,
    )


def _contradiction(base: Base, rng: random.Random) -> Mutant:
    """An edit that contradicts the original (the full text): it must be rejected."""
    from plansite.fidelity import numbers

    kind = rng.choice(["unit", "value"])
    if kind == "value":
        path, s = _pick_scalar(base, rng, base.docs, lambda s: s.key == "value")
        phrases = [o for o in base.scalars[path] if o.start < s.start and o.key == "phrase"]
        phrase = phrases[-1].value
        taken = set(numbers(phrase))
        new = next(v for v in range(int(float(s.value)) + 1, 10**9) if float(v) not in taken)
        text = _replace(base.texts[path], s, str(new))
        return Mutant(
            0,
            "contradict-value",
            f"{path}:{s.line} {phrase} {s.value} → {new}",
            {path: text.encode()},
            "reject",
            path,
            s.line,
        )
    path, s = _pick_scalar(base, rng, base.docs, lambda s: s.key in ("lead", "responsible") and s.flow)
    text = base.texts[path]
    start, end = s.start, s.end
    after = text[end : end + 2]
    before = text[start - 2 : start]
    if after.startswith(", "):
        end += 2
    elif before.endswith(", "):
        start -= 2
    return Mutant(
        0,
        "contradict-unit",
        f"{path}:{s.line} {s.key} without {s.value}",
        {path: (text[:start] + text[end:]).encode()},
        "reject",
        path,
        s.line,
    )


def _redirect(base: Base, rng: random.Random) -> Mutant:
    ds = base.ds
    doc = rng.choice(ds.documents)
    fields = {
        "doc": doc.id,
        "point": rng.choice(doc.all_points).id,
        "unit": rng.choice(sorted({r.unit for d in ds.documents for p in d.all_points for r in p.lead})),
        "old": f"jiu-{rng.randrange(1000)}",
    }
    good = rng.random() < 0.5
    entries = [rng.choice(REDIRECTS_GOOD if good else REDIRECTS_HOSTILE) % fields]
    text = "redirects:\n" + "".join(f"  - {e}\n" for e in entries)
    return Mutant(
        0,
        "redirect-good" if good else "redirect-hostile",
        entries[0],
        {"data/redirects.yml": text.encode()},
        "accept" if good else "reject",
        "data/redirects.yml",
        2,
    )


def _file_op(base: Base, rng: random.Random) -> Mutant:
    doc = rng.choice(base.docs)
    kind = rng.choice(["yaml", "YML", "subfolder", "symlink", "dangling", "registry", "dir", "documents"])
    edits: dict[str, object] = {}
    if kind in ("yaml", "YML"):
        edits = {doc: DELETE, doc[:-4] + "." + kind: base.texts[doc].encode()}
    elif kind == "subfolder":
        edits = {doc: DELETE, doc.replace("documents/", "documents/2099/"): base.texts[doc].encode()}
    elif kind == "symlink":
        edits = {"data/units/zz-link.yml": (SYMLINK, "/etc/hostname")}
    elif kind == "dangling":
        edits = {"data/documents/zz-dangling.yml": (SYMLINK, "nosuch.yml")}
    elif kind == "registry":
        edits = {f"data/{rng.choice(['vocab', 'areas', 'themes', 'regions'])}.yml": DELETE}
    elif kind == "dir":
        edits = {f"data/{rng.choice(['vocab', 'areas', 'themes', 'regions'])}.yml": MKDIR}
    else:
        edits = {"data/documents": DELETE}
    return Mutant(0, f"file-{kind}", str(edits)[:80], edits, "reject")


def _encoding(base: Base, rng: random.Random) -> Mutant:
    path = rng.choice(base.yaml + base.fulltexts)
    text = base.texts[path]
    kind = rng.choice(["gbk", "bom-crlf", "cut-utf8", "garbage"])
    if kind == "gbk":
        data, expect = text.encode("gb18030"), ("reject" if not text.isascii() else "any")
    elif kind == "bom-crlf":
        data, expect = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode(), "any"
    elif kind == "cut-utf8":
        raw = text.encode()
        cut = next((i for i in range(len(raw) // 2, len(raw)) if raw[i] >= 0xC0), len(raw) - 1)
        data, expect = raw[: cut + 1], "reject"
    else:
        data, expect = bytes(rng.randrange(256) for _ in range(200)), "reject"
    return Mutant(0, f"encoding-{kind}", path, {path: data}, expect, path)


def regression_corpus(base: Base) -> list[Mutant]:
    """One mutant for each class of issue 20 on the real data; all but the legitimate redirect are rejected."""
    doc = "data/documents/minhang-2022-gongzuoyaodian.yml"
    text = base.texts[doc]
    out: list[Mutant] = []

    def sub(name: str, old: str, new: str, path: str = doc, expect: str = "reject", count: int = 1) -> None:
        src = base.texts[path]
        assert old in src, (name, old)
        edited = src.replace(old, new, count)
        line = _line_of(src, src.index(old))
        out.append(
            Mutant(
                0,
                "class-" + name,
                f"{path}:{line} {old[:30]!r} → {new[:30]!r}",
                {path: edited.encode()},
                expect,
                path,
                line,
            )
        )

    first = lambda key: re.search(rf"(?m)^{key}: .*$", text).group()  # noqa: E731
    for key in ("doc_number", "id", "area", "issuer", "kind", "level", "units_layout"):
        sub(f"empty-{key}", first(key), f"{key}:", expect="local")
    sub("empty-title", first("title"), 'title: ""', expect="local")
    unit_file = "data/units/minhang.yml"
    sub("empty-unit-id", re.search(r"(?m)^  - id: .*$", base.texts[unit_file]).group(), "  - id:", unit_file, "local")
    sub("year-zero", first("year"), "year: 0", expect="local")
    sub("year-negative", first("year"), "year: -2022", expect="local")
    sub("number-comment", "value: 5000", "value: 5000 #万元", expect="local")
    sub("null-tag", first("title"), "title: !!null ''", expect="local")
    sub("target-value", "value: 5000", "value: 6000", expect="reject")
    sub(
        "task-lead-deleted",
        "lead: [区合作交流办]\n        responsible: [各成员单位, 援外机构]",
        "responsible: [各成员单位, 援外机构]",
    )
    ft = "data/fulltext/minhang-2022-gongzuoyaodian.txt"
    line = base.texts[ft].split("\n")[20]
    sub("fulltext-line-doubled", line + "\n", line + "\n" + line + "\n", ft)
    out.append(Mutant(0, "class-fulltext-empty", ft, {ft: b""}, "reject", ft, 1))
    out.append(Mutant(0, "class-yaml-extension", doc, {doc: DELETE, doc[:-4] + ".yaml": text.encode()}, "reject"))
    out.append(Mutant(0, "class-YML-extension", doc, {doc: DELETE, doc[:-4] + ".YML": text.encode()}, "reject"))
    out.append(
        Mutant(
            0,
            "class-subfolder",
            doc,
            {doc: DELETE, doc.replace("documents/", "documents/2022/"): text.encode()},
            "reject",
        )
    )
    out.append(Mutant(0, "class-no-documents-folder", "data/documents", {"data/documents": DELETE}, "reject"))
    sub("bad-reading", "  闵行: min hang", "  闵行: min hnag", "data/pinyin.yml", "local")
    units = sorted({r.unit for d in base.ds.documents for p in d.all_points for r in p.lead})
    d0 = base.ds.documents[0]
    fields = {"doc": d0.id, "point": d0.all_points[0].id, "unit": units[0], "old": "jiu"}
    for i, entry in enumerate(REDIRECTS_HOSTILE):
        out.append(
            Mutant(
                0,
                f"class-redirect-{i}",
                entry % fields,
                {"data/redirects.yml": f"redirects:\n  - {entry % fields}\n".encode()},
                "local",
                "data/redirects.yml",
                2,
            )
        )
    out.append(
        Mutant(
            0,
            "class-redirect-legitimate",
            "page and anchor",
            {"data/redirects.yml": ("redirects:\n" + "".join(f"  - {e % fields}\n" for e in REDIRECTS_GOOD)).encode()},
            "accept",
        )
    )
    for name in ("vocab", "areas", "themes", "regions"):
        out.append(Mutant(0, f"class-missing-{name}", name, {f"data/{name}.yml": DELETE}, "reject"))
    out.append(Mutant(0, "class-directory-not-file", "areas.yml", {"data/areas.yml": MKDIR}, "reject"))
    out.append(Mutant(0, "class-dangling-symlink", "", {"data/units/zz.yml": (SYMLINK, "nosuch.yml")}, "reject"))
    out.append(Mutant(0, "class-pipe", "", {"data/documents/zz.yml": FIFO, "data/areas.yml": FIFO}, "reject"))
    out.append(Mutant(0, "class-symlink-loop", "", {"data/units/zz.yml": (SYMLINK, "zz.yml")}, "reject"))
    out.append(
        Mutant(
            0, "class-symlink-out", "", {"data/units/zz.yml": (SYMLINK, "@secret")}, "reject", secret="SECRET-0a1b2c"
        )
    )
    regions = re.search(r"regions: \[[^\]\n]+\]", text).group()
    sub("nesting-500", regions, "regions: " + "[" * 500 + "保山" + "]" * 500, expect="local")
    sub("nesting-200000", regions, "regions: " + "[" * 200000 + "保山" + "]" * 200000, expect="local")
    sub("lone-surrogate", first("title"), 'title: "\\ud800"', expect="local")
    sub("control-character", first("title"), 'title: "闵行\\x1b[31m"', expect="local")
    sub("digits-400", "value: 5000", "value: " + "5" * 400, expect="local")
    sub("float-overflow", "value: 5000", "value: " + "5" * 400 + ".5", expect="local")
    sub("fullwidth-100k", first("year"), "year: " + "２" * 100000, expect="local")
    sub("newline-escapes-100k", "notes: []\n", 'notes: ["' + "\\n" * 100000 + '"]\n', expect="local")
    sub("nul", first("kind"), "kind: 工作\0要点", expect="local")
    sub("second-document", first("units_layout"), first("units_layout") + "\n---\nid: x", expect="reject")
    sub("after-document-end", first("units_layout"), first("units_layout") + "\n...\nid: x", expect="reject")
    sub("line-separator", first("title"), first("title").replace("东西部", "东西\u2028部"), expect="local")
    return out


# ---- checks -------------------------------------------------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\S*/\S*")
_ENGLISH = re.compile(
    r"(?i)\b(expected|found|while|scanning|parsing|document start|mapping|sequence|token|stream|"
    r"unacceptable|special characters|traceback|exception|error:|line \d+|column \d+)\b"
)


def apply(work: Path, base_root: Path, m: Mutant) -> Callable[[], None]:
    """Apply the mutant's edits to ``work`` (a copy of the base); return what undoes them."""
    undo: list[Callable[[], None]] = []
    for rel, edit in m.edits.items():
        target = work / rel
        original = base_root / rel

        def restore(target=target, original=original) -> None:
            if target.is_symlink() or target.is_file() or target.is_fifo():
                target.unlink()
            elif target.is_dir():
                shutil.rmtree(target)
            if original.is_dir():
                shutil.copytree(original, target)
            elif original.exists():
                shutil.copy2(original, target)
            parent = target.parent
            while (
                parent != work
                and parent.exists()
                and not any(parent.iterdir())
                and not (base_root / parent.relative_to(work)).exists()
            ):
                parent.rmdir()
                parent = parent.parent

        undo.append(restore)
        if target.is_symlink() or target.is_file() or target.is_fifo():
            target.unlink()
        elif target.is_dir():
            shutil.rmtree(target)
        if edit == DELETE:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if edit == MKDIR:
            target.mkdir()
        elif edit == FIFO:
            os.mkfifo(target)  # a named pipe: opening it to read would wait for a writer forever
        elif isinstance(edit, tuple):
            link_to = edit[1]
            if link_to == "@secret":
                secret = work.parent / "outside-secret.yml"
                secret.write_text(
                    f"area: minhang\nunits:\n  - {{id: {m.secret}, name: {m.secret}, kind: x}}\n", encoding="utf-8"
                )
                link_to = str(secret)
            target.symlink_to(link_to)
        else:
            target.write_bytes(edit)
    return lambda: [u() for u in reversed(undo)]


def check_report(report, m: Mutant, work: Path) -> list[str]:
    """Property 2: codes, Chinese, positions; a local mutant is reported on its line."""
    from plansite.errors import RULES

    problems = []
    for d in report.diagnostics:
        where = f"{d.file}:{d.line}:{d.col} {d.code}"
        if d.code not in RULES:
            problems.append(f"{where}: unknown code")
        for text in (d.message, d.hint):
            if not _CJK.search(text):
                problems.append(f"{where}: not in Chinese: {text[:80]!r}")
            bare = _QUOTED.sub("", text)
            if _ENGLISH.search(bare):
                problems.append(f"{where}: English in the message: {text[:120]!r}")
            if m.secret and m.secret in text:
                problems.append(f"{where}: shows the content of a file outside the repository")
        problems += _position_problems(d, work)
    if m.expect == "local" and not any(
        d.file == m.file and (d.line == m.line or (d.code == "E102" and d.line >= m.line)) for d in report.errors
    ):
        errors = [f"{d.file}:{d.line} {d.code}" for d in report.errors][:8]
        problems.append(f"no error at {m.file}:{m.line} (errors: {errors})")
    return problems


def _position_problems(d, work: Path) -> list[str]:
    path = work / d.file
    where = f"{d.file}:{d.line}:{d.col} {d.code}"
    if d.line < 1 or d.col < 1:
        return [f"{where}: position before the start"]
    if path.is_symlink() or not path.is_file():  # missing, a folder, a link or a pipe (never read here either)
        if (d.line, d.col) != (1, 1):
            return [f"{where}: a position inside a file that is not one"]
        if not (path.is_symlink() or path.exists()) and d.code != "E110":
            return [f"{where}: names a file that does not exist"]
        return []
    data = path.read_bytes()
    try:
        lines = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    except UnicodeDecodeError:
        lines = [ln.decode("latin-1") for ln in data.replace(b"\r\n", b"\n").split(b"\n")]
    if d.line > len(lines):
        return [f"{where}: line after the end ({len(lines)} lines)"]
    if d.col > len(lines[d.line - 1]) + 1:
        return [f"{where}: column after the end of the line ({len(lines[d.line - 1])} characters)"]
    return []


def oracle_documents(work: Path) -> list[dict]:
    """The documents as plain PyYAML reads them (not the validator's loader)."""
    return [_plain_load(p) for p in sorted((work / "data" / "documents").glob("*.yml"))]


def _plain_load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8-sig"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _s(value) -> str:
    return "" if value is None else str(value).rstrip("\n") if isinstance(value, str) else value


def _points_in_order(doc: dict) -> list[dict]:
    out: list[dict] = []

    def visit(s: dict) -> None:
        for child in s.get("sections") or []:
            visit(child)
        out.extend(s.get("points") or [])
        out.extend(s.get("items") or [])

    for part in doc.get("parts") or []:
        visit(part)
    return out


def _target(t: dict) -> tuple:
    return (_s(t["phrase"]), float(t["value"]), _s(t["unit"]), _s(t["counts"]), _s(t.get("comparator")))


def _deadline(d: dict) -> tuple:
    due = d.get("due")  # a date, or a quoted date (a string)
    return (
        _s(d["phrase"]),
        str(due) if due else None,
        d.get("repeat"),
        d.get("day"),
        d.get("within_days"),
        _s(d.get("after")) or None,
    )


def check_site(ds, work: Path, sandbox: Path) -> list[str]:
    """Properties 3 and 4 for an accepted mutant: render, export, write redirects into ``sandbox/site``."""
    from plansite import postbuild
    from plansite.export import Exporter
    from plansite.index import build_index
    from plansite.pages import Site
    from plansite.render import Renderer

    problems: list[str] = []
    site_ = Site(ds, build_index(ds))
    renderer = Renderer(site_, work / "templates", {})
    # the templates are the same for every mutant: compiled once per worker (the environment holds no data)
    renderer.env = _ENV.setdefault("env", renderer.env)
    pages = {spec.path: renderer.render(spec).markdown for spec in site_.plan()}
    site = sandbox / "site"
    site.mkdir(parents=True)
    for path, md in pages.items():
        target = site / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(md, encoding="utf-8")
    files = Exporter(site_).files()
    for f in files:
        target = site / f.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f.content)
    postbuild.write_redirects(ds.redirects, site)
    outside = [p.name for p in sandbox.iterdir() if p.name != "site"]
    if outside:
        problems.append(f"written outside the site folder: {outside}")
    for p in site.rglob("*"):
        if not p.resolve().is_relative_to(site.resolve()):
            problems.append(f"{p} is outside the site folder")

    def reject_constant(name: str):
        raise ValueError(f"not strict JSON: {name}")

    plans_bytes = next(f.content for f in files if f.path == "data/plans.json")
    try:
        plans = {d["id"]: d for d in json.loads(plans_bytes, parse_constant=reject_constant)["documents"]}
    except ValueError as exc:
        return problems + [f"plans.json: {exc}"]
    for doc in oracle_documents(work):
        problems += _check_document(doc, plans.get(doc["id"]), pages)
    unit_ids = {u.id for u in ds.units}
    for p in sorted((work / "data" / "units").glob("*.yml")):
        for u in _plain_load(p)["units"] or []:
            if u["id"] not in unit_ids:
                problems.append(f"unit {u['id']} of {p.name} is not in the dataset")
    named = {r.unit for d in ds.documents for i in (*d.all_points, *d.tasks) for r in (*i.lead, *i.responsible)}
    for uid in sorted(named | {d.issuer for d in ds.documents}):
        if f"units/{uid}.md" not in pages:
            problems.append(f"unit {uid} has no page")
    problems += _link_problems(pages, files)
    return problems


_ENV: dict = {}


def _check_document(doc: dict, plan: dict | None, pages: dict[str, str]) -> list[str]:
    did = doc["id"]
    if plan is None:
        return [f"document {did} is not in plans.json"]
    out = []
    page, original = pages.get(f"documents/{did}/index.md"), pages.get(f"documents/{did}/original.md")
    if page is None or original is None:
        return [f"document {did} has no page"]
    expect = {
        "title": _s(doc["title"]),
        "kind": _s(doc["kind"]),
        "doc_number": _s(doc["doc_number"]),
        "level": doc["level"],
        "year": doc["year"],
        "date": str(doc["date"]),
        "printed": str(doc["printed"]) if doc.get("printed") else None,
        "publicity": _s(doc.get("publicity")),
        "issuer_id": doc["issuer"],
        "district_id": doc["area"],
    }
    for k, v in expect.items():
        if plan[k] != v:
            out.append(f"{did}: plans.json {k} {plan[k]!r}, the YAML says {v!r}")
    points = _points_in_order(doc)
    if [p["id"] for p in points] != [p["id"] for p in plan["points"]]:
        out.append(f"{did}: points {len(plan['points'])} in plans.json, {len(points)} in the YAML")
        return out
    for yp, jp in zip(points, plan["points"]):
        want = (
            _s(yp["label"]),
            _s(yp.get("title")),
            _s(yp["text"]),
            _s(yp.get("units_text")),
            len(yp.get("lead") or []),
            len(yp.get("responsible") or []),
            len(set(yp.get("themes") or [])),
            [_target(t) for t in yp.get("targets") or []],
            [_deadline(d) for d in yp.get("deadlines") or []],
        )
        got = (
            jp["label"],
            jp["title"],
            jp["text"],
            jp["units_text"],
            len(jp["lead_units"]),
            len(jp["responsible_units"]),
            len(jp["themes"]),
            [(t["phrase"], float(t["value"]), t["unit"], t["counts"], t["comparator"]) for t in jp["targets"]],
            [(d["phrase"], d["due"], d["repeat"], d["day"], d["within_days"], d["after"]) for d in jp["deadlines"]],
        )
        if want != got:
            out.append(f"{did} point {yp['id']}: plans.json {got!r:.200} ≠ YAML {want!r:.200}")
        if f"{{ #{yp['id']} }}" not in page:
            out.append(f"{did} point {yp['id']}: no anchor on the document page")
    tasks = [(a, t) for a in doc.get("annexes") or [] for t in a.get("tasks") or []]
    if [t["id"] for _, t in tasks] != [t["id"] for t in plan["tasks"]]:
        out.append(f"{did}: tasks {len(plan['tasks'])} in plans.json, {len(tasks)} in the YAML")
        return out
    for a, _ in tasks:
        if f"{{ #{a['id']} }}" not in page:
            out.append(f"{did} annex {a['id']}: no anchor")
    for (_, yt), jt in zip(tasks, plan["tasks"]):
        want = (
            int(yt["no"]),
            _s(yt["area"]),
            _s(yt["text"]),
            len(yt.get("lead") or []),
            len(yt.get("responsible") or []),
            yt.get("point"),
            [_target(t) for t in yt.get("targets") or []],
            [_deadline(d) for d in yt.get("deadlines") or []],
        )
        got = (
            jt["no"],
            jt["area"],
            jt["text"],
            len(jt["lead_units"]),
            len(jt["responsible_units"]),
            jt["point"],
            [(t["phrase"], float(t["value"]), t["unit"], t["counts"], t["comparator"]) for t in jt["targets"]],
            [(d["phrase"], d["due"], d["repeat"], d["day"], d["within_days"], d["after"]) for d in jt["deadlines"]],
        )
        if want != got:
            out.append(f"{did} task {yt['id']}: plans.json {got!r:.200} ≠ YAML {want!r:.200}")
        if f'<span id="{yt["id"]}"></span>' not in page:
            out.append(f"{did} task {yt['id']}: no anchor on the document page")
    return out


_MD_LINK = re.compile(r"\]\(([^)\s]*)\)")
_HTML_LINK = re.compile(r"""(?:href|src|action)\s*=\s*["']([^"']*)["']""")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def link_problem(url: str, base_dir: str, root_absolute_ok: bool = False) -> str:
    """Why ``url`` (found in a page or file under ``base_dir`` of the site) leaves the site, or is not relative; empty
    if neither. (``root_absolute_ok``: the theme's 404 page, shown at any path, links from the site's root.)"""
    path = url.split("#")[0].split("?")[0]
    if _SCHEME.match(url) or url.startswith("//") or "\\" in url:
        return f"{url!r} leaves the site"
    if url.startswith("/") and not root_absolute_ok:
        return f"{url!r} is not relative (the site must work from any sub-path)"
    joined = posixpath.normpath(posixpath.join(base_dir, path)) if path else base_dir or "."
    if joined == ".." or joined.startswith("../"):
        return f"{url!r} leaves the site"
    return ""


def _link_problems(pages: dict[str, str], files) -> list[str]:
    from plansite.urls import page_url

    out = []
    for path, md in pages.items():
        src_dir = posixpath.dirname(path)
        url_dir = page_url(path).rstrip("/") if page_url(path).endswith("/") else posixpath.dirname(page_url(path))
        for url in _MD_LINK.findall(md):
            if p := link_problem(url, src_dir):
                out.append(f"{path}: {p}")
        for url in _HTML_LINK.findall(md):
            if p := link_problem(url, url_dir):
                out.append(f"{path}: {p}")
    for f in files:
        if f.path.endswith((".json", ".xml")):
            text = f.content.decode("utf-8")
            for url in re.findall(r'"url":"([^"]*)"|"original_url":"([^"]*)"|href="([^"]*)"', text):
                url = next(u for u in url if u)
                if url.startswith("http://www.w3.org/2005/Atom"):
                    continue
                if p := link_problem(url, ""):
                    out.append(f"{f.path}: {p}")
    return out


# ---- running -------------------------------------------------------------------------------------------------------


def copy_project(dest: Path, source: Path = ROOT) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "node_modules"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def run_one(base: Base, work: Path, m: Mutant, sandbox_root: Path) -> dict:
    """Validate one mutant (and render it when accepted); the result as a JSON-able dict."""
    from plansite.validate import validate_project

    undo = apply(work, base.root, m)
    start = time.perf_counter()
    result = {"i": m.index, "op": m.op, "what": m.what, "accepted": False, "problems": []}
    try:
        try:
            ds, report = validate_project(work)
        except BaseException:  # noqa: BLE001 - a traceback is what we look for
            result["problems"].append("traceback in validation:\n" + traceback.format_exc(limit=-6))
            return result
        result["accepted"] = ds is not None
        result["codes"] = sorted({d.code for d in report.errors})
        result["problems"] += check_report(report, m, work)
        if ds is None:
            if m.expect == "accept":
                result["problems"].append("a legitimate edit was rejected: " + report.format()[:500])
            return result
        if m.expect in ("reject", "local"):
            result["problems"].append("accepted, but the edit cannot be right")
        sandbox = Path(tempfile.mkdtemp(dir=sandbox_root))
        try:
            result["problems"] += check_site(ds, work, sandbox)
        except BaseException:  # noqa: BLE001
            result["problems"].append("traceback in rendering:\n" + traceback.format_exc(limit=-6))
        finally:
            shutil.rmtree(sandbox, ignore_errors=True)
        return result
    finally:
        result["seconds"] = round(time.perf_counter() - start, 3)
        undo()


def worker(seed: int, indices: list[int], keep: str | None) -> None:
    """Run mutants, printing a JSON line before and after each (the parent watches for crashes and hangs)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        tmp_path = Path(tmp)
        base_root = copy_project(tmp_path / "base")
        base = Base(base_root)
        work = copy_project(tmp_path / "work", base_root)
        sandboxes = tmp_path / "sandboxes"
        sandboxes.mkdir()
        for i in indices:
            m = make(base, seed, i)
            print(json.dumps({"start": i}), flush=True)
            result = run_one(base, work, m, sandboxes)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            if keep:
                apply(copy_project(Path(keep), base_root), base_root, m)


def run(
    seed: int = SEED, mutants: int = MUTANTS, jobs: int = JOBS, only: list[int] | None = None, keep: str | None = None
) -> tuple[list[dict], list[str]]:
    """Run the mutants in ``jobs`` worker processes; return every result and the failures (crash, hang included)."""
    indices = only if only is not None else list(range(mutants))
    parts = [indices[k::jobs] for k in range(jobs)] if only is None else [indices]
    lines: queue.Queue = queue.Queue()
    procs = []
    for part in parts:
        cmd = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--seed",
            str(seed),
            "--indices",
            ",".join(map(str, part)),
        ] + (["--keep", keep] if keep else [])
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=os.environ | {"PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1"},
        )
        procs.append(proc)
        threading.Thread(
            target=lambda p=proc: [lines.put((p, ln)) for ln in p.stdout] + [lines.put((p, None))], daemon=True
        ).start()
    results: list[dict] = []
    failures: list[str] = []
    started: dict[subprocess.Popen, int] = {}
    running = len(procs)
    while running:
        try:
            proc, line = lines.get(timeout=HANG_SECONDS)
        except queue.Empty:
            for p, i in started.items():
                if p.poll() is None:
                    failures.append(f"mutant {i}: no result after {HANG_SECONDS} s (hang)")
                    p.kill()
            break
        if line is None:
            running -= 1
            code = proc.wait()
            if code != 0:
                where = f"mutant {started.get(proc)}" if proc in started else "the worker"
                failures.append(
                    f"{where}: worker ended with {code} (a negative code is a signal)\n" + proc.stderr.read()[-3000:]
                )
            continue
        msg = json.loads(line)
        if "start" in msg:
            started[proc] = msg["start"]
            continue
        started.pop(proc, None)
        results.append(msg)
        if msg["problems"]:
            failures.append(f"mutant {msg['i']} ({msg['op']}: {msg['what'][:100]}):\n  " + "\n  ".join(msg["problems"]))
    for p in procs:
        if p.poll() is None:
            p.kill()
    return sorted(results, key=lambda r: r["i"]), failures


def build_check(seed: int, index: int, tmp: Path) -> list[str]:
    """A real ``mkdocs build --strict`` of mutant ``index`` (accepted): clean, every anchor there, CSP on every page,
    no link out of the site, nothing written beside the site folder."""
    from test_html import scan_site

    from conftest import build_site

    base = Base(ROOT)
    m = make(base, seed, index)
    proj = copy_project(tmp / "project")
    apply(proj, ROOT, m)
    sandbox = tmp / "sandbox"
    sandbox.mkdir()
    result = build_site(proj, sandbox / "site")
    if result.returncode != 0 or "Traceback" in result.stderr:
        return [f"build failed: {result.stderr[-2000:]}"]
    site = sandbox / "site"
    problems = [f"{page}: {p}" for page, ps in scan_site(site).items() for p in ps]
    if [p.name for p in sandbox.iterdir()] != ["site"]:
        problems.append(f"written beside the site: {[p.name for p in sandbox.iterdir()]}")
    from plansite.validate import validate_project

    ds, _ = validate_project(proj)
    for doc in ds.documents:
        html = (site / "documents" / doc.id / "index.html").read_text(encoding="utf-8")
        for item in (*doc.all_points, *doc.tasks):
            if f'id="{item.id}"' not in html:
                problems.append(f"{doc.id}#{item.id} is not on the built page")
    for old, _ in ds.redirects:
        page, _, anchor = old.partition("#")
        html = (site / page / "index.html").read_text(encoding="utf-8")
        if anchor and f'id="{anchor}"' not in html:
            problems.append(f"old anchor {old} not kept")
    for html_path in site.rglob("*.html"):
        rel_dir = html_path.parent.relative_to(site).as_posix()
        text = html_path.read_text(encoding="utf-8")
        for url in _HTML_LINK.findall(text):
            if (
                p := link_problem(url, "" if rel_dir == "." else rel_dir, html_path.name == "404.html")
            ) and not url.startswith(os.environ.get("SITE_REPO_URL") or "\0"):
                problems.append(f"{html_path.relative_to(site)}: {p}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--mutants", type=int, default=MUTANTS)
    parser.add_argument("--jobs", type=int, default=JOBS)
    parser.add_argument("--builds", type=int, default=BUILDS)
    parser.add_argument("--only", help="comma-separated mutant numbers")
    parser.add_argument("--keep", help="write the (last) mutated project here")
    parser.add_argument("--results", help="write every mutant's result here (JSON)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--indices", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.seed, [int(i) for i in args.indices.split(",") if i], args.keep)
        return 0
    start = time.perf_counter()
    only = [int(i) for i in args.only.split(",")] if args.only else None
    results, failures = run(args.seed, args.mutants, args.jobs, only, args.keep)
    elapsed = time.perf_counter() - start
    print(summary(results, elapsed))
    if args.results:
        Path(args.results).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    for i in pick_builds(results, args.builds):
        with tempfile.TemporaryDirectory() as tmp:
            failures += [f"build of mutant {i}: {p}" for p in build_check(args.seed, i, Path(tmp))]
    for f in failures:
        print(f)
    return 1 if failures else 0


def pick_builds(results: list[dict], n: int) -> list[int]:
    """The accepted mutants to build for real: the legitimate redirect, then the first that change a document."""
    picks = [r["i"] for r in results if r["op"] == "class-redirect-legitimate" and r["accepted"]][:1]
    picks += [
        r["i"] for r in results if r["accepted"] and "documents/" in r["what"] and not r["op"].startswith("class")
    ]
    return picks[:n]


def summary(results: list[dict], elapsed: float) -> str:
    accepted = sum(r["accepted"] for r in results)
    slowest = max(results, key=lambda r: r["seconds"], default=None)
    return (
        f"{len(results)} mutants in {elapsed:.1f} s ({len(results) / max(elapsed, 1e-9):.1f}/s): "
        f"{accepted} accepted, {len(results) - accepted} rejected; slowest {slowest['seconds'] if slowest else 0} s"
        + (f" (mutant {slowest['i']}, {slowest['op']})" if slowest else "")
    )


if __name__ == "__main__":
    raise SystemExit(main())
