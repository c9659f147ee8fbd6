// markdown_to_safe_html: a small HTML renderer on md4c's parser callbacks. Every byte of
// text goes through escape_html (entities are decoded first, so that they too are escaped);
// the only markup written is the fixed tags below, and the only attribute value that comes
// from the input is a link target that passed safe_href. The output is well-formed XML, as
// the rest of report.html.
#include "report/markdown.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include <md4c.h>

#include "report/html.h"

namespace elv::report {

// Named, so that the callbacks' short names cannot meet others in a unity build.
namespace markdown_render {
namespace {

struct Renderer {
  std::string out;
  std::vector<bool> link_open;  // one per open MD_SPAN_A: was an <a> written?
  int image_depth = 0;          // inside an image: only its alt text is shown
};

// The code point of a numeric character reference ("&#106;", "&#x6A;"), or -1.
long numeric_entity(std::string_view e) {
  if (e.size() < 4 || e[0] != '&' || e[1] != '#' || e.back() != ';') return -1;
  std::string_view digits = e.substr(2, e.size() - 3);
  int base = 10;
  if (!digits.empty() && (digits[0] == 'x' || digits[0] == 'X')) {
    base = 16;
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.size() > 8) return -1;
  long v = 0;
  for (char c : digits) {
    const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                  : base == 16 && std::isxdigit(static_cast<unsigned char>(c))
                      ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                      : -1;
    if (d < 0) return -1;
    v = v * base + d;
  }
  return v;
}

void append_utf8(std::string& s, long cp) {
  if (cp <= 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// An entity as the text it stands for: numeric ones, and the named ones an answer is likely
// to hold. False for any other name (the caller shows it as written): the report is also
// well-formed XML, where only five names exist.
bool decode_entity(std::string_view e, std::string& into) {
  static const std::pair<std::string_view, long> kNamed[] = {
      {"&amp;", '&'},       {"&lt;", '<'},       {"&gt;", '>'},       {"&quot;", '"'},
      {"&apos;", '\''},     {"&nbsp;", 0xA0},    {"&ndash;", 0x2013}, {"&mdash;", 0x2014},
      {"&hellip;", 0x2026}, {"&lsquo;", 0x2018}, {"&rsquo;", 0x2019}, {"&ldquo;", 0x201C},
      {"&rdquo;", 0x201D},  {"&laquo;", 0xAB},   {"&raquo;", 0xBB},   {"&euro;", 0x20AC},
      {"&pound;", 0xA3},    {"&copy;", 0xA9},    {"&reg;", 0xAE},     {"&trade;", 0x2122},
      {"&times;", 0xD7},    {"&middot;", 0xB7},  {"&bull;", 0x2022},  {"&rarr;", 0x2192},
      {"&larr;", 0x2190},   {"&le;", 0x2264},    {"&ge;", 0x2265},    {"&deg;", 0xB0}};
  for (const auto& [name, cp] : kNamed)
    if (e == name) {
      append_utf8(into, cp);
      return true;
    }
  const long cp = numeric_entity(e);
  if (cp < 0) return false;
  append_utf8(into, cp);
  return true;
}

// The attribute's text with entities decoded, or false when it holds an entity this renderer
// does not decode (then the target cannot be checked, and is refused).
bool attribute_text(const MD_ATTRIBUTE& a, std::string& into) {
  for (int i = 0; a.substr_offsets[i] < a.size; ++i) {
    const std::string_view part(a.text + a.substr_offsets[i],
                                a.substr_offsets[i + 1] - a.substr_offsets[i]);
    switch (a.substr_types[i]) {
      case MD_TEXT_NORMAL:
        into += part;
        break;
      case MD_TEXT_ENTITY:
        if (!decode_entity(part, into)) return false;
        break;
      case MD_TEXT_NULLCHAR:
        into += "\xEF\xBF\xBD";
        break;
      default:
        return false;
    }
  }
  return true;
}

// The link target as an attribute value, or "" when it is not one of the allowed kinds.
std::string safe_href(const MD_ATTRIBUTE& a) {
  std::string url;
  if (!attribute_text(a, url)) return "";
  std::string lower = url.substr(0, 8);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool allowed = lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0 ||
                       lower.rfind("mailto:", 0) == 0;
  return allowed && url.size() > 8 ? escape_html(url) : "";
}

int heading_level(const void* detail) {
  const unsigned level = static_cast<const MD_BLOCK_H_DETAIL*>(detail)->level;
  return static_cast<int>(std::min(6u, level + 2));
}

int enter_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto& r = *static_cast<Renderer*>(userdata);
  switch (type) {
    case MD_BLOCK_DOC:
      break;
    case MD_BLOCK_QUOTE:
      r.out += "<blockquote>\n";
      break;
    case MD_BLOCK_UL:
      r.out += "<ul>\n";
      break;
    case MD_BLOCK_OL: {
      const unsigned start = static_cast<const MD_BLOCK_OL_DETAIL*>(detail)->start;
      r.out += start == 1 ? "<ol>\n" : "<ol start=\"" + std::to_string(start) + "\">\n";
      break;
    }
    case MD_BLOCK_LI:
      r.out += "<li>";
      break;
    case MD_BLOCK_HR:
      r.out += "<hr/>\n";
      break;
    case MD_BLOCK_H:
      r.out += "<h" + std::to_string(heading_level(detail)) + ">";
      break;
    case MD_BLOCK_CODE:
      r.out += "<pre><code>";
      break;
    case MD_BLOCK_HTML:  // not recognised with MD_FLAG_NOHTML; shown as text if ever
      r.out += "<pre>";
      break;
    case MD_BLOCK_P:
      r.out += "<p>";
      break;
    case MD_BLOCK_TABLE:
      r.out += "<table class=\"advice-table\">\n";
      break;
    case MD_BLOCK_THEAD:
      r.out += "<thead>\n";
      break;
    case MD_BLOCK_TBODY:
      r.out += "<tbody>\n";
      break;
    case MD_BLOCK_TR:
      r.out += "<tr>";
      break;
    case MD_BLOCK_TH:
      r.out += "<th>";
      break;
    case MD_BLOCK_TD:
      r.out += "<td>";
      break;
  }
  return 0;
}

int leave_block(MD_BLOCKTYPE type, void* detail, void* userdata) {
  auto& r = *static_cast<Renderer*>(userdata);
  switch (type) {
    case MD_BLOCK_DOC:
    case MD_BLOCK_HR:
      break;
    case MD_BLOCK_QUOTE:
      r.out += "</blockquote>\n";
      break;
    case MD_BLOCK_UL:
      r.out += "</ul>\n";
      break;
    case MD_BLOCK_OL:
      r.out += "</ol>\n";
      break;
    case MD_BLOCK_LI:
      r.out += "</li>\n";
      break;
    case MD_BLOCK_H:
      r.out += "</h" + std::to_string(heading_level(detail)) + ">\n";
      break;
    case MD_BLOCK_CODE:
      r.out += "</code></pre>\n";
      break;
    case MD_BLOCK_HTML:
      r.out += "</pre>\n";
      break;
    case MD_BLOCK_P:
      r.out += "</p>\n";
      break;
    case MD_BLOCK_TABLE:
      r.out += "</table>\n";
      break;
    case MD_BLOCK_THEAD:
      r.out += "</thead>\n";
      break;
    case MD_BLOCK_TBODY:
      r.out += "</tbody>\n";
      break;
    case MD_BLOCK_TR:
      r.out += "</tr>\n";
      break;
    case MD_BLOCK_TH:
      r.out += "</th>";
      break;
    case MD_BLOCK_TD:
      r.out += "</td>";
      break;
  }
  return 0;
}

int enter_span(MD_SPANTYPE type, void* detail, void* userdata) {
  auto& r = *static_cast<Renderer*>(userdata);
  if (r.image_depth > 0) {  // markup inside an image's alt text is dropped
    r.image_depth += type == MD_SPAN_IMG;
    if (type == MD_SPAN_A) r.link_open.push_back(false);
    return 0;
  }
  switch (type) {
    case MD_SPAN_EM:
      r.out += "<em>";
      break;
    case MD_SPAN_STRONG:
      r.out += "<strong>";
      break;
    case MD_SPAN_CODE:
      r.out += "<code>";
      break;
    case MD_SPAN_DEL:
      r.out += "<del>";
      break;
    case MD_SPAN_A: {
      const std::string href = safe_href(static_cast<const MD_SPAN_A_DETAIL*>(detail)->href);
      r.link_open.push_back(!href.empty());
      if (!href.empty()) r.out += "<a href=\"" + href + "\" rel=\"noopener noreferrer\">";
      break;
    }
    case MD_SPAN_IMG:
      r.image_depth = 1;
      r.out += "<span class=\"image-omitted\">[image: ";
      break;
    default:  // not enabled: LaTeX, wiki links, underline
      break;
  }
  return 0;
}

int leave_span(MD_SPANTYPE type, void* detail, void* userdata) {
  auto& r = *static_cast<Renderer*>(userdata);
  if (type == MD_SPAN_A) {
    const bool open = !r.link_open.empty() && r.link_open.back();
    if (!r.link_open.empty()) r.link_open.pop_back();
    if (open) r.out += "</a>";
    return 0;
  }
  if (r.image_depth > 0) {
    if (type == MD_SPAN_IMG && --r.image_depth == 0) r.out += "]</span>";
    return 0;
  }
  switch (type) {
    case MD_SPAN_EM:
      r.out += "</em>";
      break;
    case MD_SPAN_STRONG:
      r.out += "</strong>";
      break;
    case MD_SPAN_CODE:
      r.out += "</code>";
      break;
    case MD_SPAN_DEL:
      r.out += "</del>";
      break;
    default:
      break;
  }
  return 0;
}

int text(MD_TEXTTYPE type, const MD_CHAR* data, MD_SIZE size, void* userdata) {
  auto& r = *static_cast<Renderer*>(userdata);
  const std::string_view t(data, size);
  switch (type) {
    case MD_TEXT_NULLCHAR:
      r.out += "\xEF\xBF\xBD";
      break;
    case MD_TEXT_BR:
      r.out += r.image_depth > 0 ? " " : "<br/>\n";
      break;
    case MD_TEXT_SOFTBR:
      r.out += r.image_depth > 0 ? " " : "\n";
      break;
    case MD_TEXT_ENTITY: {
      std::string decoded;
      r.out += escape_html(decode_entity(t, decoded) ? decoded : t);
      break;
    }
    default:  // normal text, code, and raw HTML (shown as text)
      r.out += escape_html(t);
      break;
  }
  return 0;
}

}  // namespace
}  // namespace markdown_render

std::string markdown_to_safe_html(std::string_view markdown) {
  using namespace markdown_render;
  MD_PARSER parser{};
  parser.abi_version = 0;
  parser.flags = MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;
  parser.enter_block = enter_block;
  parser.leave_block = leave_block;
  parser.enter_span = enter_span;
  parser.leave_span = leave_span;
  parser.text = text;
  Renderer r;
  r.out.reserve(markdown.size() + markdown.size() / 4);
  if (md_parse(markdown.data(), static_cast<MD_SIZE>(markdown.size()), &parser, &r) != 0)
    return "<pre>" + escape_html(markdown) + "</pre>\n";  // md4c ran out of memory: the text
  return r.out;
}

}  // namespace elv::report
