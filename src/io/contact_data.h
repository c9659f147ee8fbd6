// Contact data where column names belong. A leads.csv saved without its header line has a
// lead's ID, e-mail address and phone number on its first line, and the first line's cells
// are what every message, warning and artifact calls the columns. So every header name
// shown anywhere is a label from this module (the loader's header names, the CSV reader's
// cell-too-long error): the name itself, or, when it looks like data, a description of it.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace elv::io {

// "jane.doe@example.com": local@domain.tld, nothing else in the cell.
bool looks_like_email(std::string_view cell);

// "+1 (555) 010-9999", "0151 23456789", "+34600123456": 7 to 15 digits, with an optional
// leading +, spaces, dashes, dots and parentheses, and nothing else. Dates and decimal
// numbers ("2026-06-01", "1234567.89") are not phone numbers.
bool looks_like_phone(std::string_view cell);

// What a cell that looks like data is, as a column label ("a column whose name looks like
// an e-mail address", "… like a phone number", "… is a number", "… is a date or time"); ""
// when it looks like a name. A bare number of 15 or more digits is a Meta ID (IDs are 15 to
// 18 digits, phone numbers at most 15), described as a number.
std::string data_description(std::string_view cell);

// The cell itself when it looks like a name, else its description: what a message may say.
std::string safe_column_label(std::string_view cell);

// True when any cell of the line looks like data: the header line is probably missing.
bool header_looks_like_data(const std::vector<std::string>& cells);

// Labels for a whole header line, in order. When the line looks like data, the cells that
// do not look like data are not shown either (one may be a person's name), except those
// is_column_name accepts (names from the data contract, which cannot be anyone's data).
std::vector<std::string> header_labels(
    const std::vector<std::string>& cells,
    const std::function<bool(std::string_view)>& is_column_name = {});

}  // namespace elv::io
