#include "core/init/initial_state.hpp"

#include <algorithm>
#include <numeric>

#include "core/init/numpy_legacy_rng.hpp"
#include "core/map/map.hpp"

namespace polarlab {

namespace {

struct Shapes {
  Index v_rows, v_cols;  // value matrix
  Index a_rows, a_cols;  // logits (a_cols = 1 for a vector; sink: T×T)
  Index d;               // β dimension
  Index n;               // rows of X
};

Shapes shapes_of(const ExperimentConfig& c) {
  Shapes s{};
  s.d = c.d;
  s.n = c.n > 0 ? c.n : c.d;
  switch (c.model) {
    case ModelKind::sink:
      s.v_rows = c.p, s.v_cols = c.d, s.a_rows = c.p, s.a_cols = c.p;
      break;
    case ModelKind::tied:
      s.v_rows = c.p, s.v_cols = c.p, s.a_rows = c.p, s.a_cols = 1;
      break;
    default:
      s.v_rows = c.d, s.v_cols = c.p, s.a_rows = c.p, s.a_cols = 1;
  }
  return s;
}

void append_targets(const ExperimentConfig& c, std::vector<InitDraw>& out) {
  auto has = [&](DrawTarget w) {
    return std::any_of(out.begin(), out.end(), [&](const InitDraw& d) { return d.what == w; });
  };
  if (c.model == ModelKind::regression) {
    if (!has(DrawTarget::X)) out.push_back({.what = DrawTarget::X});
    if (!has(DrawTarget::y)) out.push_back({.what = DrawTarget::y});
  } else if (c.loss == LossKind::cross_entropy) {
    if (!has(DrawTarget::p_star)) out.push_back({.what = DrawTarget::p_star, .scale = c.p_star_scale});
  } else if (!has(DrawTarget::beta_star)) {
    out.push_back({.what = DrawTarget::beta_star, .normalize = true});
  }
}

void reorder_by_u0(const ExperimentConfig& c, InitialState& st, const Vec& beta_star_dir) {
  Vec u = c.model == ModelKind::sink ? Vec(st.params.V * beta_star_dir)
                                     : Vec(st.params.V.transpose() * beta_star_dir);
  std::vector<Index> order(static_cast<std::size_t>(u.size()));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](Index i, Index j) { return u(i) > u(j); });
  // Coordinate k of the new labelling is old coordinate order[static_cast<std::size_t>(k)].
  Mat V = st.params.V;
  if (c.model == ModelKind::sink) {
    for (Index k = 0; k < u.size(); ++k) st.params.V.row(k) = V.row(order[static_cast<std::size_t>(k)]);
    Mat A = st.params.A;
    for (Index r = 0; r < u.size(); ++r)
      for (Index q = 0; q < u.size(); ++q) st.params.A(r, q) = A(order[static_cast<std::size_t>(r)], order[static_cast<std::size_t>(q)]);
  } else {
    Vec a = st.params.a;
    for (Index k = 0; k < u.size(); ++k) {
      st.params.V.col(k) = V.col(order[static_cast<std::size_t>(k)]);
      st.params.a(k) = a(order[static_cast<std::size_t>(k)]);
    }
  }
}

}  // namespace

Mat condition_design(const Mat& X_raw, double kappa) {
  Eigen::JacobiSVD<Mat> svd(X_raw, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Index m = std::min(X_raw.rows(), X_raw.cols());
  Vec sv(m);
  for (Index i = 0; i < m; ++i) sv(i) = m == 1 ? 1.0 : 1.0 + (1.0 / kappa - 1.0) * i / static_cast<double>(m - 1);
  return svd.matrixU() * sv.asDiagonal() * svd.matrixV().transpose();
}

std::vector<InitDraw> expand_init_recipe(const ExperimentConfig& c) {
  const auto& in = c.init;
  std::vector<InitDraw> out;
  if (in.kind == InitKind::recipe) {
    out = in.recipe;
  } else if (in.kind == InitKind::assumption_3_4) {
    out.push_back({.what = DrawTarget::V, .fill = DrawFill::zero, .skip = true});
    out.push_back({.what = DrawTarget::a, .scale = in.a_scale, .mean = in.a_mean});
  } else if (in.kind == InitKind::gaussian) {
    out.push_back({.what = DrawTarget::V, .scale = in.v_scale});
    out.push_back({.what = DrawTarget::a, .scale = in.a_scale, .mean = in.a_mean});
  } else {  // assumption_3_1 and explicit: V random, a(0) = 0 (drawn and discarded, as the official code)
    out.push_back({.what = DrawTarget::V, .scale = in.v_scale});
    out.push_back({.what = DrawTarget::a, .scale = 0.0, .fill = DrawFill::zero});
  }
  append_targets(c, out);
  return out;
}

InitialState make_initial_state(const ExperimentConfig& c) {
  const Shapes sh = shapes_of(c);
  NumpyLegacyRng rng(c.seed);
  InitialState st;
  st.params.V = Mat::Zero(sh.v_rows, sh.v_cols);
  if (c.model == ModelKind::sink) st.params.A = Mat::Zero(sh.a_rows, sh.a_cols);
  else st.params.a = Vec::Zero(sh.a_rows);
  Mat X_raw;

  for (const InitDraw& d : expand_init_recipe(c)) {
    if (d.what == DrawTarget::reseed) {
      rng.seed_with(d.seed);
    } else if (d.what == DrawTarget::V) {
      Mat V = d.skip ? Mat::Zero(sh.v_rows, sh.v_cols)
                     : (d.transpose ? Mat(rng.randn(sh.v_cols, sh.v_rows).transpose())
                                    : rng.randn(sh.v_rows, sh.v_cols));
      V = (d.mean + d.scale * V.array()).matrix();
      if (d.fill == DrawFill::zero) V.setZero();
      if (d.fill == DrawFill::identity) V.setIdentity();
      st.params.V = V;
    } else if (d.what == DrawTarget::a) {
      Mat a = d.skip ? Mat::Zero(sh.a_rows, sh.a_cols) : rng.randn(sh.a_rows, sh.a_cols);
      a = (d.mean + d.scale * a.array()).matrix();
      if (d.fill == DrawFill::zero) a.setZero();
      if (c.model == ModelKind::sink) st.params.A = a;
      else st.params.a = a.col(0);
    } else if (d.what == DrawTarget::beta_star) {
      Vec b = d.mean + d.scale * rng.randn(sh.d).array();
      if (d.normalize) b /= b.norm();
      st.beta_star = b;
    } else if (d.what == DrawTarget::X) {
      X_raw = rng.randn(sh.n, sh.d);
    } else if (d.what == DrawTarget::y) {
      st.y = d.mean + d.scale * rng.randn(sh.n).array();
    } else if (d.what == DrawTarget::p_star) {
      Vec logits = d.scale * rng.rand(sh.d).array();
      softmax(logits, st.p_star);
    }
  }
  if (X_raw.size() > 0) st.X = condition_design(X_raw, c.kappa);

  // Explicit values override the drawn ones.
  const auto& in = c.init;
  auto check = [](const char* field, Index rows, Index cols, Index want_rows, Index want_cols) {
    if (rows != want_rows || cols != want_cols)
      throw ConfigError(field, "has shape " + std::to_string(rows) + "x" + std::to_string(cols) +
                                   ", the model needs " + std::to_string(want_rows) + "x" +
                                   std::to_string(want_cols));
  };
  if (in.V) check("init.V", in.V->rows(), in.V->cols(), sh.v_rows, sh.v_cols), st.params.V = *in.V;
  if (in.A) check("init.A", in.A->rows(), in.A->cols(), sh.a_rows, sh.a_cols), st.params.A = *in.A;
  if (in.a) check("init.a", in.a->size(), 1, sh.a_rows, 1), st.params.a = *in.a;
  if (in.beta_star) check("init.beta_star", in.beta_star->size(), 1, sh.d, 1), st.beta_star = *in.beta_star;
  if (in.y) check("init.y", in.y->size(), 1, sh.n, 1), st.y = *in.y;
  if (in.X) check("init.X", in.X->rows(), in.X->cols(), sh.n, sh.d), st.X = *in.X;
  if (in.p_star) {
    check("init.p_star", in.p_star->size(), 1, sh.d, 1);
    if ((in.p_star->array() < 0.0).any() || std::abs(in.p_star->sum() - 1.0) > 1e-9)
      throw ConfigError("init.p_star", "must be a probability vector (entries >= 0, sum 1)");
    st.p_star = *in.p_star;
  }

  if (in.order_by_u0 && c.model != ModelKind::tied) {
    Vec dir = st.beta_star;
    if (c.model == ModelKind::regression) dir = st.X.completeOrthogonalDecomposition().solve(st.y);
    if (c.loss == LossKind::cross_entropy) {
      Vec lp = st.p_star.array().max(1e-300).log();
      dir = lp.array() - lp.mean();
    }
    reorder_by_u0(c, st, dir);
  }
  return st;
}

}  // namespace polarlab
