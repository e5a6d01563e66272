#include "svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace autorec::cli {
namespace {

// Plot area inside a 720 x 420 canvas, room left for tick labels and the legend.
constexpr double kWidth = 720, kHeight = 420;
constexpr double kLeft = 70, kRight = 20, kTop = 40, kBottom = 50;

struct Scale {
  double x_low, x_high, y_low, y_high;
  double x(double epoch) const { return kLeft + (epoch - x_low) / (x_high - x_low) * (kWidth - kLeft - kRight); }
  double y(double rmse) const {
    return kHeight - kBottom - (rmse - y_low) / (y_high - y_low) * (kHeight - kTop - kBottom);
  }
};

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

Scale fit_scale(const std::vector<EpochRecord>& history) {
  double low = INFINITY, high = -INFINITY;
  for (const EpochRecord& e : history) {
    for (const double v : {e.train_rmse, e.validation_rmse}) {
      if (std::isfinite(v)) low = std::min(low, v), high = std::max(high, v);
    }
  }
  if (!std::isfinite(low)) low = 0, high = 1;
  const double pad = std::max(0.05 * (high - low), 1e-3);
  const double last_epoch = history.empty() ? 1.0 : history.back().epoch;
  return {1.0, std::max(last_epoch, 2.0), low - pad, high + pad};
}

void draw_axes(std::ostringstream& svg, const Scale& s) {
  const double x0 = kLeft, x1 = kWidth - kRight, y0 = kHeight - kBottom, y1 = kTop;
  svg << "<path d='M" << x0 << ' ' << y1 << " V" << y0 << " H" << x1 << "' stroke='black' fill='none'/>\n";
  for (const double t : nice_ticks(s.x_low, s.x_high, 8)) {
    if (t < s.x_low || t > s.x_high) continue;
    svg << "<line x1='" << s.x(t) << "' y1='" << y0 << "' x2='" << s.x(t) << "' y2='" << y0 + 5
        << "' stroke='black'/><text x='" << s.x(t) << "' y='" << y0 + 20 << "' text-anchor='middle'>" << number(t)
        << "</text>\n";
  }
  for (const double t : nice_ticks(s.y_low, s.y_high, 6)) {
    if (t < s.y_low || t > s.y_high) continue;
    svg << "<line x1='" << x0 - 5 << "' y1='" << s.y(t) << "' x2='" << x1 << "' y2='" << s.y(t)
        << "' stroke='#ddd'/><text x='" << x0 - 8 << "' y='" << s.y(t) + 4 << "' text-anchor='end'>" << number(t)
        << "</text>\n";
  }
  svg << "<text x='" << (x0 + x1) / 2 << "' y='" << kHeight - 12 << "' text-anchor='middle'>epoch</text>\n"
      << "<text transform='translate(18 " << (y0 + y1) / 2 << ") rotate(-90)' text-anchor='middle'>RMSE</text>\n";
}

void draw_line(std::ostringstream& svg, const Scale& s, const std::vector<EpochRecord>& history,
               double EpochRecord::*field, const char* colour) {
  std::string points;
  for (const EpochRecord& e : history) {
    if (!std::isfinite(e.*field)) continue;
    points += number(s.x(e.epoch)) + "," + number(s.y(e.*field)) + " ";
  }
  if (!points.empty())
    svg << "<polyline points='" << points << "' fill='none' stroke='" << colour << "' stroke-width='2'/>\n";
}

void draw_legend(std::ostringstream& svg, bool has_validation) {
  const double x = kWidth - kRight - 170, y = kTop + 10;
  svg << "<rect x='" << x << "' y='" << y << "' width='160' height='" << (has_validation ? 48 : 28)
      << "' fill='white' stroke='#999'/>\n"
      << "<line x1='" << x + 10 << "' y1='" << y + 14 << "' x2='" << x + 40 << "' y2='" << y + 14
      << "' stroke='#1f77b4' stroke-width='2'/><text x='" << x + 48 << "' y='" << y + 18 << "'>train RMSE</text>\n";
  if (has_validation) {
    svg << "<line x1='" << x + 10 << "' y1='" << y + 34 << "' x2='" << x + 40 << "' y2='" << y + 34
        << "' stroke='#d62728' stroke-width='2'/><text x='" << x + 48 << "' y='" << y + 38
        << "'>validation RMSE</text>\n";
  }
}

}  // namespace

std::vector<double> nice_ticks(double low, double high, int target) {
  if (!(high > low) || target < 1) return {low};
  const double raw_step = (high - low) / target;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw_step)));
  double step = magnitude;
  for (const double factor : {1.0, 2.0, 5.0, 10.0}) {
    step = factor * magnitude;
    if (step >= raw_step) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(low / step) * step; t <= high + 1e-9 * step; t += step) {
    ticks.push_back(std::abs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

std::string training_curve_svg(const std::vector<EpochRecord>& history, int best_epoch, const std::string& title) {
  const Scale scale = fit_scale(history);
  const bool has_validation = std::any_of(history.begin(), history.end(),
                                          [](const EpochRecord& e) { return std::isfinite(e.validation_rmse); });
  std::ostringstream svg;
  svg << "<svg xmlns='http://www.w3.org/2000/svg' width='" << kWidth << "' height='" << kHeight
      << "' font-family='sans-serif' font-size='12'>\n<rect width='100%' height='100%' fill='white'/>\n"
      << "<text x='" << kWidth / 2 << "' y='22' text-anchor='middle' font-size='14'>" << title << "</text>\n";
  draw_axes(svg, scale);
  draw_line(svg, scale, history, &EpochRecord::train_rmse, "#1f77b4");
  draw_line(svg, scale, history, &EpochRecord::validation_rmse, "#d62728");
  for (const EpochRecord& e : history) {
    if (e.epoch == best_epoch && std::isfinite(e.validation_rmse)) {
      svg << "<circle cx='" << scale.x(e.epoch) << "' cy='" << scale.y(e.validation_rmse)
          << "' r='4' fill='#d62728'><title>best epoch " << e.epoch << "</title></circle>\n";
    }
  }
  draw_legend(svg, has_validation);
  svg << "</svg>\n";
  return svg.str();
}

}  // namespace autorec::cli
