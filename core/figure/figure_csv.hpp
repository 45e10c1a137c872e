// The data behind a figure, one row per plotted point: panel,panel_title,series,x,y (heatmaps: series "row_i",
// x = column, y = value). The first line is "# " + caption. Written beside every figure (FILE.csv).
#pragma once
#include <string>

#include "core/figure/plot.hpp"

namespace polarlab::figure {

std::string figure_csv(const Figure& fig);
void write_figure_csv(const Figure& fig, const std::string& path);
// The CSV beside a figure: "out/fig2.pdf" → "out/fig2.csv".
std::string csv_path_for(const std::string& figure_path);

}  // namespace polarlab::figure
