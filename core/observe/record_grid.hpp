// Log-spaced sampling grids: the dynamics are logarithmic in time, so records must be too.
#pragma once
#include <cstdint>
#include <vector>

namespace polarlab {

// Steps 0, every power of ten ≤ n, ~count log-spaced steps in [1, n], and n; sorted, unique.
std::vector<std::int64_t> gd_record_steps(std::int64_t n_steps, int count);
// Times 0, every power of ten in [t_min, t_end], ~count log-spaced times in [t_min, t_end], and t_end.
std::vector<double> flow_record_times(double t_end, int count, double t_min = 1e-2);

}  // namespace polarlab
