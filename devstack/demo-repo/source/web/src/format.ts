/** Display helpers shared by the pages. */

export function formatPrice(cents: number, currency = "USD"): string {
  const locale = currency === "EUR" ? "de-DE" : currency === "GBP" ? "en-GB" : "en-US";
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 100);
}

export function pluralize(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "Arrives Tue, Mar 12 – Thu, Mar 14", counting business days from today. */
export function arrivalWindow(days: [number, number], from = new Date()): string {
  const add = (n: number) => {
    const d = new Date(from);
    let left = n;
    while (left > 0) {
      d.setDate(d.getDate() + 1);
      if (d.getDay() !== 0 && d.getDay() !== 6) left -= 1;
    }
    return d.toLocaleDateString("en-US", { weekday: "short", month: "short", day: "numeric" });
  };
  return `Arrives ${add(days[0])} – ${add(days[1])}`;
}
