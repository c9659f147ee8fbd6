// One error type for every data or user problem: it carries the file, row and column
// where there is one, so cli/ and server/ can print a single precise line.
#pragma once
#include <cstdint>
#include <exception>
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
      // append(), not "x" + std::string: GCC 12 warns falsely (-Wrestrict) on the latter.
      if (row >= 0) out.append(":").append(std::to_string(row));
      out += ": ";
    }
    if (!column.empty()) out.append("column '").append(column).append("': ");
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

// What a caught exception means to each front end, decided in one place so the terminal,
// a web job and an API answer never disagree:
//   UsageError       exit 2, HTTP 400  the request or command line is wrong
//   Error            exit 1, HTTP 422  the data or a file cannot be used (the user can fix it)
//   std::bad_alloc   exit 1, HTTP 503  out of memory ("try fewer leads or more memory")
//   anything else    exit 1, HTTP 500  a bug in elv: "internal error: …"
struct ErrorOutcome {
  int exit_code = 1;
  int http_status = 500;
  std::string message;  // one line, without the "error: " prefix
};
ErrorOutcome error_outcome(std::exception_ptr error);

}  // namespace elv
