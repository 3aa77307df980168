const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat("en", {
  dateStyle: "medium",
  timeStyle: "short",
  timeZone: "UTC",
});

/** "Nov 23, 2026". */
export function formatDate(value: string | Date): string {
  return dateFormat.format(new Date(value));
}

/** "Nov 23, 2026, 4:05 PM UTC" (UTC, so server and reader agree). */
export function formatDateTime(value: string | Date): string {
  return `${dateTimeFormat.format(new Date(value))} UTC`;
}

/** "in 6 days", "in 5 hours", "expired". */
export function expiresIn(value: string | Date, now = Date.now()): string {
  const ms = new Date(value).getTime() - now;
  if (ms <= 0) return "expired";
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 1) return "in less than an hour";
  if (hours < 48) return `in ${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.floor(hours / 24);
  return `in ${days} days`;
}
