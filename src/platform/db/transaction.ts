import type { AppError } from '../errors.js';
import type { Database, Trx } from './index.js';

/**
 * Runs `work` in one transaction. A unique index violated inside it becomes the error named for
 * that index in `onUnique` (index names are the same on both engines, see dialect/).
 */
export async function inTransaction<T>(
  database: Database,
  work: (trx: Trx) => Promise<T>,
  onUnique: Record<string, () => AppError> = {},
): Promise<T> {
  try {
    return await database.db.transaction().execute(work);
  } catch (error) {
    const index = database.dialect.uniqueViolation(error);
    const mapped = index === undefined ? undefined : onUnique[index];
    throw mapped ? mapped() : error;
  }
}
