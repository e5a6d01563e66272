#include "svg_chart.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>


namespace bench {
namespace {

constexpr double kWidth = 900, kHeight = 420;
constexpr double kLeft = 70, kRight = 170, kTop = 40, kBottom = 90;  // margins: axis labels, legend
const char* const kColours[] = {"#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"};

// XML text: the same escapes as JSON's quotes are not enough, so escape the XML specials.
std::string xml(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

constexpr int kTicks = 5;

// The axis top: the largest value rounded up to kTicks steps of 1, 2 or 5 times a power of ten, so
// the tick labels are round numbers.
double largest_value(const BarChart& chart) {
  double top = chart.reference_line;
  for (const auto& s : chart.series)
    for (const double v : s.values)
      if (std::isfinite(v)) top = std::max(top, v);
  if (!(top > 0)) return 1.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(top / kTicks)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    if (factor * magnitude * kTicks >= top) return factor * magnitude * kTicks;
  }
  return 10.0 * magnitude * kTicks;
}

void draw_axes(std::ostringstream& svg, const BarChart& chart, double top) {
  const double plot_h = kHeight - kTop - kBottom;
  svg << "<text x='" << kWidth / 2 << "' y='22' text-anchor='middle' font-size='16'>" << xml(chart.title) << "</text>\n";
  svg << "<text transform='translate(14," << kTop + plot_h / 2 << ") rotate(-90)' text-anchor='middle'>"
      << xml(chart.y_label) << "</text>\n";
  for (int tick = 0; tick <= kTicks; ++tick) {
    const double value = top * tick / kTicks;
    const double y = kTop + plot_h * (1.0 - static_cast<double>(tick) / kTicks);
    svg << "<line x1='" << kLeft << "' x2='" << kWidth - kRight << "' y1='" << y << "' y2='" << y
        << "' stroke='#ddd'/><text x='" << kLeft - 6 << "' y='" << y + 4 << "' text-anchor='end'>" << value
        << "</text>\n";
  }
}

void draw_bars(std::ostringstream& svg, const BarChart& chart, double top) {
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const double group_w = plot_w / static_cast<double>(std::max<std::size_t>(1, chart.categories.size()));
  const double bar_w = 0.8 * group_w / static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  for (std::size_t c = 0; c < chart.categories.size(); ++c) {
    const double group_x = kLeft + group_w * static_cast<double>(c) + 0.1 * group_w;
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const double v = c < chart.series[s].values.size() ? chart.series[s].values[c] : NAN;
      if (!std::isfinite(v)) continue;
      const double h = plot_h * v / top;
      svg << "<rect x='" << group_x + bar_w * static_cast<double>(s) << "' y='" << kTop + plot_h - h << "' width='"
          << bar_w * 0.95 << "' height='" << h << "' fill='" << kColours[s % 8] << "'><title>"
          << xml(chart.series[s].name) << ": " << v << "</title></rect>\n";
    }
    const double label_x = group_x + 0.4 * group_w;
    svg << "<text transform='translate(" << label_x << ',' << kTop + plot_h + 14
        << ") rotate(30)' font-size='11'>" << xml(chart.categories[c]) << "</text>\n";
  }
}

void draw_legend(std::ostringstream& svg, const BarChart& chart) {
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const double y = kTop + 18.0 * static_cast<double>(s);
    svg << "<rect x='" << kWidth - kRight + 12 << "' y='" << y << "' width='12' height='12' fill='"
        << kColours[s % 8] << "'/><text x='" << kWidth - kRight + 30 << "' y='" << y + 10 << "'>"
        << xml(chart.series[s].name) << "</text>\n";
  }
}

}  // namespace

std::string render_svg(const BarChart& chart) {
  const double top = largest_value(chart);
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << kHeight
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n";
  draw_axes(svg, chart, top);
  draw_bars(svg, chart, top);
  if (chart.reference_line > 0) {
    const double y = kTop + (kHeight - kTop - kBottom) * (1.0 - chart.reference_line / top);
    svg << "<line x1='" << kLeft << "' x2='" << kWidth - kRight << "' y1='" << y << "' y2='" << y
        << "' stroke='black' stroke-dasharray='4 3'/>\n";
  }
  draw_legend(svg, chart);
  svg << "</svg>\n";
  return svg.str();
}

void write_svg(const BarChart& chart, const std::string& path) {
  std::ofstream out(path);
  out << render_svg(chart);
  if (!out) throw std::runtime_error("cannot write " + path);
}

}  // namespace bench
