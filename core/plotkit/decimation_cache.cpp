#include "core/plotkit/decimation_cache.hpp"

#include <algorithm>
#include <limits>

namespace polarlab::plotkit {

namespace {
bool same_value(double a, double b) { return a == b || (a != a && b != b); }
}  // namespace

bool DecimationCache::bind(const double* x, const double* y, std::size_t n) {
  bool same = true;
  if (x != x_ || y != y_ || n < n_) {
    // Data at a new address that starts with the points this cache has seen: a grown copy, not a new run.
    same = n >= n_ && seen_n_ > 0 && n >= seen_n_ && same_value(x[0], first_x_) && same_value(y[0], first_y_) &&
           same_value(x[seen_n_ - 1], last_x_) && same_value(y[seen_n_ - 1], last_y_);
    if (!same) {
      *this = DecimationCache{};
    }
  }
  x_ = x, y_ = y, n_ = n;
  if (n > 0) {
    seen_n_ = n;
    first_x_ = x[0], first_y_ = y[0], last_x_ = x[n - 1], last_y_ = y[n - 1];
  }
  return same;
}

void DecimationCache::clear_points() {
  idx_.clear();
  ax_.clear();
  ay_.clear();
}

// Decimates points [from, to) and appends them, remembering where the last column starts.
void DecimationCache::decimate_range(std::size_t from, std::size_t to) {
  const int columns = std::max(1, view_.columns);
  const AxisMap xm{view_.x, view_.xlo, view_.xhi};
  bounds_.assign(static_cast<std::size_t>(columns) + 1, to);
  for (int c = 0; c <= columns; ++c) {
    const double xv = xm.inverse(static_cast<double>(c) / columns);
    bounds_[static_cast<std::size_t>(c)] = static_cast<std::size_t>(std::lower_bound(x_ + from, x_ + to, xv) - x_);
  }
  std::size_t col = 0;
  auto xcol = [&](std::size_t k) {
    const std::size_t i = k + from;
    while (col < static_cast<std::size_t>(columns) && i >= bounds_[col + 1]) ++col;
    return static_cast<long>(col);
  };
  const double* yy = y_ + from;
  const bool logy = view_.y == Scale::log;
  auto yv = [&](std::size_t k) {
    const double v = yy[k];
    return (logy && !(v > 0)) ? std::numeric_limits<double>::quiet_NaN() : v;
  };
  decimate_minmax(to - from, xcol, yv, scratch_);
  // The last point's column may still grow: remember where it begins.
  const std::size_t last = to - 1;
  const std::size_t c = static_cast<std::size_t>(std::upper_bound(bounds_.begin(), bounds_.end(), last) - bounds_.begin());
  tail_from_ = c == 0 ? from : std::max(from, bounds_[c - 1]);
  tail_pos_ = idx_.size();
  for (std::size_t k : scratch_) {
    if (k + from < tail_from_) ++tail_pos_;
    idx_.push_back(k + from);
    ax_.push_back(axis_space(view_.x, x_[k + from]));
    ay_.push_back(axis_space(view_.y, y_[k + from]));
  }
}

DecimationCache::Update DecimationCache::update(const DecimationView& view, std::size_t budget) {
  last_cost_ = 0;
  if (n_ == 0) {
    clear_points();
    valid_ = false;
    return Update::kept;
  }
  const bool same_view = valid_ && view == view_;
  if (same_view && n_ == dec_n_) return Update::kept;
  if (same_view && n_ > dec_n_ && to_end_ && !idx_.empty()) {
    // New points appended, same view: redo only the last column onwards (O(new points)).
    const std::size_t from = tail_from_;
    std::size_t to = static_cast<std::size_t>(std::upper_bound(x_ + from, x_ + n_, view.xhi) - x_);
    if (to < n_) ++to;
    idx_.resize(tail_pos_);
    ax_.resize(tail_pos_);
    ay_.resize(tail_pos_);
    decimate_range(from, to);
    to_end_ = to == n_;
    dec_n_ = n_;
    return Update::appended;
  }
  // Visible index range from the sorted x (one point beyond each edge so lines reach the frame).
  const bool logx = view.x == Scale::log;
  const double xlo_vis = logx ? std::max(view.xlo, std::numeric_limits<double>::min()) : view.xlo;
  std::size_t i0 = static_cast<std::size_t>(std::lower_bound(x_, x_ + n_, xlo_vis) - x_);
  std::size_t i1 = static_cast<std::size_t>(std::upper_bound(x_, x_ + n_, view.xhi) - x_);
  if (i0 > 0 && !(logx && x_[i0 - 1] <= 0)) --i0;
  if (i1 < n_) ++i1;
  // Over budget, a cache that still holds points of this data on these scales stands in for a frame.
  const std::size_t k = idx_.empty() ? 0 : idx_.back();
  const bool can_wait = !idx_.empty() && view_.x == view.x && view_.y == view.y && k < n_ &&
                        ax_.back() == axis_space(view.x, x_[k]) &&
                        ay_.back() == axis_space(view.y, y_[k]);
  if (can_wait && budget == 0) {
    // Points appended since still reach the screen, decimated for last frame's columns (O(new points)): lines of
    // a plot that waits for its redo end at the same record as those of a plot that got it (p = 4000: thousands
    // of series spend the budget, and other panels stood still for tens of seconds).
    if (n_ > dec_n_ && to_end_) {
      idx_.resize(tail_pos_);
      ax_.resize(tail_pos_);
      ay_.resize(tail_pos_);
      decimate_range(tail_from_, n_);
      dec_n_ = n_;
    }
    return Update::deferred;
  }
  last_cost_ = i1 - i0;
  view_ = view;
  valid_ = true;
  dec_n_ = n_;
  clear_points();
  to_end_ = i1 == n_;
  if (i0 < i1) decimate_range(i0, i1);
  return Update::redecimated;
}

}  // namespace polarlab::plotkit
