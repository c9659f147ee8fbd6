// predictions.csv is never written with a probability that is not a finite number (it
// would be an empty cell, ranked anywhere) or with a value per qualified lead of 0.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "base/error.h"
#include "scoring/predictions.h"

namespace elv::scoring {
namespace {

namespace fs = std::filesystem;

table::LeadTable two_leads() {
  table::LeadTable t;
  t.dicts = std::make_shared<contracts::Dictionaries>();
  auto& leads = t.dicts->for_column("lead_id");
  t.lead_id = {leads.intern("a"), leads.intern("b")};
  t.n = 2;
  return t;
}

std::string write_error(const std::vector<double>& p, double value, const std::string& path) {
  try {
    write_predictions_csv(two_leads(), p, value, 14, path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Predictions, NonFiniteProbabilityOrValueIsRefusedBeforeWriting) {
  const std::string path =
      (fs::path(::testing::TempDir()) / ("elv_predictions_" + std::to_string(::getpid()) + ".csv"))
          .string();
  EXPECT_EQ(write_error({0.5, std::nan("")}, 1.0, path),
            "predictions: the probability for lead 'b' is not a finite number");
  EXPECT_EQ(write_error({INFINITY, 0.5}, 1.0, path),
            "predictions: the probability for lead 'a' is not a finite number");
  EXPECT_EQ(write_error({0.5, 0.5}, 0.0, path),
            "predictions: value_per_qualified must be a finite number > 0");
  EXPECT_EQ(write_error({0.5}, 1.0, path), "predictions: 1 probabilities for 2 leads");
  EXPECT_FALSE(fs::exists(path));
}

}  // namespace
}  // namespace elv::scoring
