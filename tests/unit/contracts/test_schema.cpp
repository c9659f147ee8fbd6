// contracts/schema.h: headers to canonical columns, and the currency a spend header names.
#include <gtest/gtest.h>

#include "contracts/schema.h"

namespace elv::contracts {
namespace {

TEST(Schema, SpendHeadersWithACurrencyAreSpend) {
  EXPECT_EQ(canonical_column(ads_spec(), "Amount spent (EUR)"), "spend");
  EXPECT_EQ(canonical_column(ads_spec(), "  amount spent (usd) "), "spend");
  EXPECT_EQ(canonical_column(ads_spec(), "Clicks (all)"), "clicks");
}

TEST(Schema, HeaderCurrency) {
  EXPECT_EQ(header_currency("Amount spent (EUR)"), "EUR");
  EXPECT_EQ(header_currency(" amount spent (usd)  "), "USD");
  EXPECT_EQ(header_currency("spend"), "");
  // Any three letters: "(all)" is Albania's lek too, which is why only the spend header
  // is asked (contracts/loader.cpp), never "Clicks (all)".
  EXPECT_EQ(header_currency("Clicks (all)"), "ALL");
  EXPECT_EQ(header_currency("Amount spent (EU)"), "");  // two letters
  EXPECT_EQ(header_currency("Amount spent (EUR1)"), "");
  EXPECT_EQ(header_currency("Amount spent (E1R)"), "");
  EXPECT_EQ(header_currency("(EUR)"), "EUR");
  EXPECT_EQ(header_currency("EUR)"), "");
}

}  // namespace
}  // namespace elv::contracts
