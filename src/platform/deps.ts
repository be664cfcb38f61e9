import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/index.js';
import type { Logger } from './log.js';

/** What every service factory is given: explicit dependencies, no container. */
export interface ServiceDeps {
  readonly config: Config;
  readonly database: Database;
  readonly clock: Clock;
  readonly log: Logger;
  /** Tells the in-process worker that a transaction queued outbox jobs. */
  readonly wakeWorker: () => void;
}
