// The adherence report against a hand-computed card log (tests/support/report_scenario.h) in a real SQLite
// file — PostgreSQL runs the same scenario in postgres_store_test — and each format as its reader gets it.
#include "audit/report.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "audit/store.h"
#include "tests/support/files.h"
#include "tests/support/report_scenario.h"

namespace cds::audit {
namespace {

class Report_ : public ::testing::Test {
 protected:
  Report_() : store_(OpenStore("sqlite:" + dir_.Join("audit.db"))) { test::WriteReportScenario(*store_); }
  Report Build() { return BuildReport(*store_, "2026-11-16", "2026-11-29", "2026-12-01T08:00:00Z"); }
  ReportLabels Labels() {
    ReportLabels l;
    l.rule_titles["eccentric-rehab"] = "Loading programme for Achilles tendinopathy";
    l.reasons["eccentric-rehab"]["already-exercising"] = "Patient already follows an exercise programme";
    l.reasons["steroid-injection"]["already-exercising"] = "a different rule's words for the same code";
    return l;
  }
  test::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(Report_, TheNumbersAreTheHandCountedOnes) { test::ExpectReportScenario(Build()); }

TEST_F(Report_, AnEmptyPeriodSaysSo) {
  const Report r = BuildReport(*store_, "2025-01-01", "2025-01-31", "x");
  EXPECT_TRUE(r.rules.empty());
  EXPECT_EQ(r.total.issued, 0);
  EXPECT_FALSE(r.total.acceptance_rate());
  EXPECT_NE(RenderReport(r, {}, ReportFormat::kText).find("No cards were issued in this period."), std::string::npos);
  EXPECT_NE(RenderReport(r, {}, ReportFormat::kHtml).find("No cards were issued in this period."), std::string::npos);
}

TEST_F(Report_, TextAndCsvCarryTheSameNumbers) {
  const std::string text = RenderReport(Build(), Labels(), ReportFormat::kText);
  EXPECT_NE(text.find("Guideline adherence, 2026-11-16 to 2026-11-29"), std::string::npos) << text;
  EXPECT_NE(text.find("Loading programme for Achilles tendinopathy        4        3        1          2           1      25.0%       1"),
            std::string::npos) << text;
  EXPECT_NE(text.find("overridden because: Patient already follows an exercise programme (1); patient-declines (1)"),
            std::string::npos) << text;
  EXPECT_NE(text.find("All rules: 6 issued to 4 patients; 2 accepted, 3 overridden, 1 no response (acceptance 33.3%); 1 snoozed."),
            std::string::npos) << text;
  EXPECT_NE(text.find("never issued: 1 item(s) to achilles-order-sign"), std::string::npos) << text;

  const std::string csv = RenderReport(Build(), Labels(), ReportFormat::kCsv);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "service,rule,title,period,issued,patients,accepted,overridden,no_response,acceptance_rate,snoozed,"
            "top_override_reasons");
  EXPECT_NE(csv.find("\nachilles-patient-view,eccentric-rehab,Loading programme for Achilles tendinopathy,total,4,3,1,2,1,"
                     "0.2500,1,Patient already follows an exercise programme (1); patient-declines (1)\n"),
            std::string::npos) << csv;
  EXPECT_NE(csv.find("\nachilles-patient-view,eccentric-rehab,Loading programme for Achilles tendinopathy,2026-11-23,2,,0,1,1,0.0000,1,\n"),
            std::string::npos) << csv;
  EXPECT_NE(csv.find("\nachilles-order-sign,steroid-injection,steroid-injection,total,2,2,1,1,0,0.5000,0,(no reason given) (1)\n"),
            std::string::npos) << csv;
}

TEST_F(Report_, JsonIsTheReportForMachines) {
  rapidjson::Document d;
  d.Parse(RenderReport(Build(), Labels(), ReportFormat::kJson).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["total"]["issued"].GetInt(), 6);
  EXPECT_EQ(d["total"]["patients"].GetInt(), 4);
  const auto& view = d["rules"][1];
  EXPECT_STREQ(view["rule"].GetString(), "eccentric-rehab");
  EXPECT_DOUBLE_EQ(view["acceptanceRate"].GetDouble(), 0.25);
  EXPECT_EQ(view["noResponse"].GetInt(), 1);
  EXPECT_STREQ(view["overrideReasons"][0]["display"].GetString(), "Patient already follows an exercise programme");
  EXPECT_EQ(view["weeks"][1]["snoozed"].GetInt(), 1);
  EXPECT_EQ(d["unknownCardFeedback"]["achilles-order-sign"].GetInt(), 1);
  // Per rule: the steroid rule's words for a code never label another rule's reason.
  EXPECT_STREQ(d["rules"][0]["overrideReasons"][0]["display"].GetString(), "(no reason given)");
}

TEST_F(Report_, HtmlIsOneSelfContainedFile) {
  const std::string html = RenderReport(Build(), Labels(), ReportFormat::kHtml);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("http"), std::string::npos);  // nothing fetched, no link out
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("data-week=\"2026-11-23\" data-issued=\"2\" data-accepted=\"0\" data-overridden=\"1\" "
                      "data-no-response=\"1\" data-snoozed=\"1\""),
            std::string::npos);
  ReportLabels hostile;
  hostile.rule_titles["eccentric-rehab"] = "<img src=x onerror=alert(1)>";
  const std::string escaped = RenderReport(Build(), hostile, ReportFormat::kHtml);
  EXPECT_EQ(escaped.find("<img"), std::string::npos);
  EXPECT_NE(escaped.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
}

TEST(ReportDates, DaysAreCheckedAndFormatted) {
  EXPECT_EQ(ParseDay("1970-01-01"), 0);
  EXPECT_EQ(ParseDay("2024-02-29"), 19782);
  EXPECT_EQ(FormatDay(19782), "2024-02-29");
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "26-01-01", "2026-01-32", ""}) {
    EXPECT_FALSE(ParseDay(bad)) << bad;
  }
  for (const char* f : {"text", "csv", "json", "html"}) EXPECT_TRUE(ParseReportFormat(f)) << f;
  EXPECT_FALSE(ParseReportFormat("pdf"));
}

}  // namespace
}  // namespace cds::audit
