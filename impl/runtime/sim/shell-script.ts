// Parses what a simulated container runs (its argv) into a tiny shell program: the commands
// that generators, seeds and tests give containers — sleep, echo, exit, true, false, trap —
// alone or in `sh -c "…"` scripts with `;`, `&&`, `||`, newlines, `while true; do …; done`
// and `for x in …; do …; done`. Anything else is reported as a shell would (syntax error or
// "not found"), so an unsupported command fails visibly instead of being guessed at.

/** A word of a command: literal and expandable pieces ("$X" expands, '$X' does not). */
export type Word = readonly WordPart[];
export interface WordPart {
  readonly text: string;
  readonly expand: boolean;
}

export type Connector = ';' | '&&' | '||';

export type Statement =
  | { readonly kind: 'command'; readonly words: readonly Word[]; readonly stderr: boolean; readonly silent: boolean; readonly connector: Connector }
  | { readonly kind: 'while'; readonly body: readonly Statement[]; readonly connector: Connector }
  | { readonly kind: 'for'; readonly variable: string; readonly items: readonly Word[]; readonly body: readonly Statement[]; readonly connector: Connector };

export type Program =
  | { readonly kind: 'script'; readonly statements: readonly Statement[] }
  /** The shell could not parse the script: it prints the message and exits 2, as sh does. */
  | { readonly kind: 'syntax-error'; readonly message: string };

const SHELLS = new Set(['sh', 'ash', 'bash', 'dash']);

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const literal = (text: string): Word => [{ text, expand: false }];

/** The program a container with this argv runs. */
export function parseArgv(argv: readonly string[]): Program {
  let rest = [...argv];
  if (rest.length > 0 && basename(rest[0]!) === 'busybox') rest = rest.slice(1);
  if (rest.length === 0) return { kind: 'script', statements: [] };
  const name = basename(rest[0]!);
  if (SHELLS.has(name)) {
    if (rest[1] === '-c') return parseScript(rest[2] ?? '');
    // A shell with no script and no terminal reads an empty stdin and exits 0.
    return { kind: 'script', statements: [] };
  }
  const command: Statement = { kind: 'command', words: [literal(name), ...rest.slice(1).map(literal)], stderr: false, silent: false, connector: ';' };
  return { kind: 'script', statements: [command] };
}

type Token = { readonly kind: 'word'; readonly word: Word; readonly raw: string } | { readonly kind: 'op'; readonly op: ';' | '&&' | '||' | '\n' };

class ScriptSyntaxError extends Error {}

/** Splits a script into words and operators, honouring quotes and backslashes. */
function tokenize(script: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < script.length && script[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' || c === ';') {
      tokens.push({ kind: 'op', op: c === ';' ? ';' : '\n' });
      i++;
      continue;
    }
    if (script.startsWith('&&', i) || script.startsWith('||', i)) {
      tokens.push({ kind: 'op', op: script.slice(i, i + 2) as '&&' | '||' });
      i += 2;
      continue;
    }
    if (c === '|' || c === '&' || c === '(' || c === ')' || c === '`' || c === '<') {
      throw new ScriptSyntaxError(`unsupported construct "${c}"`);
    }
    const parts: WordPart[] = [];
    let raw = '';
    while (i < script.length) {
      const d = script[i]!;
      // `>&2` and `2>&1` are redirections, not a background `&`.
      if (d === '>' && script[i + 1] === '&') {
        parts.push({ text: '>&', expand: false });
        raw += '>&';
        i += 2;
        continue;
      }
      if (d === ' ' || d === '\t' || d === '\n' || d === ';' || d === '|' || d === '&' || d === '(' || d === ')' || d === '<' || d === '`') break;
      if (d === "'") {
        const end = script.indexOf("'", i + 1);
        if (end < 0) throw new ScriptSyntaxError('unterminated quoted string');
        parts.push({ text: script.slice(i + 1, end), expand: false });
        raw += script.slice(i, end + 1);
        i = end + 1;
      } else if (d === '"') {
        let text = '';
        let j = i + 1;
        while (j < script.length && script[j] !== '"') {
          if (script[j] === '\\' && j + 1 < script.length && '"\\$`'.includes(script[j + 1]!)) {
            text += script[j + 1];
            j += 2;
          } else text += script[j++];
        }
        if (j >= script.length) throw new ScriptSyntaxError('unterminated quoted string');
        parts.push({ text, expand: true });
        raw += script.slice(i, j + 1);
        i = j + 1;
      } else if (d === '\\' && i + 1 < script.length) {
        parts.push({ text: script[i + 1]!, expand: false });
        raw += script.slice(i, i + 2);
        i += 2;
      } else {
        parts.push({ text: d, expand: true });
        raw += d;
        i++;
      }
    }
    tokens.push({ kind: 'word', word: mergeParts(parts), raw });
  }
  return tokens;
}

function mergeParts(parts: WordPart[]): Word {
  const out: WordPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && last.expand === p.expand) out[out.length - 1] = { text: last.text + p.text, expand: p.expand };
    else out.push(p);
  }
  return out;
}

/** Parses the text of `sh -c`. */
export function parseScript(script: string): Program {
  try {
    const parser = new Parser(tokenize(script));
    const statements = parser.list(new Set());
    if (!parser.atEnd()) throw new ScriptSyntaxError(`unexpected "${parser.peekRaw()}"`);
    return { kind: 'script', statements };
  } catch (e) {
    if (e instanceof ScriptSyntaxError) return { kind: 'syntax-error', message: `sh: syntax error: ${e.message}` };
    throw e;
  }
}

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  atEnd(): boolean {
    return this.pos >= this.tokens.length;
  }

  peekRaw(): string {
    const t = this.tokens[this.pos];
    return !t ? '' : t.kind === 'word' ? t.raw : t.op;
  }

  /** Statements until the end or one of the `stops` keywords (left unconsumed). */
  list(stops: ReadonlySet<string>): Statement[] {
    const out: Statement[] = [];
    let connector: Connector = ';';
    for (;;) {
      this.skipSeparators();
      const t = this.tokens[this.pos];
      if (!t) return out;
      if (t.kind === 'word' && stops.has(t.raw)) return out;
      if (t.kind === 'op') throw new ScriptSyntaxError(`unexpected "${t.op}"`);
      out.push(this.statement(connector));
      const next = this.tokens[this.pos];
      if (next?.kind === 'op' && (next.op === '&&' || next.op === '||')) {
        connector = next.op;
        this.pos++;
        if (this.atEnd()) throw new ScriptSyntaxError(`unexpected end of file after "${next.op}"`);
      } else connector = ';';
    }
  }

  private skipSeparators(): void {
    while (this.tokens[this.pos]?.kind === 'op' && ['\n', ';'].includes((this.tokens[this.pos] as { op: string }).op)) this.pos++;
  }

  private expectWord(raw: string): void {
    this.skipSeparators();
    const t = this.tokens[this.pos];
    if (t?.kind !== 'word' || t.raw !== raw) throw new ScriptSyntaxError(`expected "${raw}"`);
    this.pos++;
  }

  private statement(connector: Connector): Statement {
    const first = this.tokens[this.pos] as Token & { kind: 'word' };
    if (first.raw === 'while') {
      this.pos++;
      const condition = this.tokens[this.pos];
      if (condition?.kind !== 'word' || !['true', ':'].includes(condition.raw)) {
        throw new ScriptSyntaxError('only "while true" and "while :" loops are supported');
      }
      this.pos++;
      this.expectWord('do');
      const body = this.list(new Set(['done']));
      this.expectWord('done');
      return { kind: 'while', body, connector };
    }
    if (first.raw === 'for') {
      this.pos++;
      const variable = this.tokens[this.pos];
      if (variable?.kind !== 'word' || !/^[A-Za-z_]\w*$/.test(variable.raw)) throw new ScriptSyntaxError('bad for loop variable');
      this.pos++;
      this.expectWord('in');
      const items: Word[] = [];
      while (this.tokens[this.pos]?.kind === 'word') items.push((this.tokens[this.pos++] as Token & { kind: 'word' }).word);
      this.expectWord('do');
      const body = this.list(new Set(['done']));
      this.expectWord('done');
      return { kind: 'for', variable: variable.raw, items, body, connector };
    }
    const words: Word[] = [];
    let stderr = false;
    let silent = false;
    while (this.tokens[this.pos]?.kind === 'word') {
      const t = this.tokens[this.pos++] as Token & { kind: 'word' };
      // Redirections of a command's output: to stderr, or away.
      if (t.raw === '>&2' || t.raw === '1>&2') stderr = true;
      else if (t.raw === '>/dev/null' || t.raw === '2>/dev/null' || t.raw === '2>&1') silent = silent || t.raw === '>/dev/null';
      else if (t.raw === '>' || t.raw === '>>' || t.raw === '2>') {
        const target = this.tokens[this.pos];
        if (target?.kind !== 'word' || target.raw !== '/dev/null') throw new ScriptSyntaxError('only redirections to /dev/null and >&2 are supported');
        this.pos++;
        if (t.raw !== '2>') silent = true;
      } else if (/^\d*>/.test(t.raw)) throw new ScriptSyntaxError('only redirections to /dev/null and >&2 are supported');
      else words.push(t.word);
    }
    return { kind: 'command', words, stderr, silent, connector };
  }
}
