import fs from 'node:fs';
import { completeValues, jsonInputTemplate, optionsOf, parseOptions, splitCommandWords } from './args.js';
import { defaultConfigPath, DEFAULT_PROFILE, expandHome, loadProfile, type Profile } from './config.js';
import { CliError, EXIT, usageError } from './errors.js';
import { commandHelp, completionScript, groupHelp } from './help.js';
import { HttpClient, type Session } from './http.js';
import { checkQuery, render, type OutputOptions } from './output.js';
import { runHttpCommand } from './run.js';
import { local, type CommandSpec, type RunContext } from './spec.js';
import { adminCommands } from './commands/admin.js';
import { backupCommands } from './commands/backup.js';
import { communityCommands } from './commands/communities.js';
import { governanceRuleCommands } from './commands/governance-rules.js';
import { organizationCommands } from './commands/organizations.js';
import { orgSubscriptionCommands } from './commands/org-subscriptions.js';
import { setupCommands } from './commands/setup.js';
import { streamCommands } from './commands/streams.js';
import { usageApiCommands } from './commands/usage-api.js';

const autocomplete: CommandSpec = {
  path: ['setup', 'autocomplete'],
  summary: 'Print a shell completion script: eval "$(tenantry setup autocomplete --shell bash)" in ~/.bashrc (or zsh in ~/.zshrc).',
  params: [local('shell', 'The shell.', { choices: ['bash', 'zsh'], default: 'bash' })],
  run: async (_ctx, values) => completionScript(values.shell as 'bash' | 'zsh', COMMANDS),
};

export const COMMANDS: CommandSpec[] = [
  ...organizationCommands,
  ...orgSubscriptionCommands,
  ...governanceRuleCommands,
  ...usageApiCommands,
  ...communityCommands,
  ...streamCommands,
  ...adminCommands,
  ...setupCommands,
  ...backupCommands,
  autocomplete,
];

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

const same = (a: string[], b: string[]) => a.length === b.length && a.every((w, i) => w === b[i]);
const findCommand = (words: string[]) => COMMANDS.find((c) => same(c.path, words));
const isPrefix = (words: string[]) => COMMANDS.some((c) => words.every((w, i) => c.path[i] === w));

function session(globals: Record<string, unknown>, env: NodeJS.ProcessEnv, needsProfile: boolean): Session {
  const configFile = String(globals['config-file'] ?? defaultConfigPath(env));
  const named = (globals.profile ?? env.TENANTRY_CLI_PROFILE) as string | undefined;
  const profile: Profile = needsProfile ? loadProfile(configFile, named) : {};
  const endpoint = String(globals.endpoint ?? profile.endpoint ?? env.TENANTRY_ENDPOINT ?? 'http://127.0.0.1:8080');
  return { endpoint, profile, profileName: named ?? DEFAULT_PROFILE, configFile, env };
}

/** Runs one CLI invocation and returns its exit code (the caller sets process.exitCode). */
export async function runCli(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  try {
    const { words, rest } = splitCommandWords(argv, isPrefix, (w) => (findCommand(w) ? optionsOf(findCommand(w)!) : undefined));
    const command = findCommand(words);
    const { values, globals } = parseOptions(command, rest);
    if (!command) {
      if (words.length === 0 && rest.length === 0 && !globals.help) throw usageError('no command given; see tenantry --help');
      io.stdout.write(groupHelp(words, COMMANDS));
      return globals.help || rest.length === 0 ? EXIT.ok : EXIT.usage;
    }
    if (globals.help) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    if (globals['generate-full-command-json-input']) {
      io.stdout.write(`${JSON.stringify(jsonInputTemplate(command), null, 2)}\n`);
      return EXIT.ok;
    }
    checkQuery(globals.query as string | undefined);
    const s = session(globals, io.env, command.http !== undefined);
    const fromJson = globals['from-json'] === undefined ? undefined : parseJsonInput(String(globals['from-json']));
    const complete = completeValues(command, values, fromJson, s.profile);
    const output: OutputOptions = { output: (globals.output as 'json' | 'table') ?? 'json', query: globals.query as string | undefined, rawOutput: globals['raw-output'] === true };
    const debug = globals.debug === true ? (line: string) => io.stderr.write(`${line}\n`) : undefined;
    const ctx: RunContext = { session: s, http: new HttpClient(s, debug), output, progress: io.stderr };
    const result = command.http ? await runHttpCommand(ctx, command, complete) : await command.run!(ctx, complete);
    io.stdout.write(typeof result === 'string' ? result : render(result, output));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message === 'ServiceError' ? 'ServiceError:' : `Error: ${error.message}`}\n`);
      if (error.details) io.stderr.write(`${JSON.stringify(error.details, null, 2)}\n`);
      return error.exitCode;
    }
    io.stderr.write(`Internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.internal;
  }
}

function parseJsonInput(text: string): unknown {
  let source = text;
  if (text.startsWith('file://')) {
    try {
      source = fs.readFileSync(expandHome(text.slice('file://'.length), process.env), 'utf8');
    } catch (error) {
      throw usageError(`cannot read ${text}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(source);
  } catch {
    throw usageError('--from-json must be valid JSON (or file://path)');
  }
}
