import { describe, expect, it } from "vitest";
import { extractBug, extractedBugSchema, toBugReport } from "@/lib/pipeline/extraction";
import { filterNoise } from "@/lib/pipeline/noise";
import { fromIntercom, fromZendesk, type NormalizedTicket } from "@/lib/pipeline/tickets";
import { CONTACT, intercomConversation } from "./fixtures/intercom";
import { AGENT, REQUESTER, zendeskTicket } from "./fixtures/zendesk";

/** Noise filter then extraction, as the pipeline chains them. */
function run(ticket: NormalizedTicket) {
  const noise = filterNoise(ticket);
  const bug = extractBug({
    subject: ticket.subject,
    customerText: noise.customerText,
    language: noise.language,
  });
  return { noise, bug };
}

const TRACE = [
  "TypeError: Cannot read properties of undefined (reading 'map')",
  "    at renderRows (webpack-internal:///./src/components/ReportTable.tsx:42:17)",
  "    at ReportTable (webpack-internal:///./src/components/ReportTable.tsx:88:5)",
  "    at renderWithHooks (node_modules/react-dom/cjs/react-dom.development.js:14985:18)",
].join("\n");

describe("an English bug with a reproduction path", () => {
  const ticket = fromZendesk(
    zendeskTicket({
      id: 301,
      subject: "Re: Reports page crashes when exporting November",
      comments: [
        {
          id: 1,
          author: REQUESTER.id,
          html: [
            "<p>Hi team,</p>",
            "<p><strong>Steps to reproduce:</strong></p>",
            "<ol><li>Open the Reports page</li><li>Pick November 2026 in the month filter</li><li>Click “Export CSV”</li></ol>",
            "<p><strong>Expected:</strong> a CSV file downloads.</p>",
            "<p><strong>Actual:</strong> the page goes blank and the console shows:</p>",
            `<pre>${TRACE}</pre>`,
            "<p>Our finance team cannot close the month without this export.</p>",
            "<p>Thanks, Dana</p>",
          ].join(""),
          at: "2026-11-30T09:00:00Z",
        },
        {
          id: 2,
          author: AGENT.id,
          html: "<p>Thanks Dana, we are on it.</p>",
          at: "2026-11-30T09:10:00Z",
        },
      ],
    }),
  );

  it("extracts every field, keeps errors and traces verbatim, and passes the 0.7 gate", () => {
    const { noise, bug } = run(ticket);
    expect(noise.decision).toBe("process");
    expect(extractedBugSchema.parse(bug)).toEqual(bug);
    expect(bug.title).toBe("Reports page crashes when exporting November");
    expect(bug.stepsToReproduce).toEqual([
      "Open the Reports page",
      "Pick November 2026 in the month filter",
      "Click “Export CSV”",
    ]);
    expect(bug.expected).toBe("a CSV file downloads.");
    expect(bug.actual).toBe("the page goes blank and the console shows:");
    expect(bug.errorMessages).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'map')",
    ]);
    expect(bug.stackTraces).toEqual([TRACE]);
    expect(bug.affectedFeature).toBe("Reports page");
    expect(bug.customerImpact).toBe("Our finance team cannot close the month without this export.");
    expect(bug.severity).toEqual({ level: "high", cue: "“crashes”" });
    expect(bug.verbatim.language).toBe("en");
    expect(bug.verbatim.text).toContain(TRACE);
    expect(bug.confidence).toBeGreaterThanOrEqual(0.7);
    expect(bug.confidenceReasons[0]).toBe("3 steps to reproduce (+0.30)");
  });

  it("hands the code map a BugReport with the same verbatim evidence", () => {
    const report = toBugReport(run(ticket).bug);
    expect(report.title).toBe("Reports page crashes when exporting November");
    expect(report.stackTraces).toEqual([TRACE]);
    expect(report.stepsToReproduce).toBe(
      "1. Open the Reports page\n2. Pick November 2026 in the month filter\n3. Click “Export CSV”",
    );
    expect(report.featureArea).toBe("Reports page");
  });
});

describe("a bug with no reproduction path", () => {
  it("is extracted with what there is and stays below the gate", () => {
    const { noise, bug } = run(
      fromIntercom(
        intercomConversation({
          id: "401",
          body: "<p>Hi, the export is broken again. Please fix asap.</p>",
        }),
      ),
    );
    expect(noise.decision).toBe("process");
    expect(bug.title).toBe("Hi, the export is broken again");
    expect(bug.stepsToReproduce).toEqual([]);
    expect(bug.expected).toBeNull();
    expect(bug.actual).toBe("Hi, the export is broken again.");
    expect(bug.severity).toEqual({ level: "high", cue: "“asap”" });
    expect(bug.confidence).toBeLessThan(0.7);
    expect(bug.confidenceReasons).toContain("no reproduction path");
  });

  it("reads prose expectations: 'should … but …'", () => {
    const bug = extractBug({
      subject: "Totals wrong",
      customerText:
        "When I apply a 10% discount on the checkout page, the total should drop to 90 EUR but it still shows 100 EUR. This is a minor thing for now.",
      language: "en",
    });
    expect(bug.expected).toBe("the total should drop to 90 EUR");
    expect(bug.actual).toBe("it still shows 100 EUR");
    expect(bug.affectedFeature).toBe("checkout page");
    expect(bug.severity).toEqual({ level: "low", cue: "“minor”" });
    // one triggering action, a stated gap and a named feature: just reaches the 0.7 gate
    expect(bug.confidence).toBe(0.7);
    expect(bug.confidenceReasons).toEqual([
      "one triggering action, no full steps (+0.15)",
      "expected and actual behaviour both stated (+0.25)",
      "the affected feature is named (+0.10)",
    ]);
  });
});

describe("other languages", () => {
  it("extracts a Spanish bug from prose and keeps the customer's words", () => {
    const text =
      'Hola, cuando hago clic en "Exportar" en la página de Informes, la aplicación se cierra. Esperaba descargar un archivo CSV pero aparece una pantalla en blanco. Primero abro Informes, luego elijo el mes de noviembre y después pulso Exportar. Nuestros clientes no pueden descargar sus facturas.';
    const ticket = fromZendesk(
      zendeskTicket({
        id: 501,
        subject: "Ayuda",
        requester: { ...REQUESTER, locale: "es-419" },
        comments: [{ id: 1, author: REQUESTER.id, plain: text, at: "2026-11-30T09:00:00Z" }],
      }),
    );
    const { noise, bug } = run(ticket);
    expect(noise.language).toBe("es");
    expect(bug.verbatim).toEqual({ text, language: "es" });
    expect(bug.stepsToReproduce).toEqual([
      "abro Informes",
      "elijo el mes de noviembre",
      "pulso Exportar",
    ]);
    expect(bug.expected).toBe("descargar un archivo CSV");
    expect(bug.actual).toBe("aparece una pantalla en blanco");
    expect(bug.affectedFeature).toBe("página de Informes");
    expect(bug.customerImpact).toBe("Nuestros clientes no pueden descargar sus facturas.");
    expect(bug.severity).toEqual({ level: "high", cue: "“se cierra”" });
    // "Ayuda" is no title
    expect(bug.title).toBe("aparece una pantalla en blanco");
    expect(bug.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it("extracts a German bug from labelled sections", () => {
    const ticket = fromIntercom(
      intercomConversation({
        id: "502",
        subject: "Einstellungen werden nicht gespeichert",
        body: [
          "<p>Hallo,</p>",
          "<p>Schritte:</p><ol><li>Einstellungen öffnen</li><li>Auf „Speichern“ klicken</li><li>Seite neu laden</li></ol>",
          "<p>Erwartet: Die Änderungen bleiben gespeichert.</p>",
          "<p>Tatsächliches Verhalten: Alle Änderungen sind weg und es erscheint „Fehler 500“.</p>",
          "<p>Das blockiert unser ganzes Team.</p>",
        ].join(""),
      }),
      { contactLocale: "de" },
    );
    const { noise, bug } = run(ticket);
    expect(noise.language).toBe("de");
    expect(bug.title).toBe("Einstellungen werden nicht gespeichert");
    expect(bug.stepsToReproduce).toEqual([
      "Einstellungen öffnen",
      "Auf „Speichern“ klicken",
      "Seite neu laden",
    ]);
    expect(bug.expected).toBe("Die Änderungen bleiben gespeichert.");
    expect(bug.actual).toBe("Alle Änderungen sind weg und es erscheint „Fehler 500“.");
    expect(bug.errorMessages).toEqual(["Fehler 500"]);
    expect(bug.customerImpact).toBe("Das blockiert unser ganzes Team.");
    expect(bug.severity.level).toBe("high");
    expect(bug.verbatim.language).toBe("de");
    expect(bug.confidence).toBeGreaterThanOrEqual(0.7);
  });
});

describe("hard tickets", () => {
  it("a ticket with only a screenshot keeps its description and waits for a person", () => {
    const ticket = fromIntercom(
      intercomConversation({
        id: "601",
        body: '<p>see screenshot</p><img src="https://downloads.intercomcdn.com/i/o/1/abc.png" alt="Error dialog: Something went wrong (code 0x80070005)">',
        attachments: [
          { name: "Screen Shot 2026-11-30 at 10.02.11.png", content_type: "image/png" },
        ],
      }),
    );
    const { noise, bug } = run(ticket);
    expect(noise.decision).toBe("process");
    expect(noise.customerText).toBe(
      "see screenshot\n\n[image: Error dialog: Something went wrong (code 0x80070005)]\n\n[attachment: Screen Shot 2026-11-30 at 10.02.11.png]",
    );
    expect(bug.verbatim.text).toBe(noise.customerText);
    expect(bug.errorMessages).toContain("Error dialog: Something went wrong (code 0x80070005)");
    expect(bug.stepsToReproduce).toEqual([]);
    expect(bug.confidence).toBeLessThan(0.5);
  });

  it("a very long thread is read from its kept turns, with the report first", () => {
    const comments = Array.from({ length: 300 }, (_, i) => ({
      id: i + 1,
      author: i % 2 === 0 ? REQUESTER.id : AGENT.id,
      plain:
        i === 0
          ? "Calendar sync fails every night.\nError: invalid_grant (token expired)\n"
          : `Update ${i}: ${"still failing after retry. ".repeat(200)}`,
      at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    }));
    const ticket = fromZendesk(
      zendeskTicket({ id: 602, subject: "Calendar sync fails nightly", comments }),
    );
    const { bug } = run(ticket);
    expect(ticket.truncation).not.toBeNull();
    expect(bug.title).toBe("Calendar sync fails nightly");
    expect(bug.errorMessages[0]).toBe("Error: invalid_grant (token expired)");
    expect(bug.verbatim.text.startsWith("Calendar sync fails every night.")).toBe(true);
  });

  it("hostile HTML comes out as inert text in every extracted field", () => {
    const ticket = fromIntercom(
      intercomConversation({
        id: "603",
        subject: '<img src=x onerror="alert(1)">Save fails',
        body: '<p>Save fails with an error<script>alert("x")</script> on the <a href="javascript:alert(1)">settings page</a>\u0007.</p><p>Error: save_failed</p>',
        author: CONTACT,
      }),
    );
    const { bug } = run(ticket);
    const json = JSON.stringify(bug);
    for (const bad of ["<script", "onerror", "javascript:", "alert(", "\\u0007"])
      expect(json).not.toContain(bad);
    expect(bug.title).toBe("Save fails");
    expect(bug.errorMessages).toEqual(["Error: save_failed"]);
  });
});

describe("severity cues", () => {
  const level = (text: string) =>
    extractBug({ subject: "", customerText: text, language: "en" }).severity;

  it("reads consequences, not alarm words", () => {
    expect(level("Since the update we lost all our orders from yesterday.")).toEqual({
      level: "critical",
      cue: "“lost all our orders”",
    });
    expect(level("The mobile app leaks customer data into the public feed.").level).toBe(
      "critical",
    );
    // a memory leak is a defect, not a breach
    expect(level("There is a memory leak in the dashboard, the tab grows to 2 GB.").level).toBe(
      "medium",
    );
    expect(level("The footer link has a typo: 'Contcat us'.")).toEqual({
      level: "low",
      cue: "“typo”",
    });
    expect(level("Every time I open settings the labels overlap.").level).toBe("medium");
  });
});
