"""``srgan study``: the whole chain on a tiny budget (CI smoke test), resume, bad input."""

import re

import pytest

from srgan import cli
from srgan.study import STUDY_TASKS, StudyConfig, pixel_recipe


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("study") / "run"
    status = cli.main(["study", "--out", str(out), "--train", "--budget", "smoke", "--max-eval-images", "2"])
    return status, out


def test_smoke_study_writes_report_with_every_task_and_figure(smoke_run):
    status, out = smoke_run
    assert status == 0
    report = (out / "report.md").read_text()
    for task in STUDY_TASKS:
        assert f"\n## {task}\n" in report
        assert re.search(rf"^\| {task} \| [\d.]+ → [\d.]+ \| [+-][\d.]+ \|", report, re.M), task
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", report)
    assert len(figures) >= 2 * len(STUDY_TASKS)  # an evaluation and an analysis figure per task
    for f in figures:
        assert (out / f).is_file() and (out / f).stat().st_size > 1000, f
    assert "Convention: Y (BT.601), crop = scale px, 8-bit" in report
    assert not list(out.rglob(".*.tmp")) and not list(out.rglob("*.tmp"))


def test_rerun_resumes_without_redoing_stages(smoke_run):
    status, out = smoke_run
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.json") if p.parent.name in STUDY_TASKS}
    weights = {p: p.read_bytes() for p in out.rglob("best.safetensors")}
    assert len(stamps) == 4 * len(STUDY_TASKS) and len(weights) == len(STUDY_TASKS)
    assert cli.main(["study", "--out", str(out), "--train", "--budget", "smoke", "--max-eval-images", "2"]) == 0
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # every stage record kept, none redone
    assert {p: p.read_bytes() for p in weights} == weights


def test_bad_input_is_one_line_exit_2(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    cases = [
        (["study", "--out", str(f)], "is a file"),
        (["study", "--out", str(tmp_path / "r"), "--tasks", "sr_nope"], "tasks"),
        (["study", "--out", str(tmp_path / "r"), "--train", "--weights", str(tmp_path)], "--weights"),
        (["study", "--out", str(tmp_path / "r"), "--images", str(tmp_path / "missing")], "no such"),
        (["study", "--out", str(tmp_path / "r"), "--weights", str(f)], "--weights"),
        (["study", "--out", str(tmp_path / "r"), "--steps", "0", "--train"], "steps"),
    ]
    for argv, needle in cases:
        assert cli.main(argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and needle in err[0] and "Traceback" not in err[0], (argv, err)


def test_config_validation():
    with pytest.raises(ValueError, match="budget"):
        StudyConfig(out="x", budget="huge")
    with pytest.raises(ValueError, match="seed"):
        StudyConfig(out="x", seed=-1)
    with pytest.raises(ValueError, match="task"):
        pixel_recipe("nope")
