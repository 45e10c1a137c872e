"""polarlab from Python: the engine at C++ speed, the results as numpy arrays, the CLI's numbers bit for bit.

    import polarlab
    run = polarlab.simulate("fig2", steps=10**5)   # keywords as polarlab-cli simulate's flags
    run.max_s[-1], run.s.shape                     # numpy arrays, one row per record
    run.save("out/fig2")                           # the CLI's run directory
    polarlab.figure(run=run, out="fig2.pdf")

Long calls release the GIL; Ctrl-C stops a run within 0.1 s (the KeyboardInterrupt carries the partial run as
``.run``); bad input raises ValueError with the CLI's message; a numerical stop raises NumericalError (``.run``).
"""
import json as _json
import os as _os

import numpy as _np

from . import _polarlab

__all__ = ["Run", "Ensemble", "Training", "NumericalError", "presets", "simulate", "load_run", "ensemble",
           "figure", "train", "load_sweep"]

# The 1-D record columns (trajectory.csv's first columns, bound and ratio) and the records × p blocks.
SERIES = ("step", "t", "loss", "entropy", "max_s", "winner", "gamma", "gamma_integral", "bound", "ratio")
BLOCKS = ("s", "u", "a", "sv", "colnorm")


class NumericalError(RuntimeError):
    """The run stopped on a numerical fault (NaN, overflow); ``.run`` holds the records taken until then."""

    def __init__(self, message, run=None):
        super().__init__(message)
        self.run = run


class Run:
    """One simulation: numpy arrays with one entry (row) per record, and the config, initial state and summary.

    1-D: step, t, loss, entropy, max_s, winner, gamma, gamma_integral, bound, ratio.
    2-D (records × p): s, u, a; sv (records × singular values); colnorm (tied model).
    potentials: records × pairs (Φ_ij, i < j, columns potential_columns; p ≤ 32, as potentials.csv);
    attention: the sink model's final attention matrix (attention.csv).
    """

    def __init__(self, fields, native=None, source=None):
        self._native = native
        self._source = source  # the run directory it was read from (load_run)
        for k in SERIES + BLOCKS:
            setattr(self, k, fields.get(k))
        self.potentials = fields.get("potentials")
        self.potential_columns = fields.get("potential_columns") or []
        self.attention = fields.get("attention")
        self.config = fields["config"]
        self.initial_state = fields["initial_state"]
        self.summary = fields["summary"]

    @property
    def status(self):
        return self.summary.get("status", "")

    @property
    def name(self):
        return self.config.get("name", "")

    def __len__(self):
        return len(self.step)

    def __repr__(self):
        p = self.s.shape[1] if self.s is not None and self.s.ndim == 2 else 0
        last = f", max_s={self.max_s[-1]:.6g}, winner={int(self.winner[-1])}" if len(self) else ""
        return f"<polarlab.Run {self.name!r} {self.status}: {len(self)} records, p={p}{last}>"

    def columns(self):
        """trajectory.csv's columns as a dict name → 1-D array (s_0, ..., u_0, ..., sv_0, ...)."""
        out = {}
        for k in SERIES[:8]:
            out[k] = getattr(self, k)
        for k in ("s", "u", "a"):
            for i in range(getattr(self, k).shape[1]):
                out[f"{k}_{i}"] = getattr(self, k)[:, i]
        out["bound"], out["ratio"] = self.bound, self.ratio
        for k in ("sv", "colnorm"):
            block = getattr(self, k)
            if block is not None:
                for i in range(block.shape[1]):
                    out[f"{k}_{i}"] = block[:, i]
        return out

    def to_pandas(self):
        """trajectory.csv as a pandas DataFrame (needs pandas)."""
        import pandas as pd  # noqa: PLC0415 (optional dependency)

        return pd.DataFrame(self.columns())

    def save(self, dir):
        """Writes the CLI's run directory (config.json, initial_state.json, trajectory.csv, potentials.csv,
        summary.json; attention.csv for the sink model) with core's writer: the same files as polarlab-cli."""
        dir = _os.fspath(dir)
        if self._native is not None:
            self._native.save(dir)
        elif self._source is not None:
            _copy_run_directory(self._source, dir)
        else:
            raise ValueError("this run has nothing to save")
        return dir


def _run_from(d):
    fields = dict(d)
    fields["config"] = _json.loads(d["config"])
    fields["initial_state"] = _initial_state(_json.loads(d["initial_state"]))
    fields["summary"] = _json.loads(d["summary"])
    return Run(fields, native=d["native"])


def _initial_state(j):
    return {k: (_np.asarray(v, dtype=float) if isinstance(v, list) else v) for k, v in j.items()}


def presets():
    """The presets (one per paper figure): a list of dicts name, figure, description, theorem, sweep."""
    out = []
    for p in _polarlab.presets():
        p = dict(p)
        p["sweep"] = _json.loads(p["sweep"]) or {}
        out.append(p)
    return out


def _integer(name, v):
    if v is None:
        return None
    if isinstance(v, (int, _np.integer)) and not isinstance(v, bool):
        v = int(v)
    elif isinstance(v, (float, _np.floating)) and float(v).is_integer():
        v = int(v)  # steps=1e6
    else:
        raise ValueError(f"{name}: expected an integer, got {v!r}")
    if not -2**63 <= v < 2**63:  # the C++ side's 64 bits: refused here, never wrapped or a TypeError there
        raise ValueError(f"{name}: {v} is out of range")
    return v


def _number(name, v):
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float, _np.integer, _np.floating)):
        raise ValueError(f"{name}: expected a number, got {v!r}")
    return float(v)


def _text(name, v):
    if v is None or isinstance(v, str):
        return v
    raise ValueError(f"{name}: expected a string, got {v!r}")


# simulate's keywords: the experiment field table's names (core/experiment/fields.cpp), as polarlab-cli simulate's
# flags; the C++ side checks each value (type, finite, range, whether it applies) with the CLI's text.
_OVERRIDES = tuple(_polarlab.experiment_keywords())


def _plain(v):
    """numpy scalars as Python numbers, so the checks see 3 and 0.5, not a numpy type."""
    if isinstance(v, _np.bool_):
        return bool(v)
    if isinstance(v, _np.integer):
        return int(v)
    if isinstance(v, _np.floating):
        return float(v)
    return v


def _progress(progress, desc):
    """(callback, close) for progress=True (a tqdm bar when tqdm is importable), a callable (given fractions
    0..1 every 0.1 s), or False."""
    if callable(progress):
        return progress, lambda: None
    if not progress:
        return None, lambda: None
    try:
        from tqdm.auto import tqdm  # noqa: PLC0415 (optional dependency)
    except ImportError:
        return None, lambda: None
    bar = tqdm(total=1000, desc=desc, bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining}")

    def update(fraction):
        bar.n = int(round(1000 * min(max(fraction, 0.0), 1.0)))
        bar.refresh()

    return update, bar.close


def _raise_if_interrupted(d, name, result):
    """A Ctrl-C during a long call: re-raise its KeyboardInterrupt with what was done attached (.run, ...)."""
    if d["interrupt"] is not None:
        exc = d["interrupt"]
        setattr(exc, name, result)
        raise exc


def simulate(preset=None, config=None, progress=False, **overrides):
    """Runs a preset (or a config: a dict or a config.json path) to the end; returns a Run.

    Overrides are polarlab-cli simulate's flags: kappa, dim, loss, map, method, steps, lr, t_end, rtol, atol,
    records, seed (a value left out keeps the preset's). Raises ValueError on bad input, NumericalError on a
    numerical stop; Ctrl-C stops the run within 0.1 s and its KeyboardInterrupt carries the partial run (.run).
    progress=True shows a tqdm bar when tqdm is importable (or pass a callable taking the fraction done).
    """
    unknown = sorted(set(overrides) - set(_OVERRIDES))
    if unknown:
        raise TypeError(f"simulate() got unexpected keyword(s) {', '.join(unknown)} "
                        f"(allowed: {', '.join(_OVERRIDES)})")
    if preset is not None and config is not None:
        raise ValueError("preset/config: give one of preset=NAME or config=FILE|dict, not both")
    kw = {"overrides": {k: _plain(v) for k, v in overrides.items()}}
    if preset is not None:
        kw["preset"] = _text("preset", preset)
    elif isinstance(config, dict):
        kw["config_text"] = _json.dumps(config)
    elif config is not None:
        kw["config_path"] = _os.fspath(config)
    kw["progress"], close = _progress(progress, str(preset or "simulate"))
    try:
        d = _polarlab.simulate(**kw)
    finally:
        close()
    run = _run_from(d)
    _raise_if_interrupted(d, "run", run)
    if d["status"] == "failed":
        raise NumericalError(d["message"], run)
    return run


# The files polarlab-cli simulate writes into a run directory, besides manifest.json (core/io/run_directory.cpp).
_RUN_FILES = ("config.json", "initial_state.json", "trajectory.csv", "potentials.csv", "summary.json",
              "attention.csv")


def _run_files(dir):
    """The files of the run in `dir`: those its manifest.json lists (core/io/owned_folder.hpp), or, in a folder an
    older polarlab wrote (no manifest), the run files present. ValueError for another kind of polarlab output."""
    path = _os.path.join(dir, "manifest.json")
    manifest = None
    if _os.path.exists(path):
        try:
            with open(path) as f:
                manifest = _json.load(f)
        except (OSError, ValueError):
            manifest = None
        if not (isinstance(manifest, dict) and isinstance(manifest.get("polarlab"), str)
                and isinstance(manifest.get("files"), list)):
            manifest = None  # not polarlab's manifest
    if manifest is None:
        return {f for f in _RUN_FILES if _os.path.exists(_os.path.join(dir, f))}
    if manifest["polarlab"] != "run":
        raise ValueError(f"run: '{dir}' holds polarlab's {manifest['polarlab']} output, not a simulate run")
    return {f for f in manifest["files"] if isinstance(f, str)}


def _copy_run_directory(source, dir):
    """Run.save of a loaded run: its files (only the run's own) replace `dir` as a whole, as the CLI's writer does."""
    import shutil  # noqa: PLC0415

    files = sorted(_run_files(source))
    dest = _os.path.abspath(dir)
    if _os.path.exists(dest) and _os.path.samefile(source, dest):
        return
    if _os.path.exists(dest):
        if not _os.path.isdir(dest):
            raise ValueError(f"dir: '{dir}' is a file, not a folder")
        try:
            owned = _run_files(dest) | {"manifest.json"}
        except ValueError as e:
            raise ValueError(f"dir: {e}; pick another folder") from None
        other = sorted(f for f in _os.listdir(dest) if f not in owned and ".tmp" not in f)
        if other:
            raise ValueError(f"dir: '{dir}' holds {', '.join(repr(f) for f in other[:3])}, which polarlab did not "
                             "write; pick another folder, or empty it")
    parent, name = _os.path.split(dest)
    _os.makedirs(parent, exist_ok=True)
    new = _os.path.join(parent, f".{name}.polarlab-new-{_os.getpid()}")
    old = _os.path.join(parent, f".{name}.polarlab-old-{_os.getpid()}")
    shutil.rmtree(new, ignore_errors=True)
    _os.makedirs(new)
    try:
        for f in files:
            shutil.copy2(_os.path.join(source, f), _os.path.join(new, f))
        with open(_os.path.join(new, "manifest.json"), "w") as out:
            _json.dump({"polarlab": "run", "version": 1, "files": files}, out, indent=2)
            out.write("\n")
        if _os.path.exists(dest):
            _os.rename(dest, old)
        _os.rename(new, dest)
    finally:
        shutil.rmtree(new, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def load_run(dir):
    """Reads a run directory written by polarlab-cli simulate (or Run.save) into a Run: only the files of the run
    its manifest.json lists (a folder an older polarlab wrote, without one: the run files present)."""
    dir = _os.fspath(dir)
    if not _os.path.isdir(dir):
        raise ValueError(f"run: '{dir}' is not a directory")
    files = _run_files(dir)

    def read_json(name, default=None):
        path = _os.path.join(dir, name)
        if name not in files or not _os.path.exists(path):
            if default is not None:
                return default
            raise ValueError(f"run: '{path}' does not exist")
        with open(path) as f:
            return _json.load(f)

    def read_csv(name):
        path = _os.path.join(dir, name)
        with open(path) as f:
            header = f.readline().strip().split(",")
            rows = [[float(c) for c in line.split(",")] for line in f if line.strip()]
        data = _np.array(rows, dtype=float).reshape(len(rows), len(header))
        return header, data

    fields = {"config": read_json("config.json"), "summary": read_json("summary.json", {}),
              "initial_state": _initial_state(read_json("initial_state.json", {}))}
    if "trajectory.csv" not in files:
        raise ValueError(f"run: '{dir}' has no trajectory.csv of its run (not a run directory of simulate)")
    header, data = read_csv("trajectory.csv")
    col = {name: i for i, name in enumerate(header)}
    for k in SERIES:
        if k in col:
            v = data[:, col[k]]
            fields[k] = v.astype(_np.int64) if k in ("step", "winner") else v.copy()
    for k in BLOCKS:
        idx = []
        while f"{k}_{len(idx)}" in col:
            idx.append(col[f"{k}_{len(idx)}"])
        if idx or k != "colnorm":
            fields[k] = data[:, idx].copy()
    if "potentials.csv" in files:
        h, phi = read_csv("potentials.csv")
        fields["potentials"], fields["potential_columns"] = phi[:, 2:].copy(), h[2:]
    if "attention.csv" in files:
        with open(_os.path.join(dir, "attention.csv")) as f:
            fields["attention"] = _np.array([[float(c) for c in line.split(",")] for line in f if line.strip()])
    return Run(fields, source=dir)


class Ensemble:
    """An ensemble's members (one numpy column per field of the CLI's members.csv) and its per-κ summary.

    members: kappa, seed, max_s, entropy, loss, winner, predicted_winner, status ("ok", "failed", "not run");
    summary: kappa, count, failed, p_polarized, p_predicted_winner, max_s_mean, max_s_q10, max_s_q50, max_s_q90.
    The member columns are attributes too (ens.max_s).
    """

    def __init__(self, d):
        self.members = dict(d["members"])
        self.members["status"] = _np.array(self.members["status"], dtype=object)
        self.summary = dict(d["summary"])
        self.base_config = _json.loads(d["base_config"])
        self.seconds = d["seconds"]
        self.complete = d["complete"]
        for k, v in self.members.items():
            setattr(self, k, v)

    def __len__(self):
        return len(self.seed)

    def __repr__(self):
        return (f"<polarlab.Ensemble {self.base_config.get('name', '')!r}: {len(self)} members, "
                f"{len(self.summary['kappa'])} kappa, {self.seconds:.3g} s>")

    def to_pandas(self):
        """(members, summary) as pandas DataFrames (needs pandas)."""
        import pandas as pd  # noqa: PLC0415

        return pd.DataFrame(self.members), pd.DataFrame(self.summary)


def ensemble(preset, count, kappas=None, method="flow", t_end=None, seed=0, threads=0, *, lr=None, steps=None,
             dim=None, threshold=0.9, progress=False):
    """Integrates `count` initializations (seeds seed .. seed+count-1) of a preset per κ, in parallel, as
    polarlab-cli ensemble; returns an Ensemble. kappas: the κ values (regression presets; default the preset's)."""
    if kappas is not None:
        kappas = [_number("kappas", k) for k in _np.atleast_1d(_np.asarray(kappas, dtype=object))]
    callback, close = _progress(progress, f"ensemble {preset}")
    try:
        keywords = {k: _plain(v) for k, v in (("method", method), ("t_end", t_end), ("lr", lr), ("steps", steps),
                                              ("dim", dim)) if v is not None}
        d = _polarlab.ensemble(_text("preset", preset), _integer("count", count), kappas, keywords,
                               _integer("seed", seed), _integer("threads", threads), _number("threshold", threshold),
                               callback)
    finally:
        close()
    ens = Ensemble(d)
    _raise_if_interrupted(d, "ensemble", ens)
    return ens


def figure(preset=None, run=None, out="figure.png", style="paper", kind=None, dpi=300):
    """Draws a paper figure (PNG, SVG or PDF, from out's extension) and its data CSV beside it, as
    polarlab-cli figure: from run (a Run, a run directory, or a list of them: sweep members) or by running the
    preset. Returns (figure path, csv path)."""
    runs = [] if run is None else (list(run) if isinstance(run, (list, tuple)) else [run])
    natives, dirs = [], []
    for r in runs:
        if isinstance(r, Run):
            if r._native is not None:
                natives.append(r._native)
            elif r._source is not None:
                dirs.append(r._source)
            else:
                raise ValueError("run: this Run has neither records in memory nor a run directory")
        else:
            dirs.append(_os.fspath(r))
    if natives and dirs:
        raise ValueError("run: give Runs from simulate() or run directories, not both")
    out = _os.fspath(out)
    return _polarlab.figure(preset, natives, dirs, out, style, kind, _number("dpi", dpi))


class Training:
    """A transformer training's results: .summary (summary.json as a dict), .metrics (metrics.csv: one numpy
    column per header name, one entry per logged step), .config (config.json), .dir (the run directory)."""

    def __init__(self, dir):
        self.dir = dir
        with open(_os.path.join(dir, "summary.json")) as f:
            self.summary = _json.load(f)
        with open(_os.path.join(dir, "config.json")) as f:
            self.config = _json.load(f)
        with open(_os.path.join(dir, "metrics.csv")) as f:
            header = f.readline().strip().split(",")
            rows = [[float(c) if c else _np.nan for c in line.strip().split(",")] for line in f if line.strip()]
        data = _np.array(rows, dtype=float).reshape(len(rows), len(header))
        self.metrics = {name: data[:, i].copy() for i, name in enumerate(header)}
        for k in ("step", "epoch"):
            if k in self.metrics:
                self.metrics[k] = self.metrics[k].astype(_np.int64)

    def __repr__(self):
        return (f"Training({self.summary.get('task')}/{self.summary.get('attention')}, {self.summary.get('state')} "
                f"after {self.summary.get('steps')} steps, eval accuracy {self.summary.get('eval_accuracy')})")


def train(out, resume=False, progress=False, **flags):
    """Trains a transformer of the paper's section 4 into the run directory `out`, as polarlab-cli train does.

    Keywords are train's flags with '_' for '-' (task, attention, heads, layers, lr, aux_weight, steps or epochs,
    seed, threads, device, no_mlp=True, ...; a config.json key is accepted too). Returns a Training (summary and
    metrics as arrays). Needs the libtorch plugin (a build with libtorch). Every value is checked before any work,
    as polarlab-cli train checks its flags: ValueError with the CLI's message naming the keyword for a value out
    of range or not finite (lr=float('inf')), a field given twice (causal=True with non_causal=True), steps with
    epochs, a value for the other task (aux_weight with task='classification'), or an `out` that cannot be
    written; TypeError for an unknown keyword.
    Ctrl-C stops after a checkpoint (resume=True continues); the KeyboardInterrupt carries the Training (.training).
    """
    if not hasattr(_polarlab, "train"):
        raise RuntimeError("this polarlab was built without the transformer lab (POLARLAB_TORCH=OFF)")
    keywords = []
    for k, v in flags.items():
        if isinstance(v, _np.generic):
            v = v.item()
        if isinstance(v, (list, tuple)):
            v = [x.item() if isinstance(x, _np.generic) else x for x in v]  # checked in C++: 1.5 is refused
        keywords.append((k, _json.dumps(v)))
    out = _os.fspath(out)
    cb, close = _progress(progress, "train")
    try:
        d = _polarlab.train(keywords, out, resume, cb)
    finally:
        close()
    result = Training(out) if _os.path.exists(_os.path.join(out, "summary.json")) else None
    _raise_if_interrupted(d, "training", result)
    return result


def load_sweep(dir):
    """A sweep's results database (DIR/results.sqlite, written by polarlab-cli sweep collect) as columns:
    a dict column → numpy array (numbers as float64 with NaN for NULL, text as object arrays with None)."""
    import sqlite3  # noqa: PLC0415

    path = _os.path.join(_os.fspath(dir), "results.sqlite")
    if not _os.path.exists(path):
        raise ValueError(f"sweep: '{path}' does not exist (run 'polarlab-cli sweep collect' first)")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cur = con.execute("SELECT * FROM runs ORDER BY run_index")
        names = [c[0] for c in cur.description]
        rows = cur.fetchall()
        types = {r[1]: (r[2] or "").upper() for r in con.execute("PRAGMA table_info(runs)")}
    finally:
        con.close()
    out = {}
    for i, name in enumerate(names):
        values = [r[i] for r in rows]
        if types.get(name) in ("INTEGER", "REAL"):
            out[name] = _np.array([_np.nan if v is None else v for v in values], dtype=float)
        else:
            out[name] = _np.array(values, dtype=object)
    return out
