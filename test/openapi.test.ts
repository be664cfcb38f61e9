import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createTestApp } from './support/app.js';
import { ROOT } from './support/server.js';

const SNAPSHOT = path.join(ROOT, 'test/openapi.snapshot.json');

// The OpenAPI document is generated from the route schemas; this snapshot makes every API change a
// reviewable diff. After an intended change: UPDATE_OPENAPI_SNAPSHOT=1 npm test -- test/openapi.test.ts
test('the generated OpenAPI document matches the reviewed snapshot', async () => {
  const t = await createTestApp();
  try {
    const res = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const document = res.json();
    assert.equal(document.openapi.startsWith('3.'), true);
    const text = `${JSON.stringify(document, null, 2)}\n`;
    if (process.env.UPDATE_OPENAPI_SNAPSHOT === '1') fs.writeFileSync(SNAPSHOT, text);
    assert.ok(fs.existsSync(SNAPSHOT), 'no snapshot yet: run with UPDATE_OPENAPI_SNAPSHOT=1');
    assert.equal(text, fs.readFileSync(SNAPSHOT, 'utf8'), 'the API changed: review the diff and update the snapshot');
  } finally {
    await t.close();
  }
});
