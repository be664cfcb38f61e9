import { findFamily, QUOTA_FAMILIES } from './limits-catalogue.js';

// OCI quota policy statements, the subset a governance rule applies to a whole child tenancy:
//
//   set   <family> quota[s] <name>[, <name>…] to <n> in tenancy [where <condition>]
//   unset <family> quota[s] <name>[, <name>…]        in tenancy [where <condition>]
//   zero  <family> quota[s] [<name>[, <name>…]]      in tenancy [where <condition>]
//
// A name may be a pattern between slashes with `*` wildcards (`/standard-*-core-count/`); it must
// match at least one quota of the family. `zero` without names covers the whole family.
// <condition> is `request.region = '<region>'` (or `!=`), or `any {…}` of such comparisons; the
// region must be one this service knows. Keywords are case-insensitive.

export type QuotaAction = 'set' | 'unset' | 'zero';

export interface RegionCondition {
  /** `=` keeps the statement to the listed regions; `!=` to every other region. */
  operator: '=' | '!=';
  regions: string[];
}

export interface QuotaStatement {
  text: string;
  action: QuotaAction;
  family: string;
  /** The quota names the statement covers (patterns resolved against the catalogue). */
  names: string[];
  /** The quota value: `set` only; `zero` is 0. */
  value?: number;
  where?: RegionCondition;
}

export class QuotaStatementError extends Error {}

type Token = { kind: 'word' | 'string' | 'pattern' | 'punct'; text: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(!=|[,{}=])|'([^']*)'|"([^"]*)"|\/([^/\s]+)\/|([A-Za-z0-9_.\-]+)|(\S))/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < text.length && (m = re.exec(text)) !== null) {
    if (m[1] !== undefined) tokens.push({ kind: 'punct', text: m[1] });
    else if (m[2] !== undefined || m[3] !== undefined) tokens.push({ kind: 'string', text: m[2] ?? m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'pattern', text: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: 'word', text: m[5] });
    else if (m[6] !== undefined) throw new QuotaStatementError(`unexpected character '${m[6]}'`);
    else break;
  }
  return tokens;
}

const describe = (t: Token | undefined) => (t === undefined ? 'the end of the statement' : `'${t.text}'`);

/** Parses one statement; throws QuotaStatementError saying what is wrong and what was expected. */
export function parseQuotaStatement(text: string, knownRegions: readonly string[]): QuotaStatement {
  const tokens = tokenize(text.trim());
  let i = 0;
  const peek = () => tokens[i];
  const isWord = (t: Token | undefined, word: string) => t?.kind === 'word' && t.text.toLowerCase() === word;
  const expectWord = (word: string, context: string) => {
    if (!isWord(peek(), word)) throw new QuotaStatementError(`expected '${word}' ${context}, found ${describe(peek())}`);
    i++;
  };

  const verb = peek();
  const action = verb?.kind === 'word' ? (verb.text.toLowerCase() as QuotaAction) : undefined;
  if (action !== 'set' && action !== 'unset' && action !== 'zero') {
    throw new QuotaStatementError(`a statement starts with 'set', 'unset' or 'zero', found ${describe(verb)}`);
  }
  i++;

  const familyToken = peek();
  if (familyToken?.kind !== 'word') throw new QuotaStatementError(`expected a quota family after '${action}', found ${describe(familyToken)}`);
  const family = findFamily(familyToken.text.toLowerCase());
  if (!family) {
    throw new QuotaStatementError(`unknown quota family '${familyToken.text}'; known families: ${QUOTA_FAMILIES.map((f) => f.name).join(', ')}`);
  }
  i++;
  if (!isWord(peek(), 'quota') && !isWord(peek(), 'quotas')) {
    throw new QuotaStatementError(`expected 'quota' or 'quotas' after the family '${family.name}', found ${describe(peek())}`);
  }
  i++;

  const known = family.limits.map((l) => l.name);
  const names: string[] = [];
  const atNames = () => peek() !== undefined && !isWord(peek(), 'to') && !isWord(peek(), 'in');
  while (atNames()) {
    const t = peek()!;
    if (t.kind === 'pattern') {
      const re = new RegExp(`^${t.text.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      const matched = known.filter((n) => re.test(n));
      if (matched.length === 0) throw new QuotaStatementError(`the pattern /${t.text}/ matches no quota of the family '${family.name}'`);
      names.push(...matched);
    } else if (t.kind === 'word') {
      if (!known.includes(t.text.toLowerCase())) {
        throw new QuotaStatementError(`unknown quota '${t.text}' in the family '${family.name}'; its quotas: ${known.join(', ')}`);
      }
      names.push(t.text.toLowerCase());
    } else {
      throw new QuotaStatementError(`expected a quota name of the family '${family.name}', found ${describe(t)}`);
    }
    i++;
    if (peek()?.kind === 'punct' && peek()!.text === ',') {
      i++;
      if (!atNames()) throw new QuotaStatementError(`expected a quota name after ',', found ${describe(peek())}`);
    } else if (atNames()) {
      throw new QuotaStatementError(`expected ',', 'to' or 'in' after the quota name, found ${describe(peek())}`);
    }
  }
  if (names.length === 0 && action !== 'zero') throw new QuotaStatementError(`'${action}' needs the quota names it applies to`);

  let value: number | undefined;
  if (isWord(peek(), 'to')) {
    if (action !== 'set') throw new QuotaStatementError(`'${action}' takes no value ('to …' is only for 'set')`);
    i++;
    const v = peek();
    if (v?.kind !== 'word' || !/^\d{1,15}$/.test(v.text)) throw new QuotaStatementError(`expected a whole number of at least 0 after 'to', found ${describe(v)}`);
    value = Number(v.text);
    i++;
  } else if (action === 'set') {
    throw new QuotaStatementError(`'set' needs a value: 'to <number>' after the quota names, found ${describe(peek())}`);
  }
  if (action === 'zero') value = 0;

  expectWord('in', 'before the scope');
  if (isWord(peek(), 'compartment')) {
    throw new QuotaStatementError("a governance rule applies to the whole child tenancy: use 'in tenancy', not 'in compartment'");
  }
  expectWord('tenancy', "after 'in'");

  let where: RegionCondition | undefined;
  if (isWord(peek(), 'where')) {
    i++;
    where = parseCondition();
  }
  if (peek() !== undefined) throw new QuotaStatementError(`unexpected ${describe(peek())} after the end of the statement`);
  return { text, action, family: family.name, names: names.length > 0 ? [...new Set(names)] : known, value, where };

  function comparison(): { operator: '=' | '!='; region: string } {
    const subject = peek();
    if (!isWord(subject, 'request.region')) {
      throw new QuotaStatementError(`a 'where' clause compares request.region, found ${describe(subject)}`);
    }
    i++;
    const op = peek();
    if (op?.kind !== 'punct' || (op.text !== '=' && op.text !== '!=')) throw new QuotaStatementError(`expected '=' or '!=' after request.region, found ${describe(op)}`);
    i++;
    const region = peek();
    if (region?.kind !== 'string' && region?.kind !== 'word') throw new QuotaStatementError(`expected a region after '${op.text}', found ${describe(region)}`);
    if (!knownRegions.includes(region.text)) {
      throw new QuotaStatementError(`unknown region '${region.text}'; known regions: ${knownRegions.join(', ')}`);
    }
    i++;
    return { operator: op.text as '=' | '!=', region: region.text };
  }

  function parseCondition(): RegionCondition {
    if (isWord(peek(), 'any')) {
      i++;
      if (peek()?.text !== '{') throw new QuotaStatementError(`expected '{' after 'any', found ${describe(peek())}`);
      i++;
      const parts = [comparison()];
      while (peek()?.text === ',') {
        i++;
        parts.push(comparison());
      }
      if (peek()?.text !== '}') throw new QuotaStatementError(`expected ',' or '}' in 'any {…}', found ${describe(peek())}`);
      i++;
      if (parts.some((p) => p.operator !== '=')) throw new QuotaStatementError("'any {…}' lists regions with '='");
      return { operator: '=', regions: parts.map((p) => p.region) };
    }
    const c = comparison();
    return { operator: c.operator, regions: [c.region] };
  }
}

/** Parses every statement of a QUOTA template; the error names the statement's index. */
export function parseQuotaStatements(statements: readonly string[], knownRegions: readonly string[]): QuotaStatement[] {
  return statements.map((text, index) => {
    try {
      return parseQuotaStatement(text, knownRegions);
    } catch (error) {
      if (error instanceof QuotaStatementError) throw new QuotaStatementError(`statements[${index}] "${text}": ${error.message}`);
      throw error;
    }
  });
}
