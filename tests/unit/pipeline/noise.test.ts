import { describe, expect, it } from "vitest";
import { classifyText, detectLanguage, filterNoise } from "@/lib/pipeline/noise";
import { fromIntercom, fromZendesk } from "@/lib/pipeline/tickets";
import { ADMIN, FIN, intercomConversation } from "./fixtures/intercom";
import { AGENT, REQUESTER, zendeskTicket } from "./fixtures/zendesk";

/** A one-message Zendesk ticket from the customer. */
function customerTicket(subject: string, body: string, tags: string[] = []) {
  return fromZendesk(
    zendeskTicket({
      id: 100,
      subject,
      tags,
      comments: [{ id: 1, author: REQUESTER.id, plain: body, at: "2026-11-30T09:00:00Z" }],
    }),
  );
}

const BUG_WITH_TRACE = [
  "Hi, exporting the November report fails every time.",
  "TypeError: Cannot read properties of undefined (reading 'map')",
  "    at renderRows (src/components/ReportTable.tsx:42:17)",
  "    at ReportTable (src/components/ReportTable.tsx:88:5)",
  "Thanks!",
].join("\n");

describe("skip tags and the team filter", () => {
  it("skips a ticket tagged not-a-bug, spam or patchline-skip, naming the tag", () => {
    for (const tag of ["Not-A-Bug", "spam", "patchline-skip", "patchline_skip"]) {
      const result = filterNoise(customerTicket("Crash", BUG_WITH_TRACE, [tag]));
      expect(result.decision).toBe("skip");
      expect(result.skip).toEqual({
        kind: "tag",
        reason: `Tagged “${tag.toLowerCase()}”, which skips processing.`,
      });
    }
  });

  it("a ticket tagged spam is classified spam, whatever its words resemble", () => {
    const tagged = filterNoise(customerTicket("Crash", BUG_WITH_TRACE, ["spam"]));
    expect(tagged.classification.label).toBe("spam");
    const other = filterNoise(customerTicket("Crash", BUG_WITH_TRACE, ["not_a_bug"]));
    expect(other.classification.label).toBe("bug");
  });

  it("a ticket that goes on to extraction is classified a bug report, its other reading kept", () => {
    const result = filterNoise(
      customerTicket(
        "BULK15 code gives less than 15% off",
        "I ordered 24 jars at $3.49 with the BULK15 code. 15% of $83.76 is $12.56, but checkout only took $12.48 off. It happens on every bulk order and my bookkeeper flagged it because the discount on the receipt is never actually 15%. Could you check how the discount is worked out? Order #1187.",
      ),
    );
    expect(result.decision).toBe("process");
    expect(result.classification.label).toBe("bug");
    expect(result.classification.scores.billing).toBeGreaterThan(0);
  });

  it("honours a workspace's own skip tags", () => {
    const result = filterNoise(customerTicket("Crash", BUG_WITH_TRACE, ["internal_test"]), {
      skipTags: ["internal-test"],
    });
    expect(result.skip?.kind).toBe("tag");
  });

  it("skips Intercom conversations assigned to a team the workspace does not process", () => {
    const ticket = fromIntercom(
      intercomConversation({ id: "1", body: `<pre>${BUG_WITH_TRACE}</pre>`, teamId: 77 }),
    );
    expect(filterNoise(ticket, { teams: ["5017691"] }).skip?.kind).toBe("team");
    expect(filterNoise(ticket, { teams: ["77"] }).decision).toBe("process");
  });
});

describe("turns that carry no report", () => {
  it("strips bot, macro, auto-reply, survey and closing turns, each with its reason", () => {
    const ticket = fromZendesk(
      zendeskTicket({
        id: 200,
        subject: "Invoice PDF download crashes",
        comments: [
          {
            id: 1,
            author: REQUESTER.id,
            plain: "When I click Download PDF on an invoice the tab crashes with a blank page.",
            at: "2026-11-30T09:00:00Z",
          },
          {
            id: 2,
            author: AGENT.id,
            plain:
              "Your request (#200) has been received and is being reviewed by our support staff.",
            at: "2026-11-30T09:00:02Z",
            via: { channel: "rule", source: { rel: "trigger" } },
          },
          {
            id: 3,
            author: AGENT.id,
            plain: "Please clear your browser cache and try again.",
            at: "2026-11-30T09:05:00Z",
            via: { channel: "web", source: { rel: "macro" } },
          },
          {
            id: 4,
            author: REQUESTER.id,
            plain: "Automatic reply: I am out of the office until Monday.",
            at: "2026-11-30T09:05:30Z",
          },
          {
            id: 5,
            author: -1,
            plain: "Hi there, I'm the answer bot. These articles may help.",
            at: "2026-11-30T09:06:00Z",
            via: { channel: "answer_bot", source: { rel: null } },
          },
          {
            id: 6,
            author: AGENT.id,
            plain: "How would you rate the support you received? Reply with a number from 1 to 5.",
            at: "2026-12-01T09:00:00Z",
          },
          { id: 7, author: REQUESTER.id, plain: "5", at: "2026-12-01T09:10:00Z" },
          {
            id: 8,
            author: REQUESTER.id,
            plain: "Thanks, that worked!",
            at: "2026-12-01T09:11:00Z",
          },
        ],
      }),
    );
    const result = filterNoise(ticket);
    expect(result.stripped.map((s) => [s.messageId, s.kind])).toEqual([
      ["2", "auto_reply"],
      ["3", "macro"],
      ["4", "auto_reply"],
      ["5", "bot"],
      ["6", "survey"],
      ["7", "survey"],
      ["8", "thanks_closing"],
    ]);
    expect(result.keptMessageIds).toEqual(["1"]);
    expect(result.customerText).toBe(
      "When I click Download PDF on an invoice the tab crashes with a blank page.",
    );
    expect(result.decision).toBe("process");
    expect(result.classification.label).toBe("bug");
    expect(result.classification.scores.billing).toBeGreaterThan(0);
  });

  it("strips Intercom's AI agent (Fin) turns", () => {
    const ticket = fromIntercom(
      intercomConversation({
        id: "2",
        body: "<p>The calendar sync stopped working since yesterday's update.</p>",
        parts: [
          {
            id: "p1",
            author: FIN,
            body: "<p>Here is an article about calendar sync.</p>",
            at: 1764493300,
          },
        ],
      }),
    );
    const result = filterNoise(ticket);
    expect(result.stripped).toEqual([
      { messageId: "p1", kind: "bot", reason: "Written by a bot, not a person." },
    ]);
    expect(result.decision).toBe("process");
  });

  it("sets aside a thread in which the customer only says thanks", () => {
    const ticket = fromIntercom(
      intercomConversation({
        id: "3",
        body: "<p>Thank you so much, it's working now!</p>",
        parts: [{ id: "p1", author: ADMIN, body: "<p>Glad to hear it.</p>", at: 1764493300 }],
      }),
    );
    const result = filterNoise(ticket);
    expect(result.decision).toBe("skip");
    expect(result.skip).toEqual({
      kind: "empty",
      reason: "The customer only wrote thanks or closing words.",
    });
  });

  it("keeps a short request that ends in thanks: it asks for something, so it is no closing", () => {
    // the demo batch's refund and wishlist tickets were set aside as "only wrote thanks"
    for (const [subject, body, label] of [
      [
        "Refund for order #4410",
        "Hi, I returned the linen tea towels last week (tracking number RR123456789US). Could you please refund the $24.00 to my card? Thanks!",
        "billing",
      ],
      [
        "Feature request: wishlist",
        "It would be great if I could save products to a wishlist and share it with family before my birthday. Any plans to add that? Would love this feature.",
        "feature_request",
      ],
    ] as const) {
      const result = filterNoise(customerTicket(subject, body));
      expect(result.stripped, subject).toEqual([]);
      expect(result.classification.label, subject).toBe(label);
      expect(result.skip?.kind, subject).not.toBe("empty");
    }
  });

  it("keeps a report that ends in thanks", () => {
    const result = filterNoise(customerTicket("Export crash", BUG_WITH_TRACE));
    expect(result.stripped).toEqual([]);
    expect(result.classification.label).toBe("bug");
    expect(result.classification.reason).toMatch(
      /^Reads as a bug report: an error message, a stack trace, /,
    );
    expect(result.classification.scores.thanks_closing).toBe(0);
  });
});

describe("classification of what is left (five languages)", () => {
  const cases: Array<{
    name: string;
    subject: string;
    body: string;
    label: string;
    phrase: string;
    lang: string;
  }> = [
    {
      name: "billing (en)",
      subject: "Double charge",
      body: "Hi, I was charged twice for the December invoice. Can you refund the duplicate payment?",
      label: "billing",
      phrase: "“charged twice”",
      lang: "en",
    },
    {
      name: "account access (fr)",
      subject: "Connexion",
      body: "Bonjour, je n'arrive pas à me connecter depuis ce matin. J'ai réinitialisé mon mot de passe mais rien.",
      label: "account_access",
      phrase: "“mot de passe”",
      lang: "fr",
    },
    {
      name: "how-to question (pt)",
      subject: "Dúvida",
      body: "Olá! Como faço para exportar os relatórios em PDF? Não encontrei a opção no menu.",
      label: "how_to",
      phrase: "“Como faço”",
      lang: "pt",
    },
    {
      name: "feature request (de)",
      subject: "Idee",
      body: "Hallo, es wäre schön, wenn man Berichte auch als Excel-Datei exportieren könnte. Ist das auf eurer Roadmap?",
      label: "feature_request",
      phrase: "“wäre schön”",
      lang: "de",
    },
    {
      name: "feature request (es)",
      subject: "Sugerencia",
      body: "Hola, sería genial poder programar los informes para que lleguen cada lunes por correo.",
      label: "feature_request",
      phrase: "“sería genial”",
      lang: "es",
    },
    {
      name: "spam (en)",
      subject: "Partnership",
      body: "Dear Sir/Madam, we offer SEO services and high quality backlinks to rank your website on Google. Reply to this business proposal.",
      label: "spam",
      phrase: "“backlinks”",
      lang: "en",
    },
  ];

  for (const c of cases) {
    it(`sets aside ${c.name} with a readable reason`, () => {
      const result = filterNoise(customerTicket(c.subject, c.body));
      expect(result.language).toBe(c.lang);
      expect(result.decision).toBe("skip");
      expect(result.skip?.kind).toBe("class");
      expect(result.classification.label).toBe(c.label);
      expect(result.skip?.reason).toContain(c.phrase);
      expect(result.classification.score).toBeGreaterThan(0.5);
    });
  }

  it("passes on a Spanish and a German bug", () => {
    const es = filterNoise(
      customerTicket(
        "Error al exportar",
        "Cuando hago clic en Exportar en la página de Informes, la aplicación se cierra y aparece una pantalla en blanco.",
      ),
    );
    expect([es.decision, es.classification.label, es.language]).toEqual(["process", "bug", "es"]);
    const de = filterNoise(
      customerTicket(
        "Speichern",
        "Beim Speichern der Einstellungen stürzt die App ab. Das funktioniert nicht mehr seit dem Update.",
      ),
    );
    expect([de.decision, de.classification.label, de.language]).toEqual(["process", "bug", "de"]);
  });

  it("passes on text with no cue at all as a possible bug, score 0", () => {
    const result = classifyText("Hello, see the attached file.", "en");
    expect(result.label).toBe("bug");
    expect(result.score).toBe(0);
    expect(result.reason).toContain("No phrase points to any class");
  });

  it("keeps a bug that mentions billing words when the bug evidence is as strong", () => {
    const result = filterNoise(
      customerTicket(
        "Invoice page error",
        "The invoice page crashes with a blank screen when I open it.\nTypeError: total is undefined\n    at sumLines (src/billing/invoice.ts:12:9)\n    at renderInvoice (src/billing/invoice.ts:40:3)",
      ),
    );
    expect(result.decision).toBe("process");
    expect(result.classification.label).toBe("bug");
    expect(result.classification.scores.billing).toBeGreaterThan(0);
  });
});

describe("detectLanguage", () => {
  it("tells the five cue languages apart on prose and ignores code", () => {
    expect(
      detectLanguage(
        "Die Seite stürzt ab, wenn ich auf Speichern klicke und die Änderungen sind weg.",
      ),
    ).toBe("de");
    expect(
      detectLanguage("La aplicación se cierra cuando intento exportar el informe de ventas."),
    ).toBe("es");
    expect(
      detectLanguage(
        "L'application plante quand je clique sur le bouton d'exportation du rapport.",
      ),
    ).toBe("fr");
    expect(
      detectLanguage("O aplicativo trava quando clico no botão de exportar o relatório mensal."),
    ).toBe("pt");
    expect(
      detectLanguage(
        "Hola, no funciona.\n```\nTypeError: Cannot read properties of undefined (reading 'map') at the export handler\n```",
      ),
    ).toBe("es");
  });

  it("returns null when nothing can be told", () => {
    expect(detectLanguage("12345 !!!")).toBeNull();
  });
});
