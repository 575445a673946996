/**
 * Mentions as the API stores them: `@[Name](member id)` in the comment's text. The input shows
 * `@Name`; the names picked from the list are turned into tokens on the way out, and tokens
 * back into `@Name` to edit. The token pattern is the server's: fixed, never built from input.
 */

const TOKEN = /@\[([^[\]\r\n]{1,100})\]\(([0-9a-fA-F-]{36})\)/g;

export type Segment = { kind: 'text'; text: string } | { kind: 'mention'; name: string; memberId: string };

/** A comment's text cut into plain text and mentions, for display. */
export function segments(body: string): Segment[] {
  const out: Segment[] = [];
  let last = 0;
  for (const match of body.matchAll(TOKEN)) {
    const at = match.index;
    if (at > last) out.push({ kind: 'text', text: body.slice(last, at) });
    out.push({ kind: 'mention', name: match[1] ?? '', memberId: match[2] ?? '' });
    last = at + match[0].length;
  }
  if (last < body.length) out.push({ kind: 'text', text: body.slice(last) });
  return out;
}

const ENDS_NAME = new Set([
  ' ',
  '\t',
  '\n',
  '\r',
  ',',
  '.',
  '!',
  '?',
  ';',
  ':',
  ')',
  '，',
  '。',
  '！',
  '？',
  '；',
  '：',
  '）',
  '、',
]);

/**
 * `@Name` for each name picked (name → member id) becomes `@[Name](id)` where the name ends
 * there (a space, punctuation or the end follows); longest names first, so a name that starts
 * another one never takes its place.
 */
export function toWire(text: string, picked: ReadonlyMap<string, string>): string {
  let out = text;
  const names = [...picked.keys()].filter((name) => name && !/[[\]\r\n]/.test(name));
  names.sort((a, b) => b.length - a.length);
  for (const name of names) {
    const plain = `@${name}`;
    const token = `@[${name}](${picked.get(name) ?? ''})`;
    let from = 0;
    for (;;) {
      const at = out.indexOf(plain, from);
      if (at < 0) break;
      const next = out.charAt(at + plain.length);
      if (next === '' || ENDS_NAME.has(next)) {
        out = out.slice(0, at) + token + out.slice(at + plain.length);
        from = at + token.length;
      } else {
        from = at + plain.length;
      }
    }
  }
  return out;
}

/** A stored text as the input shows it (`@Name`), with the names it mentions. */
export function fromWire(body: string): { text: string; picked: Map<string, string> } {
  const picked = new Map<string, string>();
  const text = segments(body)
    .map((s) => {
      if (s.kind === 'text') return s.text;
      picked.set(s.name, s.memberId);
      return `@${s.name}`;
    })
    .join('');
  return { text, picked };
}
