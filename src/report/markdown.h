// Markdown as safe HTML: the GenAI advisor's answer (advice.md) shown in report.html and in
// the web app's Advisor tab. The answer comes from a third party's model, so it is treated as
// untrusted text: the result can be put into a page as markup without running anything.
#pragma once
#include <string>
#include <string_view>

namespace elv::report {

// CommonMark with tables and strikethrough, parsed by md4c and rendered here (not by
// md4c-html, which passes link targets through):
//  - raw HTML is never markup: "<script>" and "<img onerror=…>" come out as text;
//  - a link is a link only when its target, entities decoded, starts with http://, https://
//    or mailto:; any other target (javascript:, data:, vbscript:, relative paths) leaves its
//    text alone, without the link;
//  - images are never loaded (the report loads nothing from the network): their alt text is
//    shown instead;
//  - headings move two levels down (# becomes <h3>), under the page's own headings;
//  - invalid UTF-8 and control characters become U+FFFD, as everywhere in the report.
std::string markdown_to_safe_html(std::string_view markdown);

}  // namespace elv::report
