// Reading a /metrics scrape in tests: the value of one series, written as Prometheus renders it (labels in
// alphabetical order, a histogram bucket's le last): Series(text, R"(achilles_cards_total{indicator="info",rule="eccentric-rehab",…})").
#pragma once

#include <cstdlib>
#include <sstream>
#include <string>

namespace cds::test {

// The series' value, or -1 when the scrape has no such series.
inline double Series(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      return std::strtod(line.c_str() + series.size() + 1, nullptr);
    }
  }
  return -1;
}

}  // namespace cds::test
