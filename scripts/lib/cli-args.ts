/** Reading a script's `--name value` arguments, one way for every offline command. */

/** The value after `name` in `argv`, if it is there. */
export function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** `name`'s value as a positive whole number, if given; anything else stops the script (exit 2). */
export function positiveIntArg(argv: string[], name: string): number | undefined {
  const v = arg(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`${name}: a positive whole number, not ${v}`);
    process.exit(2);
  }
  return n;
}

/** `options` without the keys left undefined, so the learner's own defaults apply to them. */
export function givenOnly<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as T;
}
