import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createTestDatabase, type TestDatabase } from './app.js';
import { launchChromium } from './browser.js';
import { freePort, ROOT, startServer, type ServerProcess } from './server.js';
import { startSmtpServer, type TestSmtpServer } from './smtp.js';

export const PASSWORD = 'a long console password';
const TIMEOUT = 20_000;

export interface ConsoleTenant {
  id: string;
  ocid: string;
  name: string;
  subscriptionId: string;
  admin: { id: string; email: string };
}

/**
 * The stage of the console's end-to-end tests, set up by the suite's before/after hooks: a real
 * `tenantry serve` process (its public URL is its own address, so email links work), a real SMTP
 * server, and Debian's chromium.
 */
export function consoleStage() {
  let store: TestDatabase;
  let smtp: TestSmtpServer;
  let server: ServerProcess;
  let browser: Browser;
  const operatorToken = `op-${randomBytes(16).toString('hex')}`;

  before(async () => {
    // `npm ci` builds the console (the prepare script); build it here too when a checkout skipped that.
    if (!fs.existsSync(path.join(ROOT, 'web/dist/index.html'))) execFileSync('npm', ['run', '-s', 'build:console'], { cwd: ROOT, stdio: 'inherit' });
    store = await createTestDatabase();
    smtp = await startSmtpServer();
    const port = await freePort();
    server = await startServer({
      ...store.env,
      PORT: String(port),
      TENANTRY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      SMTP_URL: smtp.url,
      TENANTRY_OPERATOR_TOKEN: operatorToken,
      TENANTRY_WORKER_POLL: '200ms',
      TENANTRY_LOG_LEVEL: 'warn',
    });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
    await store?.drop();
  });

  const operator = (method: string, url: string, body: unknown) =>
    fetch(`${server.url}/admin/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  return {
    get url() {
      return server.url;
    },
    get smtp() {
      return smtp;
    },

    /** A tenant created by the operator, its admin with a password. */
    async tenant(name: string, adminEmail: string, subscriptionType = 'ANNUAL_COMMIT'): Promise<ConsoleTenant> {
      const res = await operator('POST', '/tenants', { name, adminEmail, adminPassword: PASSWORD, subscriptionType });
      assert.equal(res.status, 201, await res.clone().text());
      return (await res.json()) as ConsoleTenant;
    },

    /** One more user of a tenant, with the same password as every console user here. */
    async user(tenantId: string, email: string, roles = ['TenantAdministrator']): Promise<{ id: string }> {
      const res = await operator('POST', `/tenants/${tenantId}/users`, { email, password: PASSWORD, roles });
      assert.equal(res.status, 201, await res.clone().text());
      return (await res.json()) as { id: string };
    },

    /** An operator API call (rate cards, usage records, …); fails the test unless it succeeds. */
    async operator(method: string, url: string, body: unknown): Promise<any> {
      const res = await operator(method, url, body);
      assert.ok(res.ok, `${method} ${url}: ${res.status} ${await res.clone().text()}`);
      return res.json();
    },

    async namespace(tenantId: string, id: string): Promise<void> {
      assert.equal((await operator('POST', `/tenants/${tenantId}/namespaces`, { id })).status, 201);
    },

    /** A bearer token of the user, to set up over the API what a test is not about. */
    async tokenOf(userId: string): Promise<string> {
      return ((await (await operator('POST', `/users/${userId}/tokens`, {})).json()) as { token: string }).token;
    },

    /** An OCS call with a bearer token; fails the test unless it succeeds. */
    async ocs(token: string, method: string, url: string, body?: unknown) {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      assert.ok(res.ok, `${method} ${url}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },

    /** A user's own browser (a context of its own: its own cookies). */
    async userPage(): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
      context.setDefaultTimeout(TIMEOUT);
      return context.newPage();
    },

    async signIn(page: Page, email: string, tenantName: string): Promise<void> {
      await page.getByRole('heading', { name: 'Sign in to Tenantry' }).waitFor();
      await page.getByLabel('Email', { exact: true }).fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Current tenant').getByText(tenantName, { exact: true }).waitFor();
    },

    linkIn: (text: string) => /https?:\/\/\S+/.exec(text)?.[0] ?? '',
  };
}
