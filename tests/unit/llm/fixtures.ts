/** Real-looking tickets for the LLM stage's tests (shared by unit and integration tests). */

/** Steps found by the rules, but expected/actual in a phrasing they miss; PII to redact. */
export const EXPORT_TICKET = {
  subject: "Export is incomplete",
  customerText:
    "I opened the Reports page and chose last month. I clicked Export CSV. The file should have every order of the month. It only has the first 100 rows. Our accountant can't close the books. Contact me at jane.doe@example.com or +44 20 7946 0958, card 4242 4242 4242 4242.",
  language: "en",
};

/** Strings of EXPORT_TICKET that must never appear in a log line or leave for a provider. */
export const EXPORT_TICKET_PII = ["jane.doe@example.com", "7946 0958", "4242 4242 4242 4242"];
