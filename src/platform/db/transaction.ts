import { AsyncLocalStorage } from 'node:async_hooks';
import type { AppError } from '../errors.js';
import type { Database, Trx } from './index.js';

type BeforeCommit = (trx: Trx) => Promise<void>;
const beforeCommit = new AsyncLocalStorage<BeforeCommit>();

/**
 * Runs `fn` so that every transaction it opens also runs `hook` last, inside it: the hook's writes
 * commit with the use case's or not at all, and a hook that throws rolls the use case back
 * (opc-retry-token claims are fenced this way, see retry-tokens.service).
 */
export function withBeforeCommit<T>(hook: BeforeCommit, fn: () => Promise<T>): Promise<T> {
  return beforeCommit.run(hook, fn);
}

/**
 * Runs `work` in one transaction. A unique index violated inside it becomes the error named for
 * that index in `onUnique` (index names are the same on both engines, see dialect/).
 */
export async function inTransaction<T>(
  database: Database,
  work: (trx: Trx) => Promise<T>,
  onUnique: Record<string, () => AppError> = {},
): Promise<T> {
  const hook = beforeCommit.getStore();
  try {
    return await database.db.transaction().execute(
      hook
        ? async (trx) => {
            const result = await work(trx);
            await hook(trx);
            return result;
          }
        : work,
    );
  } catch (error) {
    const index = database.dialect.uniqueViolation(error);
    const mapped = index === undefined ? undefined : onUnique[index];
    throw mapped ? mapped() : error;
  }
}
