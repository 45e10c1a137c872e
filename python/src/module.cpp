// polarlab._polarlab: the engine for Python. The public API (polarlab/__init__.py) wraps these functions: it turns
// the JSON texts into dicts, builds the Run and Ensemble objects and raises NumericalError / KeyboardInterrupt with
// what was done attached. Every array handed out is a new numpy array (owned by Python, copied from the records).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/assets.hpp"
#include "core/experiment/fields.hpp"
#include "core/experiment/presets.hpp"
#include "core/experiment/runner.hpp"
#include "core/io/run_directory.hpp"
#include "core/job/job.hpp"
#include "python/src/watch.hpp"
#ifdef HAVE_POLARLAB_ENSEMBLE
#include "core/ensemble/ensemble.hpp"
#endif
#ifdef HAVE_POLARLAB_FIGURE
#include "core/figure/figure.hpp"
#endif
#ifdef HAVE_POLARLAB_TRANSFORMER
#include "core/transformer/config_table.hpp"
#include "core/transformer/train_run.hpp"
#include "core/util/checked_values.hpp"
#endif

namespace polarlab::python {
namespace {

// A finished (or stopped) simulation: the Runner stays so that save() writes with core's writer.
struct NativeRun {
  std::shared_ptr<Runner> runner;
  nlohmann::json extra;  // summary.json's timings, as the CLI writes them
};

template <class F>
py::array_t<double> column(const std::vector<Record>& rs, F f) {
  py::array_t<double> out(static_cast<py::ssize_t>(rs.size()));
  auto v = out.mutable_unchecked<1>();
  for (std::size_t i = 0; i < rs.size(); ++i) v(static_cast<py::ssize_t>(i)) = f(rs[i]);
  return out;
}

template <class F>
py::array_t<std::int64_t> int_column(const std::vector<Record>& rs, F f) {
  py::array_t<std::int64_t> out(static_cast<py::ssize_t>(rs.size()));
  auto v = out.mutable_unchecked<1>();
  for (std::size_t i = 0; i < rs.size(); ++i) v(static_cast<py::ssize_t>(i)) = f(rs[i]);
  return out;
}

// records × size, row i from f(record i) (a Vec).
template <class F>
py::array_t<double> matrix(const std::vector<Record>& rs, Index cols, F f) {
  py::array_t<double> out({static_cast<py::ssize_t>(rs.size()), static_cast<py::ssize_t>(cols)});
  auto v = out.mutable_unchecked<2>();
  for (std::size_t i = 0; i < rs.size(); ++i) {
    const Vec& x = f(rs[i]);
    for (Index j = 0; j < cols; ++j) v(static_cast<py::ssize_t>(i), j) = j < x.size() ? x(j) : 0.0;
  }
  return out;
}

py::array_t<double> dense(const Mat& m) {
  py::array_t<double> out({static_cast<py::ssize_t>(m.rows()), static_cast<py::ssize_t>(m.cols())});
  auto v = out.mutable_unchecked<2>();
  for (Index r = 0; r < m.rows(); ++r)
    for (Index c = 0; c < m.cols(); ++c) v(r, c) = m(r, c);
  return out;
}

const char* state_name(RunState s) {
  return s == RunState::finished ? "finished" : s == RunState::failed ? "failed" : "incomplete";
}

// The arrays, texts and handle of a run (the Run object's contents).
py::dict run_contents(const std::shared_ptr<NativeRun>& native) {
  const Runner& runner = *native->runner;
  const Experiment& ex = runner.experiment();
  const auto& rs = runner.records();
  const Index p = ex.model->p();
  py::dict d;
  d["step"] = int_column(rs, [](const Record& r) { return r.step; });
  d["t"] = column(rs, [](const Record& r) { return r.t; });
  d["loss"] = column(rs, [](const Record& r) { return r.loss; });
  d["entropy"] = column(rs, [](const Record& r) { return r.entropy; });
  d["max_s"] = column(rs, [](const Record& r) { return r.max_s; });
  d["winner"] = int_column(rs, [](const Record& r) { return static_cast<std::int64_t>(r.winner); });
  d["gamma"] = column(rs, [](const Record& r) { return r.gamma; });
  d["gamma_integral"] = column(rs, [](const Record& r) { return r.gamma_integral; });
  d["bound"] = column(rs, [](const Record& r) { return r.bound; });
  d["ratio"] = column(rs, [](const Record& r) { return r.ratio; });
  d["s"] = matrix(rs, p, [](const Record& r) -> const Vec& { return r.s; });
  d["u"] = matrix(rs, p, [](const Record& r) -> const Vec& { return r.u; });
  d["a"] = matrix(rs, p, [](const Record& r) -> const Vec& { return r.a; });
  const Index k = rs.empty() ? 0 : rs.front().singular_values.size();
  d["sv"] = matrix(rs, k, [](const Record& r) -> const Vec& { return r.singular_values; });
  if (ex.config.model == ModelKind::tied)
    d["colnorm"] = matrix(rs, p, [](const Record& r) -> const Vec& { return r.column_norms; });
  // Φ_ij (i < j) as potentials.csv has them: only for p ≤ 32.
  if (p <= 32) {
    const Index pairs = p * (p - 1) / 2;
    py::array_t<double> phi({static_cast<py::ssize_t>(rs.size()), static_cast<py::ssize_t>(pairs)});
    auto v = phi.mutable_unchecked<2>();
    for (std::size_t n = 0; n < rs.size(); ++n) {
      const Mat m = lyapunov_potential(ex.config.map, rs[n].a, rs[n].u);
      Index c = 0;
      for (Index i = 0; i < p; ++i)
        for (Index j = i + 1; j < p; ++j) v(static_cast<py::ssize_t>(n), c++) = m(i, j);
    }
    py::list names;
    for (Index i = 0; i < p; ++i)
      for (Index j = i + 1; j < p; ++j) names.append("phi_" + std::to_string(i) + "_" + std::to_string(j));
    d["potentials"] = phi;
    d["potential_columns"] = names;
  }
  if (ex.config.model == ModelKind::sink && !rs.empty()) d["attention"] = dense(rs.back().attention);
  d["config"] = config_to_json(ex.config).dump();
  d["initial_state"] = initial_state_json(ex).dump();
  d["summary"] = run_summary_json(runner, native->extra).dump();
  d["status"] = state_name(runner.status().state);
  d["message"] = runner.status().message;
  d["native"] = native;
  return d;
}

// Keyword values checked by the experiment table as the CLI checks its flags, with the CLI's text: each value is
// spelled as Python prints it (an integral float as an integer: steps=1e6) and read as that flag's text.
ExperimentOverrides overrides_of(const py::dict& kw) {
  ExperimentOverrides o;
  for (const auto& [k, v] : kw) {
    const std::string name = py::str(k);
    const ExperimentField* f = experiment_field(name);
    if (!f || !f->flag) {
      o.set_json(name, nullptr, name);  // throws: unknown, with the allowed names
      continue;
    }
    std::string text = py::str(v);
    if (f->type == FieldType::integer && py::isinstance<py::float_>(v)) {
      const double x = v.cast<double>();
      if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9.2e18) text = std::to_string(static_cast<long long>(x));
    }
    o.set_text(name, text, flag_of(*f));
  }
  return o;
}

ExperimentConfig resolve(const std::optional<std::string>& preset, const std::optional<std::string>& config_path,
                         const std::optional<std::string>& config_text, const ExperimentOverrides& o) {
  if (preset) {
    cli::require_presets_folder();
    return resolve_experiment(*preset, o);
  }
  if (config_path) return resolve_experiment_config(read_json_file(*config_path), o, *config_path);
  if (config_text) {
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(*config_text);
    } catch (const nlohmann::json::exception& e) {
      throw ConfigError("config", std::string("not valid JSON: ") + e.what());
    }
    return resolve_experiment_config(std::move(j), o, "config");
  }
  throw ConfigError("preset/config", "give one of preset=NAME or config=FILE|dict");
}

// Runs to the end (or a cancel) in slices of 20 ms, so a cancel is seen within one slice.
py::dict simulate(const std::optional<std::string>& preset, const std::optional<std::string>& config_path,
                  const std::optional<std::string>& config_text, const ExperimentOverrides& o,
                  const py::object& progress) {
  const ExperimentConfig cfg = resolve(preset, config_path, config_text, o);
  auto native = std::make_shared<NativeRun>();
  {
    py::gil_scoped_release release;  // drawing the initial state of a large model takes a while
    native->runner = std::make_shared<Runner>(cfg);
  }
  Runner& runner = *native->runner;
  JobControl job;
  const double t0 = monotonic_seconds();
  std::function<void()> tick;
  if (!progress.is_none()) tick = [&] { progress(job.fraction()); };
  py::object interrupt = run_watched(
      job,
      [&] {
        while (!runner.done() && !job.cancel_requested()) {
          runner.advance(Budget{.max_seconds = 0.02});
          runner.report(job);
        }
      },
      tick);
  if (!progress.is_none() && interrupt.is_none()) progress(1.0);
  const double seconds = monotonic_seconds() - t0;
  native->extra["wall_seconds"] = seconds;
  if (cfg.method == Method::gd && seconds > 0)
    native->extra["steps_per_second"] = static_cast<double>(runner.steps_taken()) / seconds;
  py::dict d = run_contents(native);
  d["interrupt"] = interrupt;
  return d;
}

void save(const NativeRun& run, const std::string& dir) {
  py::gil_scoped_release release;
  write_run_directory(dir, *run.runner, run.extra);
}

py::list presets() {
  cli::require_presets_folder();
  py::list out;
  for (const PresetInfo& p : list_presets()) {
    py::dict d;
    d["name"] = p.name;
    d["figure"] = p.figure;
    d["description"] = p.description;
    d["theorem"] = p.theorem;
    d["sweep"] = p.sweep.dump();
    out.append(d);
  }
  return out;
}

#ifdef HAVE_POLARLAB_ENSEMBLE
py::dict ensemble(const std::string& preset, long long count, const std::optional<std::vector<double>>& kappas,
                  const py::dict& keywords, long long seed, long long threads, double threshold,
                  const py::object& progress) {
  cli::require_presets_folder();
  // method (default flow), t_end, lr, steps, dim: the experiment table's keywords, as ensemble's flags.
  const ExperimentConfig base = resolve_experiment(preset, overrides_of(keywords));
  if (count < 1 || count > 10'000'000) throw ConfigError("count", "must be between 1 and 10000000");
  if (threads < 0 || threads > 256) throw ConfigError("threads", "must be in [0, 256] (0: all cores)");
  EnsembleOptions opt;
  opt.count = static_cast<int>(count);
  opt.first_seed = seed;
  opt.threads = static_cast<int>(threads);
  opt.polarized_threshold = threshold;
  if (kappas) opt.kappas = *kappas;
  check_ensemble_options(base, opt);  // the CLI's checks and texts: threshold in (0, 1), seeds without wrap, ...
  JobControl job;
  EnsembleResult res;
  std::function<void()> tick;
  if (!progress.is_none()) tick = [&] { progress(job.fraction()); };
  py::object interrupt = run_watched(job, [&] { res = run_ensemble(base, opt, &job); }, tick);
  if (!progress.is_none() && interrupt.is_none()) progress(1.0);

  const auto n = static_cast<py::ssize_t>(res.members.size());
  py::array_t<double> kappa(n), max_s(n), entropy(n), loss(n);
  py::array_t<std::int64_t> seeds(n), winner(n), predicted(n);
  py::list status;
  for (py::ssize_t i = 0; i < n; ++i) {
    const EnsembleMember& m = res.members[static_cast<std::size_t>(i)];
    kappa.mutable_at(i) = m.kappa;
    seeds.mutable_at(i) = m.seed;
    max_s.mutable_at(i) = m.max_s;
    entropy.mutable_at(i) = m.entropy;
    loss.mutable_at(i) = m.loss;
    winner.mutable_at(i) = m.winner;
    predicted.mutable_at(i) = m.predicted_winner;
    status.append(m.ok ? "ok" : m.done ? "failed" : "not run");
  }
  py::dict members;
  members["kappa"] = kappa, members["seed"] = seeds, members["max_s"] = max_s, members["entropy"] = entropy;
  members["loss"] = loss, members["winner"] = winner, members["predicted_winner"] = predicted;
  members["status"] = status;

  const auto k = static_cast<py::ssize_t>(res.summaries.size());
  py::array_t<double> s_kappa(k), p_pol(k), p_win(k), mean(k), q10(k), q50(k), q90(k);
  py::array_t<std::int64_t> s_count(k), s_failed(k);
  for (py::ssize_t i = 0; i < k; ++i) {
    const EnsembleSummary& s = res.summaries[static_cast<std::size_t>(i)];
    s_kappa.mutable_at(i) = s.kappa, s_count.mutable_at(i) = s.count, s_failed.mutable_at(i) = s.failed;
    p_pol.mutable_at(i) = s.p_polarized, p_win.mutable_at(i) = s.p_predicted_winner;
    mean.mutable_at(i) = s.max_s_mean, q10.mutable_at(i) = s.max_s_q10, q50.mutable_at(i) = s.max_s_q50;
    q90.mutable_at(i) = s.max_s_q90;
  }
  py::dict summary;
  summary["kappa"] = s_kappa, summary["count"] = s_count, summary["failed"] = s_failed;
  summary["p_polarized"] = p_pol, summary["p_predicted_winner"] = p_win, summary["max_s_mean"] = mean;
  summary["max_s_q10"] = q10, summary["max_s_q50"] = q50, summary["max_s_q90"] = q90;

  py::dict d;
  d["members"] = members;
  d["summary"] = summary;
  d["base_config"] = config_to_json(base).dump();
  d["seconds"] = res.seconds;
  d["complete"] = res.complete();
  d["interrupt"] = interrupt;
  return d;
}
#endif

#ifdef HAVE_POLARLAB_FIGURE
// Draws `kind` (default: the preset's) from runs in memory, run directories, or a preset run here; returns the
// paths written (the figure, its CSV).
py::tuple draw_figure(const std::optional<std::string>& preset, const std::vector<std::shared_ptr<NativeRun>>& natives,
                      const std::vector<std::string>& dirs, const std::string& out, const std::string& style,
                      const std::optional<std::string>& kind_in, double dpi) {
  namespace pf = polarlab::figure;
  pf::RenderOptions opt;
  opt.style = pf::style_by_name(style);
  if (!(dpi >= 10 && dpi <= 2400)) throw ConfigError("dpi", "must be in [10, 2400]");
  opt.dpi = dpi;
  opt.format = pf::format_from_path(out);
  std::string kind = kind_in ? pf::canonical_kind(*kind_in) : "";
  std::vector<pf::RunData> runs;
  for (const auto& n : natives)
    runs.push_back({n->runner->experiment().config, n->runner->facts(), n->runner->records(), ""});
  for (const auto& dir : dirs) runs.push_back(pf::read_run_directory(dir));
  if (runs.empty()) {
    if (!preset) throw ConfigError("preset", "give preset=NAME or run=RUN");
    cli::require_presets_folder();
    const std::string name = *preset == "fig12" ? "fig3" : *preset;
    if (kind.empty()) kind = pf::default_kind_for_preset(*preset);
    py::gil_scoped_release release;
    runs = pf::run_preset(name);
  } else if (kind.empty()) {
    kind = pf::default_kind_for_preset(preset ? *preset : runs.front().config.name);
  }
  {
    py::gil_scoped_release release;
    if (auto dir = std::filesystem::path(out).parent_path(); !dir.empty()) std::filesystem::create_directories(dir);
    pf::render_records(kind, runs, out, opt);
  }
  return py::make_tuple(out, pf::csv_path_for(out));
}
#endif

#ifdef HAVE_POLARLAB_TRANSFORMER
namespace tf = polarlab::transformer;

// A keyword's name for a train flag: "--aux-weight" -> "aux_weight".
std::string keyword_of(const std::string& flag) {
  std::string k = flag.substr(flag.find_first_not_of('-'));
  std::replace(k.begin(), k.end(), '-', '_');
  return k;
}

// A keyword's value as JSON; Python's json.dumps writes inf and NaN as Infinity and NaN, which are not JSON:
// they become the numbers, so that the field's check refuses them with the CLI's words.
nlohmann::json keyword_value(const std::string& text) {
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  return nlohmann::json::parse(text);
}

// `polarlab-cli train`'s flags as keywords (a config.json key is accepted too); values are JSON texts. Every
// value is checked as the CLI checks the flag (the field table's ranges, a field given twice, steps with epochs,
// a value for the other task), naming the keyword: ValueError; an unknown keyword: TypeError.
tf::TrainConfig train_config(const std::vector<std::pair<std::string, std::string>>& keywords) {
  std::vector<tf::GivenValue> values;
  for (const auto& [name, text] : keywords) {
    const tf::ConfigField* found = nullptr;
    bool negate = false;
    for (const tf::ConfigField& f : tf::config_fields()) {
      if ((!f.flag.empty() && keyword_of(f.flag) == name) || f.key == name) found = &f;
      else if (!f.negated_flag.empty() && keyword_of(f.negated_flag) == name) found = &f, negate = true;
      if (found) break;
    }
    if (!found) {
      std::string allowed;
      for (const tf::ConfigField& f : tf::config_fields()) {
        if (!f.flag.empty()) allowed += (allowed.empty() ? "" : ", ") + keyword_of(f.flag);
        if (!f.negated_flag.empty()) allowed += ", " + keyword_of(f.negated_flag);
      }
      throw py::type_error("train() got an unknown train keyword '" + name + "' (allowed: " + allowed + ")");
    }
    nlohmann::json v;
    try {
      v = keyword_value(text);
    } catch (const nlohmann::json::exception&) {
      throw ConfigError(name, "cannot read the value " + text);
    }
    if (negate && !v.is_boolean()) throw ConfigError(name, "takes True or False");
    values.push_back({found, negate ? nlohmann::json(!v.get<bool>()) : v, name});
  }
  tf::TrainConfig c = tf::train_config_from_values(values);
  tf::validate(c);
  return c;
}

py::dict train(const std::vector<std::pair<std::string, std::string>>& keywords, const std::string& out,
               bool resume, const py::object& progress) {
  const tf::TrainConfig cfg = train_config(keywords);
  checked::check_writable_folder(out, "out");  // before the data and the model are built
  JobControl job;
  std::atomic<bool> cancel{false};
  tf::TrainRunOptions ro;
  ro.out = out;
  ro.resume = resume;
  ro.cancel = &cancel;
  ro.report = [&](const tf::Progress& p, const tf::MetricsRow*) {
    job.set_progress(p.step.load(), p.total.load());
    if (job.cancel_requested()) cancel = true;  // stops after a checkpoint, as Ctrl-C does in the CLI
  };
  tf::TrainRunResult r;
  std::function<void()> tick;
  if (!progress.is_none()) tick = [&] { progress(job.fraction()); };
  py::object interrupt = run_watched(job, [&] { r = tf::train_to_directory(cfg, ro); }, tick);
  py::dict d;
  d["state"] = std::string(tf::name_of(r.state));
  d["summary"] = r.summary.dump();
  d["interrupt"] = interrupt;
  return d;
}
#endif

}  // namespace
}  // namespace polarlab::python

PYBIND11_MODULE(_polarlab, m) {
  using namespace polarlab;
  using namespace polarlab::python;
  m.doc() = "polarlab's engine (use the polarlab package, not this module)";
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ConfigError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const nlohmann::json::exception& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
  py::class_<NativeRun, std::shared_ptr<NativeRun>>(m, "NativeRun")
      .def("save", &save, py::arg("dir"));
  m.def("presets", &presets);
  m.def("assets_dir", &assets_dir);
  m.def(
      "simulate",
      [](std::optional<std::string> preset, std::optional<std::string> config_path,
         std::optional<std::string> config_text, const py::dict& overrides, py::object progress) {
        return simulate(preset, config_path, config_text, overrides_of(overrides), progress);
      },
      py::arg("preset") = py::none(), py::arg("config_path") = py::none(), py::arg("config_text") = py::none(),
      py::arg("overrides") = py::dict(),
      py::arg("progress") = py::none());
#ifdef HAVE_POLARLAB_ENSEMBLE
  m.def("ensemble", &ensemble, py::arg("preset"), py::arg("count"), py::arg("kappas") = py::none(),
        py::arg("keywords") = py::dict(), py::arg("seed") = 0, py::arg("threads") = 0, py::arg("threshold") = 0.9,
        py::arg("progress") = py::none());
  // The experiment table's keyword names (simulate's flags), for the Python layer's TypeError on unknown ones.
  m.def("experiment_keywords", [] {
    std::vector<std::string> names;
    for (const ExperimentField& f : experiment_fields())
      if (f.flag) names.push_back(f.name);
    return names;
  });
#endif
#ifdef HAVE_POLARLAB_TRANSFORMER
  m.def("train", &train, py::arg("keywords"), py::arg("out"), py::arg("resume") = false,
        py::arg("progress") = py::none());
#endif
#ifdef HAVE_POLARLAB_FIGURE
  m.def("figure", &draw_figure, py::arg("preset"), py::arg("natives"), py::arg("dirs"), py::arg("out"),
        py::arg("style"), py::arg("kind"), py::arg("dpi"));
#endif
}
