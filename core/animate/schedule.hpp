// When each frame of an animation is: time revealed log-uniformly, so that every decade of a run gets the same
// share of the video (the runs span t = 0.1 .. 10^5 and more; a linear clock would spend all but the last
// frames on the final decade).
#pragma once
#include <string>
#include <vector>

namespace polarlab::animate {

// Frames of a video of `duration_s` seconds at `fps`: round(fps × duration), at least 1.
int frame_count(int fps, double duration_s);

// n times t_k = t_first · (t_last / t_first)^(k / (n − 1)), k = 0 .. n − 1, the two ends exact; n == 1: {t_last}.
// Needs 0 < t_first <= t_last and n >= 1 (std::invalid_argument otherwise).
std::vector<double> log_uniform_times(double t_first, double t_last, int n);

// The clock drawn on a frame, in the figure markup: "$t$ = 31.6", "$t$ = 3.16×10^{4}" (three significant digits).
std::string time_label(double t);

}  // namespace polarlab::animate
