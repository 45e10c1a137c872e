"""polarlab from Python against polarlab-cli: the same numbers bit for bit, errors as ValueError with the CLI's
message, Ctrl-C, the GIL, array ownership. Run by CTest (python_tests) with PYTHONPATH=BUILD/python and
POLARLAB_CLI=BUILD/polarlab-cli."""
import gc
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import polarlab

ROOT = Path(__file__).resolve().parents[2]
CLI = os.environ.get("POLARLAB_CLI", str(ROOT / "build" / "release" / "polarlab-cli"))
RUN_FILES = ("config.json", "initial_state.json", "trajectory.csv", "potentials.csv")
TIMINGS = ("wall_seconds", "steps_per_second")


def cli(*args, check=True):
    p = subprocess.run([CLI, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"polarlab-cli {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def cli_error(*args):
    """The message polarlab-cli prints for bad input (exit 2), without its 'polarlab-cli: error: ' prefix."""
    p = cli(*args, check=False)
    assert p.returncode == 2, p.stderr
    line = p.stderr.strip().splitlines()[-1]
    for prefix in ("polarlab-cli: error: ", "polarlab-cli: "):
        if line.startswith(prefix):
            return line[len(prefix):]
    return line


def same_bits(x, y):
    x, y = np.asarray(x), np.asarray(y)
    if x.shape != y.shape:
        return False
    if x.dtype.kind == "f" or y.dtype.kind == "f":
        return np.array_equal(x.astype(np.float64).view(np.int64), y.astype(np.float64).view(np.int64))
    return np.array_equal(x, y)


def assert_same_run(run, cli_dir, out_dir):
    """run's arrays equal the CLI's files to the bit, and run.save writes the CLI's files byte for byte."""
    ref = polarlab.load_run(cli_dir)
    for k in polarlab.SERIES + ("s", "u", "a", "sv"):
        assert same_bits(getattr(run, k), getattr(ref, k)), k
    if ref.potentials is not None:
        assert same_bits(run.potentials, ref.potentials)
        assert run.potential_columns == ref.potential_columns
    if ref.attention is not None:
        assert same_bits(run.attention, ref.attention)
    run.save(out_dir)
    for f in RUN_FILES + (("attention.csv",) if ref.attention is not None else ()):
        assert (Path(out_dir) / f).read_bytes() == (Path(cli_dir) / f).read_bytes(), f
    ours = json.loads((Path(out_dir) / "summary.json").read_text())
    theirs = json.loads((Path(cli_dir) / "summary.json").read_text())
    for s in (ours, theirs):
        for k in TIMINGS:
            s.pop(k, None)
    assert ours == theirs
    assert run.config == ref.config
    for k, v in ref.initial_state.items():
        assert same_bits(run.initial_state[k], v) if isinstance(v, np.ndarray) else run.initial_state[k] == v


def test_presets_match_cli():
    names = [p["name"] for p in polarlab.presets()]
    assert "fig2" in names and "sink" in names
    listed = cli("presets").stdout
    for n in names:
        assert n in listed


def test_fig2_equals_cli_bit_for_bit(tmp_path):
    cli("simulate", "--preset", "fig2", "--out", str(tmp_path / "cli"), "--quiet")
    run = polarlab.simulate("fig2")
    assert run.status == "finished" and run.step[-1] == 1_000_000
    assert run.s.shape == (len(run), 8) and run.potentials.shape == (len(run), 28)
    assert run.winner[-1] == run.summary["predicted_winner"]
    assert_same_run(run, tmp_path / "cli", tmp_path / "py")


@pytest.mark.parametrize("args, kw", [
    (["--preset", "fig3", "--kappa", "3"], {"preset": "fig3", "kappa": 3}),                  # regression, X
    (["--preset", "sink", "--steps", "20000"], {"preset": "sink", "steps": 20000}),          # attention.csv
    (["--preset", "fig2", "--method", "flow", "--t-end", "50", "--rtol", "1e-7", "--records", "300"],
     {"preset": "fig2", "method": "flow", "t_end": 50, "rtol": 1e-7, "records": 300}),      # Dormand-Prince
])
def test_held_out_presets_equal_cli(tmp_path, args, kw):
    cli("simulate", *args, "--out", str(tmp_path / "cli"), "--quiet")
    run = polarlab.simulate(**kw)
    assert_same_run(run, tmp_path / "cli", tmp_path / "py")


def test_config_dict_and_file_equal_cli(tmp_path):
    cfg = polarlab.simulate("fig2", steps=1000).config
    (tmp_path / "c.json").write_text(json.dumps(cfg))
    cli("simulate", "--config", str(tmp_path / "c.json"), "--dim", "5", "--seed", "7", "--out", str(tmp_path / "cli"),
        "--quiet")
    for config in (cfg, tmp_path / "c.json"):
        run = polarlab.simulate(config=config, dim=5, seed=7)
        assert run.s.shape[1] == 5
        assert_same_run(run, tmp_path / "cli", tmp_path / "py")


@pytest.mark.parametrize("args, kw", [
    (["--preset", "nope"], {"preset": "nope"}),
    (["--preset", "fig2", "--map", "bogus"], {"preset": "fig2", "map": "bogus"}),
    (["--preset", "fig2", "--loss", "bogus"], {"preset": "fig2", "loss": "bogus"}),
    (["--preset", "fig2", "--kappa", "0.5"], {"preset": "fig2", "kappa": 0.5}),
    (["--preset", "fig2", "--records", "0"], {"preset": "fig2", "records": 0}),
    (["--preset", "fig2", "--lr", "-1"], {"preset": "fig2", "lr": -1}),
    (["--config", "/nonexistent/c.json"], {"config": "/nonexistent/c.json"}),
])
def test_bad_input_raises_value_error_with_cli_message(tmp_path, args, kw):
    message = cli_error("simulate", *args, "--out", str(tmp_path / "x"))
    with pytest.raises(ValueError) as e:
        polarlab.simulate(**kw)
    assert str(e.value) == message


def test_bad_python_input():
    with pytest.raises(ValueError, match="method"):
        polarlab.simulate("fig2", method="rk4")
    with pytest.raises(ValueError, match="steps"):
        polarlab.simulate("fig2", steps="many")
    with pytest.raises(ValueError, match="preset/config"):
        polarlab.simulate()
    with pytest.raises(TypeError, match="kapa"):
        polarlab.simulate("fig2", kapa=2)
    with pytest.raises(ValueError, match="count"):
        polarlab.ensemble("fig3", 0)


def test_numerical_stop_raises_with_partial_run(tmp_path):
    p = cli("simulate", "--preset", "fig13", "--loss", "square", "--lr", "100", "--steps", "100", "--out",
            str(tmp_path / "cli"), check=False)
    assert p.returncode == 3
    with pytest.raises(polarlab.NumericalError) as e:
        polarlab.simulate("fig13", loss="square", lr=100, steps=100)
    assert p.stderr.strip().endswith(str(e.value))
    run = e.value.run
    assert run.status == "failed" and len(run) == 83
    assert_same_run(run, tmp_path / "cli", tmp_path / "py")


def test_keyboard_interrupt_stops_quickly_and_keeps_the_records():
    sent = []

    def interrupt():
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    timer = threading.Timer(0.5, interrupt)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt) as e:
            polarlab.simulate("fig2", steps=10**11)  # hours
        stopped = time.monotonic()
    finally:
        timer.cancel()
    assert sent, "the timer did not fire"
    assert stopped - sent[0] < 0.1
    run = e.value.run
    assert run.status == "incomplete"
    assert len(run) > 1 and run.step[-1] > 0 and np.all(np.diff(run.step) > 0)
    assert run.summary["steps_taken"] >= run.step[-1]


def test_gil_is_released_during_simulate():
    count, stop = [0], threading.Event()

    def counter():
        while not stop.is_set():
            count[0] += 1

    th = threading.Thread(target=counter)
    th.start()
    try:
        deadline = time.monotonic() + 5
        while count[0] == 0 and time.monotonic() < deadline:
            time.sleep(0.001)
        before = count[0]
        run = polarlab.simulate("fig2", steps=2_000_000)
        during = count[0] - before
    finally:
        stop.set()
        th.join()
    assert run.summary["wall_seconds"] > 0.2  # long enough for the counter to show it
    assert during > 10_000, during


def test_arrays_outlive_the_run():
    run = polarlab.simulate("fig2", steps=1000)
    s, loss, state = run.s, run.loss, run.initial_state["V"]
    expected = s.copy()
    assert s.flags.owndata or s.base is not None and not isinstance(s.base, polarlab.Run)
    del run
    gc.collect()
    junk = [polarlab.simulate("fig2", steps=1000, seed=i).s for i in range(3)]  # reuse freed memory
    assert same_bits(s, expected) and np.isfinite(loss).all() and state.shape == (8, 8)
    s[0, 0] = 42.0  # writable, and ours
    assert s[0, 0] == 42.0 and len(junk) == 3


def test_to_pandas():
    pd = pytest.importorskip("pandas")
    df = polarlab.simulate("fig2", steps=1000).to_pandas()
    assert isinstance(df, pd.DataFrame) and "s_0" in df.columns and "sv_7" in df.columns


def test_ensemble_equals_cli(tmp_path):
    cli("ensemble", "--preset", "fig3", "--count", "6", "--kappa-range", "1:5:2", "--t-end", "20", "--threads", "2",
        "--out", str(tmp_path / "cli"), "--quiet")
    ens = polarlab.ensemble("fig3", 6, kappas=[1, 5], t_end=20, threads=2)
    assert len(ens) == 12 and ens.complete
    with open(tmp_path / "cli" / "members.csv") as f:
        header = f.readline().strip().split(",")
        rows = [line.strip().split(",") for line in f]
    for i, name in enumerate(header):
        ref = [r[i] for r in rows]
        if name == "status":
            assert list(ens.status) == ref
        else:
            assert same_bits(getattr(ens, name), np.array([float(v) for v in ref]).astype(getattr(ens, name).dtype))
    summary = json.loads((tmp_path / "cli" / "summary.json").read_text())
    assert [k["kappa"] for k in summary["per_kappa"]] == list(ens.summary["kappa"])
    assert [k["p_polarized"] for k in summary["per_kappa"]] == list(ens.summary["p_polarized"])


def test_figure_from_run_equals_cli(tmp_path):
    cli("simulate", "--preset", "fig2", "--steps", "10000", "--out", str(tmp_path / "run"), "--quiet")
    cli("figure", "--run", str(tmp_path / "run"), "--out", str(tmp_path / "cli.png"))
    run = polarlab.simulate("fig2", steps=10000)
    png, csv = polarlab.figure(run=run, out=tmp_path / "py.png")
    assert Path(png).stat().st_size > 1000
    assert Path(csv).read_bytes() == (tmp_path / "cli.csv").read_bytes()
    _, csv2 = polarlab.figure(run=polarlab.load_run(tmp_path / "run"), out=tmp_path / "dir.svg", style="slides")
    assert Path(csv2).read_bytes() == (tmp_path / "cli.csv").read_bytes()
    with pytest.raises(ValueError, match="style"):
        polarlab.figure(run=run, out=tmp_path / "x.png", style="poster")


def test_load_sweep(tmp_path):
    con = sqlite3.connect(tmp_path / "results.sqlite")
    con.execute("CREATE TABLE runs (id TEXT PRIMARY KEY, run_index INTEGER, lr REAL, attention TEXT, "
                "eval_accuracy REAL, status TEXT NOT NULL)")
    con.executemany("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?)",
                    [("b", 1, 0.01, "softmax", None, "failed"), ("a", 0, 0.1, "sigmoid", 0.97, "done")])
    con.commit()
    con.close()
    cols = polarlab.load_sweep(tmp_path)
    assert list(cols["id"]) == ["a", "b"]
    assert same_bits(cols["lr"], [0.1, 0.01])
    assert cols["eval_accuracy"][0] == 0.97 and np.isnan(cols["eval_accuracy"][1])
    with pytest.raises(ValueError, match="results.sqlite"):
        polarlab.load_sweep(tmp_path / "none")


def test_progress_callback_and_its_exception():
    seen = []
    run = polarlab.simulate("fig2", steps=2_000_000, progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 2 and run.status == "finished"

    def stop(fraction):
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough") as e:
        polarlab.simulate("fig2", steps=10**11, progress=stop)
    assert e.value.run.status == "incomplete" and len(e.value.run) > 1


needs_train = pytest.mark.skipif(not hasattr(polarlab._polarlab, "train"), reason="built without libtorch")


@needs_train
def test_train_equals_cli_and_returns_arrays(tmp_path):
    flags = dict(steps=6, log_every=2, threads=1, attention="sigmoid_norm", heads=2, layers=2)
    cli("train", "--steps", "6", "--log-every", "2", "--threads", "1", "--attention", "sigmoid_norm",
        "--heads", "2", "--layers", "2", "--quiet", "--out", str(tmp_path / "cli"))
    tr = polarlab.train(tmp_path / "py", **flags)
    ref = polarlab.Training(str(tmp_path / "cli"))
    assert tr.summary["state"] == "finished" and tr.summary["steps"] == 6
    assert list(tr.metrics) == list(ref.metrics)
    assert same_bits(tr.metrics["step"], [2, 4, 6])
    for k in tr.metrics:
        if k != "seconds":
            assert same_bits(tr.metrics[k], ref.metrics[k]), k
    assert tr.config == json.loads((tmp_path / "cli" / "config.json").read_text())


@needs_train
def test_train_bad_keywords_raise_value_error(tmp_path):
    with pytest.raises(ValueError, match="heads: must divide d_model"):
        polarlab.train(tmp_path / "a", heads=3, steps=1)
    with pytest.raises(TypeError, match="unknown train keyword"):
        polarlab.train(tmp_path / "b", hedas=2)
    with pytest.raises(ValueError, match="attention"):
        polarlab.train(tmp_path / "c", attention="nope", steps=1)


@needs_train
@pytest.mark.parametrize("lr", [float("inf"), float("nan"), float("-inf"), -1, 0])
def test_train_refuses_a_bad_lr_with_the_cli_message_and_writes_nothing(tmp_path, lr):
    """Python's value goes through the same field check as the flag: the same words after the name."""
    out = tmp_path / "py"
    with pytest.raises(ValueError) as e:
        polarlab.train(out, lr=lr, steps=1)
    assert not out.exists()
    p = cli("train", "--steps", "1", f"--lr={lr}", "--out", str(tmp_path / "cli"), check=False)
    assert p.returncode == 2, p.stderr
    assert not (tmp_path / "cli").exists()
    cli_message = p.stderr.split("error: --lr: ", 1)[1].splitlines()[0]
    assert str(e.value) == "lr: " + cli_message


@needs_train
def test_train_refuses_what_the_cli_refuses(tmp_path):
    with pytest.raises(ValueError, match="steps and epochs"):
        polarlab.train(tmp_path / "a", steps=1, epochs=1)
    assert cli("train", "--steps", "1", "--epochs", "1", "--out", str(tmp_path / "cli"), check=False).returncode == 2
    with pytest.raises(ValueError, match="causal and non_causal: contradict each other"):
        polarlab.train(tmp_path / "b", steps=1, causal=True, non_causal=True)
    with pytest.raises(ValueError, match=r"seed: 4294967296 is out of range"):
        polarlab.train(tmp_path / "c", steps=1, seed=2**32)
    with pytest.raises(ValueError, match=r"threads: -1 is out of range"):
        polarlab.train(tmp_path / "d", steps=1, threads=-1)
    with pytest.raises(ValueError, match=r"heads: 1.5 is not an integer"):
        polarlab.train(tmp_path / "e", steps=1, heads=1.5)
    with pytest.raises(ValueError, match="aux_weight: applies to task induction only"):
        polarlab.train(tmp_path / "f", steps=1, task="classification", aux_weight=0.5)
    with pytest.raises(TypeError, match="unknown train keyword 'unknown'"):
        polarlab.train(tmp_path / "g", unknown=1)
    for d in "abcdefg":
        assert not (tmp_path / d).exists()


@needs_train
def test_train_refuses_an_unwritable_out_before_any_work(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    # The default budget (10 epochs of 100,000 sequences) takes minutes: the refusal comes before it.
    with pytest.raises(ValueError, match="out: .* is a file, not a folder"):
        polarlab.train(blocker / "run")


def test_a_reused_run_folder_keeps_nothing_of_the_run_before(tmp_path):
    """Issue 25: simulate into a folder replaces the run there as a whole; load_run returns the new run's data."""
    out = tmp_path / "run"
    cli("simulate", "--preset", "sink", "--quiet", "--out", str(out))
    assert polarlab.load_run(out).attention is not None
    cli("simulate", "--preset", "fig2", "--steps", "100", "--quiet", "--out", str(out))
    run = polarlab.load_run(out)
    assert run.config["name"] == "fig2"
    assert run.attention is None
    assert not (out / "attention.csv").exists()
    cli("simulate", "--preset", "fig2", "--dim", "8", "--steps", "100", "--quiet", "--out", str(out))
    assert polarlab.load_run(out).potentials.shape[1] == 28  # the 8·7/2 pairs
    cli("simulate", "--preset", "fig2", "--dim", "40", "--steps", "100", "--quiet", "--out", str(out))
    run = polarlab.load_run(out)
    assert run.s.shape[1] == 40
    assert run.potentials is None  # potentials.csv is written for p <= 32 only
    assert sorted(json.loads((out / "manifest.json").read_text())["files"]) == sorted(
        ["config.json", "initial_state.json", "summary.json", "trajectory.csv"])


def test_load_run_reads_only_the_files_the_manifest_lists(tmp_path):
    """A forced run beside someone's files: an older polarlab's attention.csv there is not the run's, not read."""
    out = tmp_path / "run"
    cli("simulate", "--preset", "sink", "--quiet", "--out", str(out))
    (out / "manifest.json").unlink()  # as an older polarlab wrote it
    (out / "notes.txt").write_text("mine\n")
    assert "--force" in cli_error("simulate", "--preset", "fig2", "--steps", "100", "--out", str(out))
    cli("simulate", "--preset", "fig2", "--steps", "100", "--quiet", "--force", "--out", str(out))
    assert (out / "attention.csv").exists() and (out / "notes.txt").read_text() == "mine\n"
    run = polarlab.load_run(out)
    assert run.config["name"] == "fig2" and run.attention is None
    # Saving the loaded run copies the run's files only, into a folder of its own.
    copy = tmp_path / "copy"
    run.save(copy)
    assert sorted(os.listdir(copy)) == ["config.json", "initial_state.json", "manifest.json", "potentials.csv",
                                        "summary.json", "trajectory.csv"]
    assert polarlab.load_run(copy).attention is None


def test_run_save_refuses_a_folder_that_is_not_polarlabs(tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.tex").write_text("x\n")
    run = polarlab.simulate("fig2", steps=10)
    with pytest.raises(ValueError, match="thesis.tex"):
        run.save(mine)
    assert os.listdir(mine) == ["thesis.tex"]
    run.save(tmp_path / "run")
    with pytest.raises(ValueError, match="thesis.tex"):
        polarlab.load_run(tmp_path / "run").save(mine)
    # A training run's folder is not read as a simulate run.
    (tmp_path / "run" / "manifest.json").write_text('{"polarlab": "train", "version": 1, "files": ["config.json"]}')
    with pytest.raises(ValueError, match="train"):
        polarlab.load_run(tmp_path / "run")


@pytest.mark.parametrize("args, kw", [
    (["--preset", "fig2", "--kappa", "5"], {"preset": "fig2", "kappa": 5}),
    (["--preset", "fig2", "--t-end", "50"], {"preset": "fig2", "t_end": 50}),
    (["--preset", "fig2", "--lr", "inf"], {"preset": "fig2", "lr": float("inf")}),
    (["--preset", "fig2", "--lr", "nan"], {"preset": "fig2", "lr": float("nan")}),
    (["--preset", "fig2", "--seed", "4294967296"], {"preset": "fig2", "seed": 2**32}),
    (["--preset", "fig2", "--steps", "99999999999999999999"], {"preset": "fig2", "steps": 99999999999999999999}),
])
def test_values_the_table_refuses_raise_the_cli_text(tmp_path, args, kw):
    """Issue 25: NaN, inf, wrap-around and flags without effect are refused by Python as by the CLI, same text."""
    message = cli_error("simulate", *args, "--out", str(tmp_path / "x"))
    with pytest.raises(ValueError) as e:
        polarlab.simulate(**kw)
    assert str(e.value) == message
    assert not (tmp_path / "x").exists()


def test_ensemble_options_are_checked_before_any_member_runs():
    with pytest.raises(ValueError, match="--threshold"):
        polarlab.ensemble("fig2", 10, threshold=float("nan"))
    with pytest.raises(ValueError, match="--threshold"):
        polarlab.ensemble("fig2", 10, threshold=2)
    with pytest.raises(ValueError, match="--kappa-range"):
        polarlab.ensemble("fig2", 10, kappas=[1, 2])
    with pytest.raises(ValueError, match="pass 4294967295"):
        polarlab.ensemble("fig2", 3, seed=4294967295)
    with pytest.raises(ValueError, match="--lr: applies to method gd"):
        polarlab.ensemble("fig2", 10, lr=0.1)


def test_a_prediction_only_where_the_theorem_applies():
    """Theorem 3.3 does not cover regression: fig3's summary has no predicted winner, only the reason."""
    fig3 = polarlab.simulate("fig3", steps=2000)
    assert fig3.summary["predicted_winner"] is None
    assert "does not apply" in fig3.summary["prediction_reason"]
    fig2 = polarlab.simulate("fig2", steps=2000)
    assert fig2.summary["predicted_winner"] == fig2.summary["argmax_u0"]


_PROBES = [float("nan"), float("inf"), float("-inf"), -1, 0, 10**20, 1e400, "abc", [1]]
_VALID_ZERO = ("seed", "steps")  # 0 is a seed, and 0 GD steps is a run of its initial state


@pytest.mark.parametrize("keyword", list(polarlab._OVERRIDES))
def test_every_simulate_keyword_refuses_what_no_flag_takes(keyword):
    """Issue 25's table-driven check for Python: every keyword of simulate (the experiment table's names) refuses
    NaN, infinities, negative/zero where out of range, huge and wrong-type values with ValueError naming its flag,
    before any work."""
    flag = "--" + keyword.replace("_", "-")
    for value in _PROBES:
        if keyword in _VALID_ZERO and value == 0 and not isinstance(value, (list, str)):
            continue
        with pytest.raises(ValueError) as e:
            polarlab.simulate("fig2", **{keyword: value})
        assert str(e.value).startswith(flag + ":"), (keyword, value, str(e.value))


@pytest.mark.parametrize("keyword", ["count", "threshold", "threads", "seed", "t_end", "dim"])
def test_every_ensemble_keyword_refuses_what_no_flag_takes(keyword):
    for value in [float("nan"), float("inf"), -1, 10**20, "abc"]:
        with pytest.raises(ValueError):
            polarlab.ensemble("fig2", **({"count": 10} | {keyword: value}))
