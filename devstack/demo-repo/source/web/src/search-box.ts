import { api } from "./api.js";
import { formatPrice } from "./format.js";

interface SearchAnswer {
  query: string;
  results: { id: string; title: string; priceCents: number; highlights: string[] }[];
}

/** Search-as-you-type with a short debounce; stale answers are dropped. */
export function bindSearchBox(input: HTMLInputElement, list: HTMLElement, debounceMs = 150): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      const ticket = ++latest;
      if (q.length < 2) {
        list.replaceChildren();
        return;
      }
      const answer = await api<SearchAnswer>(`/search?q=${encodeURIComponent(q)}&limit=8`);
      if (ticket !== latest) return;
      if (answer.results.length === 0) {
        const empty = document.createElement("li");
        empty.className = "empty";
        empty.textContent = `No results for “${q}”`;
        list.replaceChildren(empty);
        return;
      }
      list.replaceChildren(
        ...answer.results.map((r) => {
          const li = document.createElement("li");
          const a = document.createElement("a");
          a.href = `/products/${r.id}`;
          a.textContent = `${r.title} — ${formatPrice(r.priceCents)}`;
          li.append(a);
          return li;
        }),
      );
    }, debounceMs);
  });
}
