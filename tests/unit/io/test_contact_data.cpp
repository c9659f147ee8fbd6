// The classifier that keeps contact data out of column names: e-mail addresses and phone
// numbers are recognised, every column name elv knows (the alias table) and the names real
// exports use are not.
#include <gtest/gtest.h>

#include "contracts/schema.h"
#include "io/contact_data.h"

namespace elv::io {
namespace {

const std::string kEmail = "a column whose name looks like an e-mail address";
const std::string kPhone = "a column whose name looks like a phone number";
const std::string kNumber = "a column whose name is a number";
const std::string kDate = "a column whose name is a date or time";
const std::string kMaybeData = "a column whose name may be data";

TEST(ContactData, EmailAddresses) {
  for (const char* s : {"jane.doe@example.com", "ana.gomez@example.org", " x@y.de ",
                        "j+tag@mail.example.co.uk", "JOHN_DOE@EXAMPLE.COM"})
    EXPECT_TRUE(looks_like_email(s)) << s;
  for (const char* s :
       {"email", "e-mail", "@", "jane@", "@example.com", "jane@example", "jane@example.c",
        "a@b@c.com", "jane doe@example.com", "what is your e-mail?", "contact@ home.com"})
    EXPECT_FALSE(looks_like_email(s)) << s;
}

TEST(ContactData, PhoneNumbers) {
  for (const char* s : {"+1 (555) 010-9999", "0151 23456789", "+34 600 123 456", "+34600123456",
                        "555-0100-22", "(030) 1234567", "600.123.456", "015123456789"})
    EXPECT_TRUE(looks_like_phone(s)) << s;
  for (const char* s :
       {"phone_number", "phone", "123456", "1234567890123456", "2026-06-01", "1234567.89",
        "-1234567", "1 555 0100 ext. 12", "+", "12+3456789", "Amount spent (USD)"})
    EXPECT_FALSE(looks_like_phone(s)) << s;
}

TEST(ContactData, EveryContractSpellingIsAName) {
  for (const auto& entry : contracts::alias_table()) {
    for (const auto& spelling : entry.spellings) {
      EXPECT_FALSE(looks_like_email(spelling)) << spelling;
      EXPECT_FALSE(looks_like_phone(spelling)) << spelling;
      EXPECT_EQ(safe_column_label(spelling), spelling);
    }
  }
}

TEST(ContactData, RealHeaderNamesAreShown) {
  for (const char* s :
       {"Amount spent (EUR)", "Amount spent (USD)", "Link clicks", "what_is_your_budget?",
        "Reporting starts", "phone_number", "email", "full_name", "Teléfono", "Clicks (all)",
        "CPC (cost per link click) (USD)", "Ad Set Name", "utm_campaign", "Q1 2026 budget",
        "what's your phone? (+1 555 0100)", ""})
    EXPECT_EQ(safe_column_label(s), s);
}

TEST(ContactData, DataIsDescribed) {
  EXPECT_EQ(safe_column_label("jane.doe@example.com"), kEmail);
  EXPECT_EQ(safe_column_label("+1 (555) 010-9999"), kPhone);
  EXPECT_EQ(safe_column_label("0151 23456789"), kPhone);
  // A Meta ID (15 to 18 digits) is no phone number, but no column name either.
  EXPECT_EQ(safe_column_label("120210000000000001"), kNumber);
  EXPECT_EQ(safe_column_label("123456789012345"), kNumber);
  EXPECT_EQ(safe_column_label("15.50"), kNumber);
  EXPECT_EQ(safe_column_label("-3"), kNumber);
  EXPECT_EQ(safe_column_label("2026-06-02T10:15:00Z"), kDate);
  EXPECT_EQ(safe_column_label("2026-06-01"), kDate);
  EXPECT_EQ(safe_column_label("01/06/2026"), kDate);
  EXPECT_EQ(data_description("Link clicks"), "");
}

TEST(ContactData, HeaderLineOfDataHidesEveryUnknownName) {
  const std::vector<std::string> line = {"120210000000000001",
                                         "2026-06-02T10:15:00Z",
                                         "Ana Gomez",
                                         "ana.gomez@example.org",
                                         "+34 600 123 456",
                                         "ad",
                                         ""};
  EXPECT_TRUE(header_looks_like_data(line));
  const auto is_column_name = [](std::string_view s) { return s == "ad"; };
  EXPECT_EQ(header_labels(line, is_column_name),
            (std::vector<std::string>{kNumber, kDate, kMaybeData, kEmail, kPhone, "ad", ""}));
  // Without a list of known names (the CSV reader), no unknown name of such a line is shown.
  EXPECT_EQ(header_labels(line)[5], kMaybeData);
}

TEST(ContactData, RealHeaderLineIsShownAsIs) {
  const std::vector<std::string> line = {"lead_id", "created_time", "full_name", "email",
                                         "phone_number"};
  EXPECT_FALSE(header_looks_like_data(line));
  EXPECT_EQ(header_labels(line), line);
}

}  // namespace
}  // namespace elv::io
