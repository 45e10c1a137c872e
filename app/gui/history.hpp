// The UI's copy of a run as plot-ready columns, appended from snapshots (never from the solver).
// Records are referenced, not copied: the held snapshot keeps every chunk alive.
#pragma once
#include <memory>
#include <utility>
#include <vector>

#include "app/gui/dynamics_worker.hpp"

namespace polarlab::gui {

struct History {
  std::shared_ptr<const DynamicsSnapshot> snap;
  std::shared_ptr<const RunInfo> info;
  std::vector<const Record*> records;
  std::vector<double> t, loss, entropy, max_s, gamma, gamma_integral, bound, ratio;
  std::vector<std::vector<double>> s, u, a, sv, colnorm;  // per coordinate
  // Φ_ij(t) for the selected pairs (computed with core's lyapunov_potential as records arrive).
  std::vector<std::pair<int, int>> pairs;
  std::vector<std::vector<double>> phi;

  // Takes the latest snapshot; returns true when the run changed (reset or new config).
  bool sync(std::shared_ptr<const DynamicsSnapshot> latest);
  void set_pairs(std::vector<std::pair<int, int>> p);
  std::size_t size() const { return t.size(); }
  int p() const { return static_cast<int>(s.size()); }

 private:
  void clear();
  void reserve_rows();
  void append(const Record& r);
  void append_phi(std::size_t from);
  bool reserved = false;  // the columns have room for the planned records
};

}  // namespace polarlab::gui
