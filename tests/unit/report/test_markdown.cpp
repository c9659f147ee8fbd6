// markdown_to_safe_html (report/markdown.h): the GenAI advisor's answer is untrusted text.
// Raw HTML must come out as text, link targets other than http(s) and mailto must lose their
// link (however they are spelled), images must not load, and the result must be well-formed
// XML (report.html is). Checked on the output string and with libxml2's XML parser.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "report/markdown.h"

using elv::report::markdown_to_safe_html;

namespace {

bool has(const std::string& html, const std::string& needle) {
  return html.find(needle) != std::string::npos;
}

// The fragment parses as XML inside one element, and holds no element outside the renderer's
// own set, and no attribute but href (links), rel, start (lists) and class.
void expect_safe_markup(const std::string& html) {
  const std::string doc = "<div>" + html + "</div>";
  xmlDocPtr parsed = xmlReadMemory(doc.data(), static_cast<int>(doc.size()), "f.xml", "UTF-8",
                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  ASSERT_NE(parsed, nullptr) << "not well-formed: " << html;
  static const std::vector<std::string> kTags = {
      "div",        "p",     "h3",    "h4", "h5",     "h6",  "ul",  "ol", "li",
      "blockquote", "pre",   "code",  "em", "strong", "del", "a",   "br", "hr",
      "table",      "thead", "tbody", "tr", "th",     "td",  "span"};
  static const std::vector<std::string> kAttributes = {"href", "rel", "start", "class"};
  std::vector<xmlNodePtr> stack = {xmlDocGetRootElement(parsed)};
  while (!stack.empty()) {
    xmlNodePtr n = stack.back();
    stack.pop_back();
    for (; n; n = n->next) {
      if (n->type != XML_ELEMENT_NODE) continue;
      const std::string name = reinterpret_cast<const char*>(n->name);
      EXPECT_NE(std::find(kTags.begin(), kTags.end(), name), kTags.end()) << name << " in " << html;
      for (xmlAttrPtr a = n->properties; a; a = a->next) {
        const std::string attr = reinterpret_cast<const char*>(a->name);
        EXPECT_NE(std::find(kAttributes.begin(), kAttributes.end(), attr), kAttributes.end())
            << attr << " in " << html;
        if (attr == "href") {
          xmlChar* v = xmlNodeGetContent(a->children);
          const std::string href = v ? reinterpret_cast<const char*>(v) : "";
          xmlFree(v);
          EXPECT_TRUE(href.rfind("https://", 0) == 0 || href.rfind("http://", 0) == 0 ||
                      href.rfind("mailto:", 0) == 0)
              << href;
        }
      }
      if (n->children) stack.push_back(n->children);
    }
  }
  xmlFreeDoc(parsed);
}

std::string safe(const std::string& markdown) {
  const std::string html = markdown_to_safe_html(markdown);
  expect_safe_markup(html);
  return html;
}

TEST(MarkdownSafeHtml, RendersTheUsualMarkdown) {
  const std::string html = safe(
      "# Plan\n\nSpend **more** on *Summer*; ~~stop~~ `cmp_1`.\n\n"
      "- one\n- two\n\n3. three\n4. four\n\n> quoted\n\n"
      "| campaign | ELV |\n|---|---:|\n| A & B | 1.5 |\n\n```\nif a < b\n```\n\n---\n");
  EXPECT_TRUE(has(html, "<h3>Plan</h3>")) << html;
  EXPECT_TRUE(has(html, "<strong>more</strong>"));
  EXPECT_TRUE(has(html, "<em>Summer</em>"));
  EXPECT_TRUE(has(html, "<del>stop</del>"));
  EXPECT_TRUE(has(html, "<code>cmp_1</code>"));
  EXPECT_TRUE(has(html, "<ul>\n<li>one</li>\n<li>two</li>\n</ul>"));
  EXPECT_TRUE(has(html, "<ol start=\"3\">\n<li>three</li>"));
  EXPECT_TRUE(has(html, "<blockquote>\n<p>quoted</p>\n</blockquote>"));
  EXPECT_TRUE(has(html, "<th>campaign</th><th>ELV</th>"));
  EXPECT_TRUE(has(html, "<td>A &amp; B</td><td>1.5</td>"));
  EXPECT_TRUE(has(html, "<pre><code>if a &lt; b\n</code></pre>"));
  EXPECT_TRUE(has(html, "<hr/>"));
  EXPECT_EQ(safe("###### deep\n"), "<h6>deep</h6>\n") << "levels stop at 6";
}

TEST(MarkdownSafeHtml, RawHtmlIsText) {
  const std::string script = safe("Hello <script>alert(1)</script> there\n");
  EXPECT_EQ(script, "<p>Hello &lt;script&gt;alert(1)&lt;/script&gt; there</p>\n");
  const std::string block = safe("<script>\nalert(1)\n</script>\n");
  EXPECT_FALSE(has(block, "<script")) << block;
  EXPECT_TRUE(has(block, "&lt;script&gt;")) << block;
  const std::string img = safe("<img src=x onerror=alert(1)>\n");
  EXPECT_FALSE(has(img, "<img")) << img;
  EXPECT_TRUE(has(img, "&lt;img src=x onerror=alert(1)&gt;")) << img;
  const std::string iframe = safe("a <iframe src=\"javascript:alert(1)\"></iframe> b\n");
  EXPECT_FALSE(has(iframe, "<iframe")) << iframe;
  EXPECT_TRUE(has(iframe, "&lt;iframe src=&quot;javascript:alert(1)&quot;&gt;")) << iframe;
}

TEST(MarkdownSafeHtml, OnlyWebAndMailLinksStayLinks) {
  EXPECT_EQ(safe("[site](https://example.com/a?b=1&c=2)\n"),
            "<p><a href=\"https://example.com/a?b=1&amp;c=2\" rel=\"noopener noreferrer\">site</a>"
            "</p>\n");
  EXPECT_TRUE(has(safe("[m](mailto:a@example.com)\n"), "href=\"mailto:a@example.com\""));
  EXPECT_TRUE(has(safe("<https://example.com>\n"), "<a href=\"https://example.com\""));
  EXPECT_TRUE(has(safe("<a@example.com>\n"), "href=\"mailto:a@example.com\""));
  for (const std::string md : {
           "[x](javascript:alert(1))",
           "[x](JavaScript:alert(1))",
           "[x](&#106;avascript:alert(1))",
           "[x](&#x6A;avascript&colon;alert(1))",
           "[x](java&#x09;script:alert(1))",
           "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
           "[x](vbscript:msgbox(1))",
           "[x]( javascript:alert(1) )",
           "[x](<javascript:alert(1)>)",
           "<javascript:alert(1)>",
           "[x][r]\n\n[r]: javascript:alert(1)",
           "[x](/relative/path)",
           "[x](http:)",
       }) {
    const std::string html = safe(md + "\n");
    EXPECT_FALSE(has(html, "<a ")) << md << " -> " << html;
    EXPECT_FALSE(has(html, "href")) << md << " -> " << html;
  }
  // The link's text is kept, without the link.
  EXPECT_EQ(safe("[click me](javascript:alert(1))\n"), "<p>click me</p>\n");
}

TEST(MarkdownSafeHtml, ImagesAreNeverLoaded) {
  const std::string html = safe("![a chart](https://tracker.example/pixel.png)\n");
  EXPECT_FALSE(has(html, "<img")) << html;
  EXPECT_FALSE(has(html, "tracker")) << html;
  EXPECT_TRUE(has(html, "[image: a chart]")) << html;
  const std::string nested = safe("[![alt *em*](x.png)](https://example.com)\n");
  EXPECT_TRUE(has(nested, "[image: alt em]")) << nested;
}

TEST(MarkdownSafeHtml, EntitiesAreDecodedThenEscaped) {
  EXPECT_EQ(safe("a &lt;b&gt; &amp; &mdash; &#65; &#x42; &nbsp;\n"),
            "<p>a &lt;b&gt; &amp; \xE2\x80\x94 A B \xC2\xA0</p>\n");
  EXPECT_EQ(safe("&unknownname; &#0;\n"), "<p>&amp;unknownname; \xEF\xBF\xBD</p>\n");
  EXPECT_EQ(safe("&#60;script&#62;\n"), "<p>&lt;script&gt;</p>\n");
}

TEST(MarkdownSafeHtml, BadBytesAndEmptyInput) {
  EXPECT_EQ(markdown_to_safe_html(""), "");
  const std::string html = safe(std::string("bad \xFF byte and \x01 control\n"));
  EXPECT_EQ(html, "<p>bad \xEF\xBF\xBD byte and \xEF\xBF\xBD control</p>\n");
  const std::string nul = safe(std::string("nul \0 here\n", 11));
  EXPECT_TRUE(has(nul, "nul \xEF\xBF\xBD here")) << nul;
}

}  // namespace
