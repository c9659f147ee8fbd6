// libFuzzer target: the CSV reader (src/io/csv_reader.cpp) on arbitrary bytes.
//
// elv::Error is the expected outcome for a broken file and is swallowed; anything else
// (a crash, a sanitizer report, another exception type, a failed invariant) is a finding.
// Invariants checked when a file reads cleanly:
//   - reading it in several chunks (the multi-threaded path) yields exactly the records
//     of one single pass, in order, with the same line numbers;
//   - every record has as many fields as the header.
// Header cells also go through the alias table and the cell parsers, as the loader does.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "contracts/schema.h"
#include "io/csv_reader.h"
#include "io/parse.h"

namespace {

struct Record {
  int64_t line;
  std::vector<std::string> fields;
  bool operator==(const Record&) const = default;
};

std::vector<Record> read_all(const elv::csv::Reader& reader, int chunks) {
  std::vector<Record> out;
  for (const elv::csv::Chunk& chunk : reader.chunks(chunks)) {
    reader.for_each(chunk, [&](int64_t line, const std::vector<std::string_view>& fields) {
      if (fields.size() != reader.header().size()) std::abort();
      out.push_back({line, std::vector<std::string>(fields.begin(), fields.end())});
    });
  }
  return out;
}

void touch_cells(const std::vector<Record>& records) {
  double number = 0;
  std::string id;
  for (const Record& r : records) {
    for (const std::string& cell : r.fields) {
      (void)elv::parse::number(cell, number);
      (void)elv::parse::timestamp_seconds(cell);
      (void)elv::parse::normalize_id(cell, id);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    elv::csv::Reader reader = elv::csv::Reader::from_string(
        std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    for (const std::string& cell : reader.header())
      (void)elv::contracts::canonical_column(elv::contracts::ads_spec(), cell);
    std::vector<Record> single;
    try {
      single = read_all(reader, 1);
    } catch (const elv::Error&) {
      // A ragged record: the chunked read must fail too.
      try {
        read_all(reader, 7);
      } catch (const elv::Error&) {
        return 0;
      }
      std::abort();
    }
    // Small files are one chunk anyway; ask for many so boundaries are exercised when the
    // fuzzer grows an input past the chunking threshold.
    if (read_all(reader, 7) != single) std::abort();
    touch_cells(single);
  } catch (const elv::Error&) {
  }
  return 0;
}
