// The data behind a figure as CSV (figure_csv.hpp): what `figure`, Export figure and the attention report write
// beside each picture.
#include "core/figure/figure_csv.hpp"

#include <charconv>
#include <filesystem>

#include "core/figure/text.hpp"
#include "core/io/atomic_file.hpp"

namespace polarlab::figure {

namespace {
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}
// Shortest text that reads back to the same double (the CSVs hold every record of every curve).
void put_number(std::string& out, double v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}
}  // namespace

std::string figure_csv(const Figure& fig) {
  std::string out = "# " + fig.name + ": ";
  for (char c : fig.caption) out += c == '\n' ? ' ' : c;
  out += "\npanel,panel_title,series,x,y\n";
  for (std::size_t p = 0; p < fig.panels.size(); ++p) {
    const Axes& ax = fig.panels[p];
    const std::string prefix = std::to_string(p) + "," + csv_field(plain_text(ax.title)) + ",";
    for (const Series& s : ax.series) {
      const std::string name = csv_field(s.csv_name.empty() ? plain_text(s.label) : s.csv_name);
      const std::string head = prefix + name + ",";
      for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        out += head;
        put_number(out, s.x[i]);
        out += ',';
        put_number(out, s.y[i]);
        out += '\n';
      }
    }
    if (ax.heatmap) {
      const Heatmap& hm = *ax.heatmap;
      for (int r = 0; r < hm.rows; ++r)
        for (int c = 0; c < hm.cols; ++c) {
          out += prefix + "row_" + std::to_string(r) + "," + std::to_string(c) + ",";
          put_number(out, hm.values[static_cast<std::size_t>(r) * hm.cols + c]);
          out += '\n';
        }
    }
  }
  return out;
}

void write_figure_csv(const Figure& fig, const std::string& path) {
  const std::string text = figure_csv(fig);
  write_file_atomically(path, [&](std::ostream& o) { o.write(text.data(), static_cast<std::streamsize>(text.size())); });
}

std::string csv_path_for(const std::string& path) {
  std::filesystem::path p(path);
  p.replace_extension(".csv");
  return p.string();
}

}  // namespace polarlab::figure
