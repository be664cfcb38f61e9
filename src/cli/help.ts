import { GLOBAL_OPTIONS, optionsOf } from './args.js';
import { EXIT } from './errors.js';
import { GROUP_HELP, type CommandSpec, type ParamSpec } from './spec.js';

const PROGRAM = 'tenantry';

function typeLabel(p: ParamSpec): string {
  if (p.choices) return `[${p.choices.join('|')}]`;
  switch (p.type ?? 'string') {
    case 'boolean':
      return '';
    case 'integer':
      return 'INTEGER';
    case 'number':
      return 'NUMBER';
    case 'json':
      return 'JSON';
    case 'file':
      return 'FILE';
    default:
      return 'TEXT';
  }
}

function optionLines(params: ParamSpec[]): string[] {
  const heads = params.map((p) => `  ${p.short ? `-${p.short}, ` : ''}--${p.flag} ${typeLabel(p)}`.trimEnd());
  const width = Math.min(52, Math.max(...heads.map((h) => h.length)) + 2);
  return params.map((p, i) => {
    const notes = [p.required ? '[required]' : '', p.help, p.multiple ? 'Repeatable.' : '', p.profileKey ? `Default: ${p.profileKey} of the profile.` : '', p.default !== undefined && p.type !== 'boolean' ? `Default: ${String(p.default)}.` : '', p.type === 'json' && p.example !== undefined ? `Example: '${JSON.stringify(p.example)}'` : '']
      .filter(Boolean)
      .join(' ');
    return heads[i].length + 1 > width ? `${heads[i]}\n${' '.repeat(width)}${notes}` : `${heads[i].padEnd(width)}${notes}`;
  });
}

export function commandHelp(command: CommandSpec): string {
  const lines = [`Usage: ${PROGRAM} ${command.path.join(' ')} [OPTIONS]`, '', `  ${command.summary}`];
  if (command.description) lines.push('', `  ${command.description}`);
  if (command.http) lines.push('', `  Calls ${command.http.method} ${command.http.url}${command.http.workRequest ? ' (asynchronous: answers opc-work-request-id)' : ''}.`);
  const own = optionsOf(command);
  if (own.length) lines.push('', 'Options:', ...optionLines(own));
  lines.push('', 'Global options:', ...optionLines(GLOBAL_OPTIONS));
  if (command.examples?.length) lines.push('', 'Examples:', ...command.examples.map((e) => `  ${e}`));
  return `${lines.join('\n')}\n`;
}

const firstSentence = (text: string) => /^.*?[.:](?=\s|$)/.exec(text)?.[0].replace(/:$/, '.') ?? text;

/** Help of a group (or of the root when `words` is empty): its subcommands with one line each. */
export function groupHelp(words: string[], commands: CommandSpec[]): string {
  const children = new Map<string, string>();
  for (const c of commands) {
    if (c.path.length <= words.length || words.some((w, i) => c.path[i] !== w)) continue;
    const next = c.path[words.length];
    if (children.has(next)) continue;
    children.set(next, c.path.length === words.length + 1 ? c.summary : firstSentence(GROUP_HELP[[...words, next].join(' ')] ?? ''));
  }
  const lines = [`Usage: ${PROGRAM} ${[...words, '<command>'].join(' ')} [OPTIONS]`];
  const about = GROUP_HELP[words.join(' ')];
  if (about) lines.push('', `  ${about}`);
  if (words.length === 0) {
    lines.push('', '  The Tenantry service and its command-line client. The client is shaped like the OCI CLI:', '  JSON output as {"data": …}, --query (JMESPath), --output table, --all, --wait-for-state.');
  }
  const width = Math.max(...[...children.keys()].map((k) => k.length)) + 4;
  lines.push('', 'Commands:');
  if (words.length === 0) {
    lines.push(`  ${'serve'.padEnd(width)}Run the HTTP API, console and in-process worker (the default).`);
    lines.push(`  ${'worker'.padEnd(width)}Run the outbox worker only (scale-out on one PostgreSQL).`);
  }
  for (const [name, summary] of children) lines.push(`  ${name.padEnd(width)}${summary}`);
  lines.push('', `Run '${PROGRAM} ${[...words, '<command>'].join(' ')} --help' for more.`);
  if (words.length === 0) {
    lines.push(
      '',
      'Configuration: profiles in ~/.tenantry/config (INI, like ~/.oci/config); see tenantry setup profile --help.',
      `Exit codes: ${EXIT.ok} ok, ${EXIT.usage} usage, ${EXIT.auth} authentication, ${EXIT.notFound} not found, ${EXIT.service} other service error, ${EXIT.connection} server unreachable, ${EXIT.timeout} wait timed out, ${EXIT.internal} internal.`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A bash completion script (zsh loads it through bashcompinit). The command tree is written into
 * the script, so completing never starts Node.
 */
export function completionScript(shell: 'bash' | 'zsh', commands: CommandSpec[]): string {
  const words = new Map<string, Set<string>>();
  const add = (key: string, value: string) => (words.get(key) ?? words.set(key, new Set()).get(key)!).add(value);
  for (const c of commands) {
    for (let i = 0; i < c.path.length; i++) add(c.path.slice(0, i).join(' '), c.path[i]);
    for (const p of [...optionsOf(c), ...GLOBAL_OPTIONS]) add(c.path.join(' '), `--${p.flag}`);
  }
  add('', 'serve');
  add('', 'worker');
  for (const p of GLOBAL_OPTIONS) add('', `--${p.flag}`);
  // Keys carry a leading ':' because bash refuses an empty subscript (the root).
  const entries = [...words].map(([k, v]) => `  [${JSON.stringify(`:${k}`)}]=${JSON.stringify([...v].join(' '))}`).join('\n');
  const script = `# tenantry ${shell} completion: eval "$(tenantry setup autocomplete --shell ${shell})"
declare -gA _tenantry_words=(
${entries}
)
_tenantry() {
  local cur=\${COMP_WORDS[COMP_CWORD]} path=":" w next
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    [[ $w == -* ]] && continue
    [[ $path == ":" ]] && next=":$w" || next="$path $w"
    [[ -n "\${_tenantry_words[$next]+x}" ]] && path=$next
  done
  COMPREPLY=( $(compgen -W "\${_tenantry_words[$path]}" -- "$cur") )
}
complete -F _tenantry tenantry
`;
  return shell === 'zsh' ? `autoload -U +X bashcompinit && bashcompinit\n${script}` : script;
}
