"""The demo's scoring season: two years scored, surveyed, appraised, explained and compared."""

from __future__ import annotations

import random
import shutil
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from cchc.commands.appraise import appraise
from cchc.commands.explain import explain_item, what_if
from cchc.commands.score import ScoreResult, score_folder
from cchc.commands.session import Session
from cchc.commands.survey import import_survey_file
from cchc.commands.template import make_templates
from cchc.core.fileio import atomic_path, write_text
from cchc.core.numbers import fmt
from cchc.criteria.model import CriteriaSet, effective_method
from cchc.criteria.registry import find_set, require
from cchc.demo.council import council_step
from cchc.demo.sample_data import SAMPLE_UNITS, fill_sample
from cchc.scoring.discrepancy import discrepancies
from cchc.store.workspace import Workspace

SET_ID = "cchc-xa"
ANSWERS = "ABCD"


def find(ref: str, year: int | None) -> CriteriaSet:
    """Bundled sets only: the demo must not depend on the folder it runs in."""
    return require(find_set(ref, year))


def session(workspace: Workspace) -> Session:
    """The demo workspace with its sample units and the bundled sets."""
    return Session(workspace, given_units=SAMPLE_UNITS, given_finder=find)


def _ranking_lines(result: ScoreResult) -> list[str]:
    lines = []
    for unit in result.run.ranking():
        t = unit.totals
        places = result.run.criteria(unit).precision.index
        before = result.previous.get(unit.unit.code)
        change = ""
        if before is not None and t.index is not None:
            change = f" ({'+' if t.index >= before else ''}"
            change += f"{fmt(t.index - before, places)} so với năm trước)"
        rank = f"hạng {t.rank}" if t.rank else "không xếp hạng"
        index = fmt(t.index, places) if t.index is not None else "—"
        lines.append(f"{unit.unit.code} {unit.unit.name}: {index}% – {t.band} – {rank}{change}")
    return lines


def survey_files(
    criteria: CriteriaSet, sipas: CriteriaSet, folder: Path, seed: int
) -> tuple[Path, Path]:
    """An aggregated survey of the set's survey items and raw SIPAS answers (A–D per question)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    codes = [i.code for i, a in criteria.walk() if i.is_leaf and effective_method(i, a) == "survey"]
    aggregated = ["Mã đơn vị,Mã,Tỷ lệ hài lòng (%)"]
    for unit in SAMPLE_UNITS:
        for code in codes:
            share = fmt(Decimal(rng.randint(600, 980)) / 10)
            aggregated.append(f'{unit.code},{code},"{share}"')
    questions = [i.code for i in sipas.leaves()]
    raw = ["Mã đơn vị," + ",".join(questions)]
    for unit in SAMPLE_UNITS:
        for _ in range(12):
            raw.append(
                unit.code
                + ","
                + ",".join(rng.choices(ANSWERS, [6, 3, 1, 0.3])[0] for _ in questions)
            )
    aggregated_path = folder / "dieu-tra-xa-hoi-hoc.csv"
    write_text(aggregated_path, "\n".join(aggregated) + "\n")
    raw_path = folder / "phieu-sipas.csv"
    write_text(raw_path, "\n".join(raw) + "\n")
    return aggregated_path, raw_path


def _fill_appraisal(path: Path) -> list[str]:
    """The officer lowers two items of the first unit and comments on them."""
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    header = next(r for r in range(1, 15) if ws.cell(r, 1).value == "Mã đơn vị")
    column = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    done: list[str] = []
    for r in range(header + 1, ws.max_row + 1):
        own = ws.cell(r, column["Điểm tự chấm"]).value
        if ws.cell(r, 1).value != "X001" or not isinstance(own, int | float) or own <= 0:
            continue
        code = ws.cell(r, column["Mã"]).value
        ws.cell(r, column["Thẩm định lần 1"]).value = 0
        ws.cell(r, column["Nhận xét thẩm định"]).value = "Tài liệu kiểm chứng chưa đủ"
        done.append(f"X001 mục {code}: tự chấm {fmt(Decimal(str(own)))} → thẩm định 0")
        if len(done) == 2:
            break
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return done


def season(out: Path, workspace: Workspace, inbox: Path) -> list[tuple[str, list[str], list[Path]]]:
    """Score 2024 (survey, SIPAS, appraisal), then 2025 against it; (title, lines, outputs)."""
    steps: list[tuple[str, list[str], list[Path]]] = []
    results = out / "ket-qua"
    sipas = find("sipas", 2024)
    aggregated, raw = survey_files(find(SET_ID, 2024), sipas, out / "dieu-tra", 7)
    demo = session(workspace)
    sipas_import = import_survey_file(demo, raw, 2024, set_ref="sipas")
    lines = [
        f"{row['unit']}: {sipas_import.respondents.get(row['unit'], 0)} phiếu, chỉ số SIPAS "
        f"{fmt(Decimal(row['index']), 2)}%"
        for row in sipas_import.units
    ]
    lines += [f"[{i.code}] {i}" for i in sipas_import.issues]
    steps.append(("Nhập phiếu khảo sát SIPAS (A/B/C/D → 100/60/20/0%)", lines, [raw]))

    first = score_folder(demo, inbox, 2024, results, survey=aggregated)
    lines = _ranking_lines(first)
    lines += [f"[{i.code}] {i}" for i in first.run.issues if i.code.startswith("survey")]
    title = "Chấm điểm năm 2024 (tự chấm + điều tra xã hội học), xếp hạng, lưu kho"
    steps.append((title, lines, [first.results, workspace.db_path]))

    sheet = appraise(demo, 2024, out / "tham-dinh-2024.xlsx").workbook
    changed = _fill_appraisal(sheet)
    second = score_folder(demo, inbox, 2024, results, appraisal=sheet, replace=True)
    lines = [*changed, f"Chênh lệch tự chấm – thẩm định: {len(discrepancies(second.run))} mục"]
    lines += _ranking_lines(second)
    steps.append(("Thẩm định lần 1 và chấm lại năm 2024", lines, [sheet, second.results]))

    code = next(d.code for d in discrepancies(second.run))
    why = explain_item(demo, "X001", code, 2024)
    lines = [
        f"X001 mục {code}: {why['rule']}",
        f"tự chấm {fmt(Decimal(why['layers']['self']))}, cuối cùng {fmt(Decimal(why['final']))} "
        f"({why['final_by_label'].lower()}): {why['trace'].get('comment', '')}",
    ]
    best = what_if(demo, "X002", 2024, []).gains or []
    outlook = what_if(demo, "X002", 2024, [g.code for g in best[:3]])
    now, then = outlook.now, outlook.then
    assert now is not None and then is not None
    lines.append(
        f"X002 nếu 3 mục gỡ nhiều điểm nhất đạt tối đa: chỉ số "
        f"{fmt(now.index or 0, outlook.places)} → {fmt(then.index or 0, outlook.places)}, "
        f"{now.band} → {then.band}"
    )
    steps.append(("Giải thích điểm và giả định (explain, whatif)", lines, []))
    steps += council_step(demo, out, inbox, results)

    inbox_2025 = out / "so-da-nop-2025"
    if inbox_2025.exists():
        shutil.rmtree(inbox_2025)
    criteria_2025 = find(SET_ID, 2025)
    for seed, path in enumerate(make_templates(demo, SET_ID, inbox_2025, 2025)):
        fill_sample(criteria_2025, SAMPLE_UNITS[seed], path, seed + 20)
    survey_2025, _ = survey_files(criteria_2025, sipas, out / "dieu-tra-2025", 8)
    third = score_folder(demo, inbox_2025, 2025, results, survey=survey_2025)
    steps.append(
        (
            "Chấm điểm năm 2025 (bộ tiêu chí mới), so với năm 2024",
            _ranking_lines(third),
            [third.results],
        )
    )
    return steps
