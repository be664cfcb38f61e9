/** Who is acting. Services take it as their first argument and the audit log records it. */
export interface Principal {
  readonly type: 'operator' | 'user' | 'client' | 'system';
  /** The user's or client's id (a GUID); null for the operator and the system. */
  readonly id: string | null;
  /** The tenant the user or client belongs to; null for the operator and the system. */
  readonly tenantId: string | null;
}

export const OPERATOR: Principal = Object.freeze({ type: 'operator', id: null, tenantId: null });
export const SYSTEM: Principal = Object.freeze({ type: 'system', id: null, tenantId: null });
