// The UI's copy of a run as plot-ready columns, appended from snapshots (never from the solver).
// Records are referenced, not copied: the held snapshot keeps every chunk alive. A replay shows the run up to
// a time: `records` holds every record so far, the columns only the first `shown` (set_limit), and now() is the
// last shown record instead of the solver's current state.
#pragma once
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "app/gui/dynamics/worker.hpp"

namespace polarlab::gui {

struct History {
  std::shared_ptr<const DynamicsSnapshot> snap;
  std::shared_ptr<const RunInfo> info;
  std::vector<const Record*> records;  // every record so far (the columns hold the first size() of them)
  std::vector<double> t, loss, entropy, max_s, gamma, gamma_integral, bound, ratio;
  std::vector<std::vector<double>> s, u, a, sv, colnorm;  // per coordinate
  // Φ_ij(t) for the selected pairs (computed with core's lyapunov_potential_pair as records arrive).
  std::vector<std::pair<int, int>> pairs;
  std::vector<std::vector<double>> phi;

  // Takes the latest snapshot; returns true when the run changed (reset or new config).
  bool sync(std::shared_ptr<const DynamicsSnapshot> latest);
  void set_pairs(std::vector<std::pair<int, int>> p);
  // Show only the records with t <= t_max (a replay); +inf shows everything (live).
  void set_limit(double t_max);
  bool limited() const { return t.size() < records.size(); }
  std::size_t size() const { return t.size(); }
  int p() const { return static_cast<int>(s.size()); }
  // The state the panels show as "now": the last shown record, live (the latest) and in a replay (null before the
  // first snapshot, or when a replay shows nothing yet; live before the first record, the solver's state).
  const Record* now() const;
  double now_t() const;

 private:
  void clear();
  void reserve_rows();
  void append(const Record& r);
  void append_phi(std::size_t from);
  void fill_columns();     // the columns follow records and the limit
  double t_max_ = std::numeric_limits<double>::infinity();
  bool reserved = false;  // the columns have room for the planned records
};

}  // namespace polarlab::gui
