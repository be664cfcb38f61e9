import { useState, type FormEvent } from 'react';
import { api } from '../api';
import type { Session } from '../session';
import { ErrorText, Field } from '../ui';

type Answer = { status: 'signed-in'; session: Session } | { status: 'choose-tenant'; tenants: { id: string; name: string }[] };

export function SignIn({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [tenants, setTenants] = useState<{ id: string; name: string }[] | null>(null);
  const [tenantId, setTenantId] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { body } = await api<Answer>('POST', '/console/api/sign-in', { email, password, ...(tenants && tenantId ? { tenantId } : {}) });
      if (body.status === 'choose-tenant') {
        setTenants(body.tenants);
        setTenantId(body.tenants[0]?.id ?? '');
      } else onSignedIn(body.session);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main">
      <h1>Sign in to Tenantry</h1>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <Field label="Email">
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <Field label="Password">
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </Field>
        {tenants ? (
          <fieldset>
            <legend>Your email belongs to several tenants. Which one do you sign in to?</legend>
            {tenants.map((t) => (
              <label key={t.id} className="radio">
                <input type="radio" name="tenant" value={t.id} checked={tenantId === t.id} onChange={() => setTenantId(t.id)} />
                {t.name}
              </label>
            ))}
          </fieldset>
        ) : null}
        <ErrorText error={error} id="sign-in-error" />
        <button type="submit" className="primary" disabled={busy}>
          {tenants ? 'Continue' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
