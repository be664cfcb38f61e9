import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { screenshots } from './support/browser.js';
import { consoleStage, PASSWORD } from './support/console-stage.js';

describe('the web console in Chromium: signing in and out', () => {
  const stage = consoleStage();
  const { tenant, userPage } = stage;

  test('a user whose email is in two tenants picks the tenant at sign-in, and the console names it until sign-out', async () => {
    const shot = screenshots('sign-in-two-tenants');
    const tag = randomBytes(3).toString('hex');
    const first = await tenant(`Adatum ${tag}`, `admin-${tag}@adatum.test`);
    const second = await tenant(`Litware ${tag}`, `admin-${tag}@litware.test`);
    const email = `kim-${tag}@consultants.test`;
    await stage.user(first.id, email);
    await stage.user(second.id, email);
    const kim = await userPage();
    await kim.goto(`${stage.url}/console/communities`);
    await kim.getByLabel('Email', { exact: true }).fill(email);
    await kim.getByLabel('Password').fill('not the password');
    await kim.getByRole('button', { name: 'Sign in' }).click();
    await kim.getByRole('alert').getByText('The email or the password is wrong.').waitFor();
    await kim.getByLabel('Password').fill(PASSWORD);
    await kim.getByRole('button', { name: 'Sign in' }).click();
    const choice = kim.getByRole('group', { name: /several tenants/ });
    await choice.getByRole('radio', { name: second.name }).check();
    await shot(kim, 'choose-tenant');
    await kim.getByRole('button', { name: 'Continue' }).click();
    await kim.getByLabel('Current tenant').getByText(second.name, { exact: true }).waitFor();
    await kim.getByRole('heading', { name: 'Communities' }).waitFor();
    await shot(kim, 'signed-in-to-the-tenant-picked');
    await kim.getByRole('button', { name: 'Sign out' }).click();
    await kim.getByRole('heading', { name: 'Sign in to Tenantry' }).waitFor();
  });
});
