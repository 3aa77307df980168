import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractBug, extractedBugSchema } from "@/lib/pipeline/extraction";
import { filterNoise, noiseResultSchema } from "@/lib/pipeline/noise";
import { redactPii } from "@/lib/pipeline/redact";
import { fromIntercom, normalizedTicketSchema } from "@/lib/pipeline/tickets";
import { intercomConversation } from "./fixtures/intercom";

/** Whatever a customer sends, every stage answers with a valid result and never throws. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence is the point.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E]/;

const htmlish = fc
  .array(
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        "<p>",
        "</p>",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:x()">',
        "</a>",
        "<br>",
        "&lt;",
        "&#0;",
        "\u0000",
        "\u202E",
        "<pre>",
        "</pre>",
        "    at f (a.js:1:2)\n",
        "Steps to reproduce:\n1. ",
        "Expected: ",
        "TypeError: ",
      ),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(""));

describe("robustness", () => {
  it("a subject of only full stops and an empty body still get a title (fast-check found it)", () => {
    const ticket = fromIntercom(intercomConversation({ id: "1", subject: ".", body: "" }));
    const noise = filterNoise(ticket);
    const bug = extractBug({
      subject: ticket.subject,
      customerText: noise.customerText,
      language: noise.language,
    });
    expect(bug.title).toBe("Untitled report");
  });

  it("property: any Intercom body converts, filters and extracts to valid, inert output", () => {
    fc.assert(
      fc.property(htmlish, htmlish, (subject, body) => {
        const ticket = fromIntercom(intercomConversation({ id: "1", subject, body }));
        normalizedTicketSchema.parse(ticket);
        for (const m of ticket.messages) {
          expect(m.body).not.toMatch(CONTROL);
          expect(m.body).not.toContain("alert(1)</script>");
          expect(m.body).not.toMatch(/onerror|javascript:/i);
        }
        const noise = noiseResultSchema.parse(filterNoise(ticket));
        const bug = extractedBugSchema.parse(
          extractBug({
            subject: ticket.subject,
            customerText: noise.customerText,
            language: noise.language,
          }),
        );
        expect(bug.title.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  // Regular expressions over customer text must stay linear: a quadratic pattern turns a pasted
  // log into a stage that times out. 100,000 characters is the whole ticket budget.
  const walls: Record<string, string> = {
    "letters without an @": "a".repeat(100_000),
    "digits and dashes": "12-".repeat(33_333),
    "digits and spaces": "1 ".repeat(50_000),
    "dots and digits": "1.".repeat(50_000),
    "one long key=value": "password=".repeat(11_111),
    "should without but": "x should ".repeat(11_111),
    "spaces then a letter": `a${" ".repeat(100_000)}b`,
    "a frame-like line of brackets": `at a${"(".repeat(100_000)}`,
  };
  for (const [name, text] of Object.entries(walls)) {
    // The guard is the test's timeout, a hang detector rather than a speed figure: the linear
    // versions take well under half a second here, the quadratic ones took tens of seconds.
    it(`finishes on a wall of text: ${name}`, () => {
      expect(redactPii(text).text.length).toBeGreaterThan(0);
      expect(extractBug({ subject: "", customerText: text, language: null }).title).toBeTypeOf(
        "string",
      );
      filterNoise(fromIntercom(intercomConversation({ id: "2", body: text })));
    }, 20_000);
  }
});
