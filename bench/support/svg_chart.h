// A hand-written SVG grouped bar chart: one group of bars per category (a problem shape), one bar
// colour per series (an op or an implementation). Enough for the benchmark plots, no dependencies.
#pragma once

#include <string>
#include <vector>

namespace bench {

struct BarSeries {
  std::string name;
  std::vector<double> values;  // one per category; NaN = no bar
};

struct BarChart {
  std::string title;
  std::string y_label;
  std::vector<std::string> categories;
  std::vector<BarSeries> series;
  double reference_line = 0.0;  // drawn dashed when > 0 (e.g. speed-up 1 = parity)
};

std::string render_svg(const BarChart& chart);
// Writes the chart; throws std::runtime_error when the file cannot be written.
void write_svg(const BarChart& chart, const std::string& path);

}  // namespace bench
