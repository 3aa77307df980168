import { convert, type HtmlToTextOptions } from "html-to-text";
import { normalizeText } from "./text";

/**
 * HTML → plain text with html-to-text (a real HTML parser, htmlparser2), configured so the
 * result is inert:
 * - elements whose content is code, not words (script, style, template, iframe, object, svg,
 *   noscript, head, form controls) are dropped with their content;
 * - images become `[image: alt text]`: the alt is what a customer's screenshot says, the `src`
 *   may be a megabyte of data URI or a signed URL;
 * - a link keeps its text, and its address only when it is http(s) (a `javascript:` or `data:`
 *   href is dropped); the code map reads forge links to lines;
 * - entities are decoded once, so `&lt;script&gt;` typed by a customer stays the text
 *   `<script>`: it is words, and pages render ticket text as text.
 */

/** Larger HTML than this is cut before parsing (the ticket budget cuts text far below it). */
export const MAX_HTML_INPUT = 2_000_000;

const SKIP = [
  "script",
  "style",
  "template",
  "iframe",
  "object",
  "embed",
  "svg",
  "math",
  "noscript",
  "head",
  "select",
  "textarea",
  "button",
  "input",
  "canvas",
  "audio",
  "video",
];

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  limits: { maxInputLength: MAX_HTML_INPUT, ellipsis: "…" },
  formatters: {
    safeImage(elem, _walk, builder) {
      const alt = (elem.attribs?.alt ?? "").trim();
      builder.addInline(alt ? ` [image: ${alt}] ` : " [image] ", { noWordTransform: true });
    },
  },
  selectors: [
    ...SKIP.map((selector) => ({ selector, format: "skip" })),
    { selector: "img", format: "safeImage" },
    {
      selector: "a",
      options: {
        hideLinkHrefIfSameAsText: true,
        linkBrackets: [" (", ")"],
        // Anything but a web address (javascript:, data:, vbscript:, relative paths) is dropped.
        pathRewrite: (href: string) => (/^https?:\/\//i.test(href.trim()) ? href.trim() : ""),
      },
    },
    { selector: "h1", options: { uppercase: false } },
    { selector: "h2", options: { uppercase: false } },
    { selector: "h3", options: { uppercase: false } },
    { selector: "table", format: "dataTable" },
  ],
};

/** Converts provider HTML (Intercom bodies, Zendesk `html_body`) to normalized plain text. */
export function htmlToText(html: string): string {
  return normalizeText(convert(html, OPTIONS));
}
