#include "app/gui/dynamics/history.hpp"

#include <algorithm>
#include <limits>

namespace polarlab::gui {

namespace {
void push_vec(std::vector<std::vector<double>>& cols, const Vec& v, std::size_t rows_before) {
  if (cols.size() < static_cast<std::size_t>(v.size()))
    cols.resize(static_cast<std::size_t>(v.size()), std::vector<double>(rows_before, std::numeric_limits<double>::quiet_NaN()));
  for (std::size_t i = 0; i < cols.size(); ++i)
    cols[i].push_back(i < static_cast<std::size_t>(v.size()) ? v(static_cast<Index>(i)) : std::numeric_limits<double>::quiet_NaN());
}
}  // namespace

void History::clear() {
  records.clear();
  for (auto* v : {&t, &loss, &entropy, &max_s, &gamma, &gamma_integral, &bound, &ratio}) v->clear();
  s.clear(), u.clear(), a.clear(), sv.clear(), colnorm.clear();
  for (auto& c : phi) c.clear();
  reserved = false;
}

void History::reserve_rows() {
  // Room for the run's planned records up front: growing a column copies it, and its new address makes the
  // plots start their caches over; both cost tens of milliseconds at 10⁵ records. Untouched capacity is
  // only address space, but at most kMaxBytes of it (p in the thousands): beyond that the columns grow.
  constexpr std::size_t kMaxBytes = std::size_t{1} << 30;
  std::size_t columns = 9;  // records and the eight scalar columns
  for (auto* cols : {&s, &u, &a, &sv, &colnorm, &phi}) columns += cols->size();
  const std::size_t rows = std::min<std::size_t>(static_cast<std::size_t>(std::max(info->config.records, 0)) + 2,
                                                 kMaxBytes / (columns * sizeof(double)));
  records.reserve(rows);
  for (auto* v : {&t, &loss, &entropy, &max_s, &gamma, &gamma_integral, &bound, &ratio}) v->reserve(rows);
  for (auto* cols : {&s, &u, &a, &sv, &colnorm, &phi})
    for (auto& c : *cols) c.reserve(rows);
  reserved = true;
}

bool History::sync(std::shared_ptr<const DynamicsSnapshot> latest) {
  if (!latest) return false;
  bool changed = false;
  if (!info || latest->info->id != info->id) {
    clear();
    info = latest->info;
    changed = true;
  }
  for (const Record* r : latest->records_from(records.size())) records.push_back(r);
  snap = std::move(latest);
  fill_columns();
  return changed;
}

void History::set_limit(double t_max) {
  if (t_max == t_max_) return;
  t_max_ = t_max;
  fill_columns();
}

void History::fill_columns() {
  // Records are in time order: the shown ones are a prefix.
  const auto end = std::upper_bound(records.begin(), records.end(), t_max_,
                                    [](double tm, const Record* r) { return tm < r->t; });
  const std::size_t want = static_cast<std::size_t>(end - records.begin());
  const std::size_t from = t.size();
  if (want < from) {
    // Scrubbed back: shrinking keeps the columns' storage (and addresses) for when the replay moves on.
    for (auto* v : {&t, &loss, &entropy, &max_s, &gamma, &gamma_integral, &bound, &ratio}) v->resize(want);
    for (auto* cols : {&s, &u, &a, &sv, &colnorm, &phi})
      for (auto& c : *cols) c.resize(std::min(c.size(), want));
    return;
  }
  for (std::size_t k = from; k < want; ++k) append(*records[k]);
  append_phi(from);
  if (!reserved && !t.empty()) reserve_rows();  // after the first record: the columns exist
}

const Record* History::now() const {
  if (!snap) return nullptr;
  // The last record the columns hold: live and in a replay, the panels' lines end there, so every number shown
  // as "now" is of that moment (the solver's current state may be between records, ahead of the lines).
  if (!t.empty()) return records[t.size() - 1];
  return limited() ? nullptr : &snap->current;
}

double History::now_t() const {
  const Record* r = now();
  return r ? r->t : 0.0;
}

void History::append(const Record& r) {
  const std::size_t n = t.size();
  t.push_back(r.t);
  loss.push_back(r.loss);
  entropy.push_back(r.entropy);
  max_s.push_back(r.max_s);
  gamma.push_back(r.gamma);
  gamma_integral.push_back(r.gamma_integral);
  bound.push_back(r.bound);
  ratio.push_back(r.ratio);
  push_vec(s, r.s, n);
  push_vec(u, r.u, n);
  push_vec(a, r.a, n);
  push_vec(sv, r.singular_values, n);
  if (r.column_norms.size()) push_vec(colnorm, r.column_norms, n);
}

void History::set_pairs(std::vector<std::pair<int, int>> p) {
  if (p == pairs) return;
  pairs = std::move(p);
  phi.assign(pairs.size(), {});
  if (reserved)
    for (auto& c : phi) c.reserve(records.capacity());
  append_phi(0);
}

void History::append_phi(std::size_t from) {
  if (!info || pairs.empty()) return;
  phi.resize(pairs.size());
  for (auto& c : phi) c.resize(from);
  for (std::size_t k = from; k < t.size(); ++k) {
    const Record& r = *records[k];
    // Only the selected pairs: the whole matrix is p² entries per record (16 M at p = 4096).
    for (std::size_t q = 0; q < pairs.size(); ++q) {
      const auto [i, j] = pairs[q];
      phi[q].push_back(i >= 0 && j >= 0 && i < r.a.size() && j < r.a.size()
                           ? lyapunov_potential_pair(info->config.map, r.a, r.u, i, j)
                           : std::numeric_limits<double>::quiet_NaN());
    }
  }
}

}  // namespace polarlab::gui
