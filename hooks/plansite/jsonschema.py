"""JSON Schemas generated from the declared shapes in :mod:`plansite.schema`.

Editors get completion and hover help in VS Code (YAML extension) through the
``# yaml-language-server: $schema=…`` line at the top of each data file.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import schema
from .shape import ID_RE, RANGES

FILES = {
    "document.schema.json": (schema.DOCUMENT, "一份文件（data/documents/*.yml）"),
    "units.schema.json": (schema.UNITS_FILE, "单位名录（data/units/*.yml）"),
    "themes.schema.json": (schema.THEMES_FILE, "主题表（data/themes.yml）"),
    "regions.schema.json": (schema.REGIONS_FILE, "地区表（data/regions.yml）"),
    "areas.schema.json": (schema.AREAS_FILE, "区域表（data/areas.yml）"),
    "vocab.schema.json": (schema.VOCAB_FILE, "词表（data/vocab.yml）"),
    "redirects.schema.json": (schema.REDIRECTS_FILE, "跳转表（data/redirects.yml）"),
    "search.schema.json": (schema.SEARCH_FILE, "搜索词表（data/search.yml）"),
}


def field_schema(f: schema.Field) -> dict:
    """The JSON Schema of one field (an empty optional text counts as absent, as in the validator)."""
    doc = {"description": f.doc}
    least = 1 if f.required else 0
    if f.kind == "id":
        return doc | {"type": "string", "pattern": ID_RE.pattern}
    if f.kind == "line":
        return doc | {"type": "string", "minLength": least, "pattern": r"^[^\n]*$"}
    if f.kind == "text":
        return doc | {"type": "string", "minLength": least}
    if f.kind in ("int", "number"):
        bounds = dict(zip(("minimum", "maximum"), RANGES[f.name])) if f.name in RANGES else {}
        return doc | {"type": "integer" if f.kind == "int" else "number"} | bounds
    if f.kind == "bool":
        return doc | {"type": "boolean"}
    if f.kind == "date":
        return doc | {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if f.kind == "choice":
        return doc | {"enum": list(f.choices)}
    if f.kind == "list":
        return doc | {"type": "array", "items": field_schema(f.item)}
    if f.kind == "map":
        return doc | {"type": "object", "additionalProperties": {"type": "string"}}
    if f.kind == "struct":
        return doc | struct_schema(f.struct)
    raise ValueError(f"unknown field kind {f.kind}")


def struct_schema(s: schema.Struct) -> dict:
    """The JSON Schema of a mapping shape (unknown keys are not allowed)."""
    out = {
        "type": "object",
        "properties": {f.name: field_schema(f) for f in s.fields},
        "additionalProperties": False,
    }
    required = [f.name for f in s.fields if f.required]
    if required:
        out["required"] = required
    return out


def schemas() -> dict[str, dict]:
    """Every schema by file name."""
    return {
        name: {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title} | struct_schema(struct)
        for name, (struct, title) in FILES.items()
    }


def write_schemas(out: Path) -> list[Path]:
    """Write every schema into ``out``; return the written paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, sch in schemas().items():
        path = out / name
        path.write_text(json.dumps(sch, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
