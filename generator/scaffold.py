"""A new dataset folder to fill in (``generator new NAME``).

It follows the conventions of CONTRIBUTING.md: a descriptor with every property the project requires
(Vietnamese title and description with English translations, version, licence, English titles on every
field), a table of figures ("observations") that refers to the ``members`` and ``sources`` datasets, and
its ``indicators`` table. Each CSV holds its header and one example row, marked as an example, for the
maintainer to replace.

What the maintainer must write is marked: text to replace starts with ``TO_FILL_IN``, the example rows hold
``EXAMPLE``. ``validate`` reports every text that still holds one of these marks (``generator/read/readiness.py``,
code ``placeholder``), so the skeleton fails until it is filled in and is never published as it is.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator import config
from generator.read.readiness import EXAMPLE, TO_FILL_IN

# A dataset name: lower-case letters and digits in hyphen-separated words, as a URL path segment and a
# folder name on any system.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_NAME_LENGTH = 64

# The example row quotes a real figure (Kbang's health-insurance coverage in 2023, paragraph 4 of the
# Báo Gia Lai review), so that every reference in it resolves and its as_published text matches.
EXAMPLE_MEMBER = "kbang"
EXAMPLE_SOURCE = "baogialai-2024-01-cluster2-2023-review"
EXAMPLE_INDICATOR = "example-indicator"

_FILL_VI, _FILL_EN = TO_FILL_IN
_EXAMPLE_VI, _EXAMPLE_EN = EXAMPLE


class ScaffoldError(Exception):
    """The dataset cannot be created: the name is unsafe or already taken."""


@dataclass(frozen=True)
class Scaffold:
    """What ``create`` wrote: the dataset folder and its files (relative to the repository root)."""

    folder: Path
    files: tuple[str, ...]


def check_name(name: str, datasets_dir: Path) -> None:
    """Raise ``ScaffoldError`` unless ``name`` is a safe dataset name not used by any folder (in any case)."""
    if len(name) > MAX_NAME_LENGTH or not NAME_PATTERN.fullmatch(name):
        raise ScaffoldError(
            f"{name!r} is not a dataset name: use lower-case letters a-z, digits and single hyphens, starting "
            f"with a letter (at most {MAX_NAME_LENGTH} characters), e.g. `budget-revenue`."
        )
    if os.path.lexists(datasets_dir / name):
        raise ScaffoldError(f"{config.DATASETS_DIR}/{name} already exists: choose another name.")
    if datasets_dir.is_dir():
        taken = {p.name.lower() for p in datasets_dir.iterdir()}
        if name in taken:
            raise ScaffoldError(f"A dataset folder named like {name!r} (in another case) already exists.")


def create(root: Path, name: str) -> Scaffold:
    """Write ``root/datasets/<name>/`` with its descriptor and CSV files. Raises ``ScaffoldError``."""
    datasets_dir = root / config.DATASETS_DIR
    if datasets_dir.is_symlink() or not datasets_dir.is_dir():
        raise ScaffoldError(f"{datasets_dir} is not a folder: run the command at the repository root.")
    check_name(name, datasets_dir)
    folder = datasets_dir / name
    folder.mkdir()  # fails if the folder appeared meanwhile: nothing is overwritten
    files = {
        "datapackage.yaml": DESCRIPTOR.replace("__NAME__", name),
        f"{name}.csv": OBSERVATIONS_CSV.replace("__INDICATOR__", EXAMPLE_INDICATOR),
        "indicators.csv": INDICATORS_CSV.replace("__INDICATOR__", EXAMPLE_INDICATOR),
    }
    for file, text in files.items():
        with (folder / file).open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    prefix = f"{config.DATASETS_DIR}/{name}"
    return Scaffold(folder, tuple(f"{prefix}/{file}" for file in files))


def instructions(scaffold: Scaffold) -> str:
    """What the maintainer must fill in, in the order of the files."""
    name = scaffold.folder.name
    folder = f"{config.DATASETS_DIR}/{name}"
    created = "\n".join(f"  {file}" for file in scaffold.files)
    return f"""Created the dataset {name!r}:
{created}

It is only a skeleton: every text still to write is a placeholder, and `validate` fails (code
"placeholder") and lists each one left, with its file, line and field, until all are replaced. The site is
not built while one is left. Fill it in, then check it:

1. {folder}/datapackage.yaml
   Every text that starts with "{_FILL_VI}:" or "{_FILL_EN}:" (the lines marked {_FILL_VI} / {_FILL_EN}):
   the title and description in Vietnamese, their English translations, and the keywords. Keep
   `name: {name}` (the folder's name) and `version: 0.1.0` until the first release; change the tables'
   titles if they do not fit.
2. {folder}/indicators.csv
   Line 2 is an example indicator ({EXAMPLE_INDICATOR}, its texts marked "{_EXAMPLE_VI}:" / "{_EXAMPLE_EN}:"):
   replace it with this dataset's indicators (id, titles and definitions in Vietnamese and English, and the
   valid minimum/maximum or empty).
3. {folder}/{name}.csv
   LINE 2 IS AN EXAMPLE ROW, NOT DATA: DELETE IT. It copies one real figure (member {EXAMPLE_MEMBER},
   source {EXAMPLE_SOURCE}) only so that every reference in it resolves; its note says
   "{_EXAMPLE_VI}" / "{_EXAMPLE_EN}". Add the real figures, one row per figure, each citing its source in
   {config.DATASETS_DIR}/sources/sources.csv (add a new source there first) with the paragraph(s) it was
   found in, and the figure exactly as published (as_published). Units, qualifiers, price bases, periods
   and statuses: see CONTRIBUTING.md.
4. Check, then open a pull request (its checklist repeats these steps):
     python -m generator validate --strict
     python -m generator diff
"""


_OBSERVATION_FIELDS = """\
        - name: year
          type: year
          title: Năm
          description: Năm mà số liệu phản ánh.
          translations:
            en: {title: Year, description: The year the figure describes.}
          constraints: {required: true, minimum: 2000, maximum: 2100}
        - name: period
          type: string
          title: Thời kỳ
          description: "Phần của năm mà số liệu phản ánh: full-year: cả năm; first-quarter: quý I; first-half: 6 \
tháng đầu năm; nine-months: 9 tháng đầu năm; as-of-date: tính đến một ngày. Chỉ số liệu cả năm mới được vẽ biểu \
đồ và xếp hạng theo năm."
          translations:
            en: {title: Period, description: "The part of the year the figure covers: full-year; first-quarter; \
first-half; nine-months; as-of-date (up to a date). Only full-year figures are charted and ranked by year."}
          constraints: {required: true, enum: [full-year, first-quarter, first-half, nine-months, as-of-date]}
        - name: member_id
          type: string
          title: Địa phương
          description: Mã địa phương (xem bộ dữ liệu Thành viên Cụm thi đua số 2).
          translations:
            en: {title: Locality, description: "Locality id (see the dataset Members of Emulation Cluster No. 2)."}
          constraints: {required: true}
        - name: indicator_id
          type: string
          title: Chỉ tiêu
          description: Mã chỉ tiêu (xem bảng Danh mục chỉ tiêu).
          translations:
            en: {title: Indicator, description: Indicator id (see the Indicators table).}
          constraints: {required: true}
        - name: value
          type: number
          title: Giá trị
          description: Số liệu như nguồn công bố, với đơn vị ở cột unit và từ định lượng ở cột qualifier.
          translations:
            en: {title: Value, description: "The figure as the source published it, with its unit in the unit column \
and its qualifier in the qualifier column."}
          constraints: {required: true}
        - name: unit
          type: string
          title: Đơn vị
          description: "billion-vnd: tỷ đồng; ha: héc-ta; percent: %; percentage-point: điểm phần trăm; \
count: số lượng."
          translations:
            en: {title: Unit, description: "billion-vnd: billion Vietnamese đồng; ha: hectares; percent: %; \
percentage-point: percentage points; count: a number of things."}
          constraints: {required: true, enum: [billion-vnd, ha, percent, percentage-point, count]}
        - name: qualifier
          type: string
          title: Từ định lượng
          description: "Để trống khi số liệu là con số chính xác; more-than: nguồn viết \\"hơn\\" (số thật lớn hơn \
giá trị ghi)."
          translations:
            en: {title: Qualifier, description: "Empty when the figure is exact; more-than: the source says \
\\"more than\\" (the true figure is larger than the value)."}
          constraints: {enum: [more-than]}
        - name: price_basis
          type: string
          title: Loại giá
          description: "constant-2010: giá so sánh năm 2010; current: giá hiện hành; not-stated: nguồn không nêu; \
not-applicable: không áp dụng (số liệu không tính bằng tiền)."
          translations:
            en: {title: Price basis, description: "constant-2010: 2010 constant prices; current: current prices; \
not-stated: the source does not say; not-applicable: not a money figure."}
          constraints: {required: true, enum: [constant-2010, current, not-stated, not-applicable]}
        - name: status
          type: string
          title: Tính chất số liệu
          description: "result: kết quả; estimate: số ước tính (nguồn viết \\"ước\\", \\"dự ước\\"); plan-target: \
chỉ tiêu kế hoạch. Số ước tính luôn được đánh dấu; chỉ tiêu kế hoạch không được vẽ hay xếp hạng cùng kết quả."
          translations:
            en: {title: Status, description: "result; estimate (the source says \\"ước\\", \\"dự ước\\"); \
plan-target. Estimates are always marked; plan targets are never charted or ranked with results."}
          constraints: {required: true, enum: [result, estimate, plan-target]}
        - name: as_published
          type: string
          title: Cách viết trong nguồn
          description: Số liệu đúng như nguồn viết (số, đơn vị, từ định lượng), để đối chiếu.
          translations:
            en: {title: As published, description: "The figure exactly as the source writes it (number, unit, \
qualifier), for checking."}
          constraints: {required: true}
        - name: source_id
          type: string
          title: Nguồn
          description: Mã nguồn (xem bộ dữ liệu Nguồn tài liệu).
          translations:
            en: {title: Source, description: Source id (see the Sources dataset).}
          constraints: {required: true}
        - name: source_paragraphs
          type: string
          title: Đoạn trong nguồn
          description: Số thứ tự của đoạn văn trong nguồn có chứa số liệu, đếm từ đầu bài; nhiều đoạn cách nhau \
bằng dấu chấm phẩy.
          translations:
            en: {title: Paragraphs in the source, description: "Number of the paragraph of the source that holds \
the figure, counted from the start of the text; several are separated by semicolons."}
          constraints: {required: true, pattern: "[1-9][0-9]*(;[1-9][0-9]*)*"}
        - name: note
          type: string
          title: Ghi chú
          description: Điều người đọc cần biết về số liệu này; để trống khi không có.
          translations:
            en: {title: Note, description: What a reader should know about this figure; empty when there is nothing.}
        - name: note_en
          type: string
          title: Ghi chú (tiếng Anh)
          description: Ghi chú bằng tiếng Anh.
          translations:
            en: {title: Note (English), description: The note in English.}
"""

_INDICATOR_FIELDS = """\
        - name: id
          type: string
          title: Mã chỉ tiêu
          description: Mã ổn định của chỉ tiêu, dùng trong cột indicator_id.
          translations:
            en: {title: Indicator id, description: "Stable id of the indicator, used in the indicator_id column."}
          constraints: {required: true, pattern: "[a-z][a-z0-9-]*"}
        - name: title
          type: string
          title: Tên chỉ tiêu
          description: Tên chỉ tiêu bằng tiếng Việt.
          translations:
            en: {title: Indicator (Vietnamese), description: Name of the indicator in Vietnamese.}
          constraints: {required: true}
        - name: title_en
          type: string
          title: Tên chỉ tiêu (tiếng Anh)
          description: Tên chỉ tiêu bằng tiếng Anh.
          translations:
            en: {title: Indicator (English), description: Name of the indicator in English.}
          constraints: {required: true}
        - name: description
          type: string
          title: Giải thích
          description: Giải thích chỉ tiêu bằng tiếng Việt.
          translations:
            en: {title: Definition (Vietnamese), description: What the indicator measures, in Vietnamese.}
          constraints: {required: true}
        - name: description_en
          type: string
          title: Giải thích (tiếng Anh)
          description: Giải thích chỉ tiêu bằng tiếng Anh.
          translations:
            en: {title: Definition (English), description: What the indicator measures, in English.}
          constraints: {required: true}
        - name: minimum
          type: number
          title: Giá trị nhỏ nhất hợp lệ
          description: Giá trị nhỏ nhất mà chỉ tiêu có thể có; để trống khi không có giới hạn.
          translations:
            en: {title: Smallest valid value, description: "The smallest value the indicator can take; empty when \
there is no limit."}
        - name: maximum
          type: number
          title: Giá trị lớn nhất hợp lệ
          description: Giá trị lớn nhất mà chỉ tiêu có thể có; để trống khi không có giới hạn.
          translations:
            en: {title: Largest valid value, description: "The largest value the indicator can take; empty when \
there is no limit."}
"""

_CSV = """\
    path: {path}
    format: csv
    mediatype: text/csv
    encoding: utf-8
"""

DESCRIPTOR = (
    f"""\
# Created by `python -m generator new __NAME__`. Replace every text that starts with {_FILL_VI}: or
# {_FILL_EN}: (`python -m generator validate` lists those left); the conventions are in CONTRIBUTING.md.
$schema: https://datapackage.org/profiles/2.0/datapackage.json
name: __NAME__
title: "{_FILL_VI}: tên bộ dữ liệu"  # {_FILL_VI} / {_FILL_EN} (Vietnamese title)
description: >-
  {_FILL_VI}: mô tả bộ dữ liệu bằng tiếng Việt (số liệu gì, của ai, năm nào, từ nguồn nào).
translations:
  en:
    title: "{_FILL_EN}: dataset title"  # {_FILL_VI} / {_FILL_EN} (English title)
    description: >-
      {_FILL_EN}: what the dataset holds, in English.
    keywords: ["{_FILL_EN}: keyword"]  # {_FILL_VI} / {_FILL_EN} (English keywords), e.g. [economy]
version: 0.1.0
keywords: ["{_FILL_VI}: từ khóa"]  # {_FILL_VI} / {_FILL_EN} (Vietnamese keywords), e.g. [kinh tế]
themes: [ECON]  # EU data themes (catalogues): AGRI, ECON, GOVE, HEAL, REGI, SOCI, ... (CONTRIBUTING.md)
licenses:
  - name: CC-BY-4.0
    title: Creative Commons Attribution 4.0 International
    path: https://creativecommons.org/licenses/by/4.0/
resources:
  - name: __NAME__
    title: Số liệu theo địa phương  # đổi nếu số liệu không theo địa phương / change if not by locality
    translations:
      en: {{title: Figures by locality}}
"""
    + _CSV.format(path="__NAME__.csv")
    + """\
    schema:
      primaryKey: [year, period, member_id, indicator_id, price_basis]
      foreignKeys:
        - fields: [member_id]
          reference: {package: members, resource: members, fields: [id]}
        - fields: [indicator_id]
          reference: {resource: indicators, fields: [id]}
        - fields: [source_id]
          reference: {package: sources, resource: sources, fields: [id]}
      fields:
"""
    + _OBSERVATION_FIELDS
    + """\
  - name: indicators
    title: Danh mục chỉ tiêu
    translations:
      en: {title: Indicators}
"""
    + _CSV.format(path="indicators.csv")
    + """\
    schema:
      primaryKey: [id]
      fields:
"""
    + _INDICATOR_FIELDS
)

OBSERVATIONS_CSV = (
    "year,period,member_id,indicator_id,value,unit,qualifier,price_basis,status,as_published,source_id,"
    "source_paragraphs,note,note_en\n"
    f'2023,full-year,{EXAMPLE_MEMBER},__INDICATOR__,94.3,percent,,not-applicable,result,"94,3%",{EXAMPLE_SOURCE},4,'
    f'"{_EXAMPLE_VI}: dòng mẫu, hãy xóa và nhập số liệu thật",'
    f'"{_EXAMPLE_EN}: a sample row, delete it and enter the real figures"\n'
)

INDICATORS_CSV = (
    "id,title,title_en,description,description_en,minimum,maximum\n"
    f"__INDICATOR__,{_EXAMPLE_VI}: tên chỉ tiêu,{_EXAMPLE_EN}: indicator name,"
    f"{_EXAMPLE_VI}: chỉ tiêu này đo gì (tiếng Việt).,{_EXAMPLE_EN}: what the indicator measures (English).,0,100\n"
)
