// One error type for every data or user problem: it carries the file, row and column
// where there is one, so cli/ and server/ can print a single precise line.
#pragma once
#include <cstdint>
#include <stdexcept>
#include <string>

namespace elv {

class Error : public std::runtime_error {
 public:
  explicit Error(std::string message, std::string file = {}, int64_t row = -1,
                 std::string column = {})
      : std::runtime_error(format(message, file, row, column)),
        message_(std::move(message)),
        file_(std::move(file)),
        row_(row),
        column_(std::move(column)) {}

  const std::string& message() const { return message_; }
  const std::string& file() const { return file_; }
  int64_t row() const { return row_; }  // 1-based line of the record, header = 1; -1 if none
  const std::string& column() const { return column_; }

 private:
  static std::string format(const std::string& message, const std::string& file, int64_t row,
                            const std::string& column) {
    std::string out;
    if (!file.empty()) {
      out += file;
      if (row >= 0) out += ":" + std::to_string(row);
      out += ": ";
    }
    if (!column.empty()) out += "column '" + column + "': ";
    out += message;
    return out;
  }
  std::string message_, file_;
  int64_t row_;
  std::string column_;
};

// Bad command-line usage (exit 2 rather than 1).
class UsageError : public Error {
 public:
  using Error::Error;
};

}  // namespace elv
