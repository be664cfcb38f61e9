import { buildApp } from './app.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase } from './platform/db/index.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { createLogger, type Logger } from './platform/log.js';
import { createMailer } from './platform/mail/mailer.js';
import { resolveOperatorToken } from './platform/operator-token.js';
import { buildWorker } from './worker.js';

async function start(mode: 'serve' | 'worker', config: Config, log: Logger): Promise<void> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(database.db);
  const mailer = createMailer({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, from: config.mailFrom });
  const worker = buildWorker({ config, database, clock: systemClock, log, mailer });
  const app =
    mode === 'serve'
      ? await (async () => {
          const operator = resolveOperatorToken(config);
          if (operator.file) {
            log.info({ operatorTokenFile: operator.file }, `operator token ${operator.generated ? 'generated and saved' : 'read'}: ${operator.file}`);
          }
          return buildApp({ config, database, clock: systemClock, log, operatorToken: operator.token, wakeWorker: () => worker.wake() });
        })()
      : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Stop taking requests and let in-flight ones finish, then let the worker finish its job.
    await app?.close();
    await worker.stop();
    mailer.close();
    await database.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  if (app) await app.listen({ port: config.port, host: config.host });
  worker.start();
  log.info({ mode, engine: database.dialect.engine, publicUrl: config.publicUrl }, `tenantry ${mode} ready`);
}

async function main(argv: string[]): Promise<void> {
  const command = argv[0] ?? 'serve';
  if (command !== 'serve' && command !== 'worker') {
    // Every other first word is the CLI, a client of the HTTP API (src/cli/).
    const { runCli } = await import('./cli/index.js');
    process.exitCode = await runCli(command === 'help' ? ['--help'] : argv);
    return;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`tenantry: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  try {
    await start(command, config, log);
  } catch (error) {
    log.fatal({ err: error }, 'failed to start');
    process.exit(1);
  }
}

void main(process.argv.slice(2));
