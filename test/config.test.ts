import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../src/platform/config.js';
import { parseDuration } from '../src/platform/duration.js';

describe('configuration', () => {
  test('defaults follow the runtime contract', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, path.resolve('./data'));
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.smtpUrl, undefined);
    assert.equal(config.publicUrl, 'http://127.0.0.1:8080');
    assert.equal(config.communityInvitationTtlMs, 14 * 86_400_000);
    assert.equal(config.organizationInvitationTtlMs, 30 * 86_400_000);
    assert.equal(config.invitationsPerDay, 0);
    assert.equal(config.rateLimitPerSecond, 1000);
    assert.equal(config.rateLimitBurst, 2000, 'the burst defaults to twice the rate');
    assert.equal(config.meteringStartDelayMs, 0);
    assert.equal(config.realm, 'oc1');
    assert.deepEqual(config.regions, ['us-ashburn-1', 'us-phoenix-1', 'eu-frankfurt-1', 'uk-london-1', 'ap-tokyo-1']);
    assert.ok(Object.isFrozen(config));
  });

  test('reads every contract variable', () => {
    const config = loadConfig({
      PORT: '9090',
      HOST: '0.0.0.0',
      TENANTRY_DATA_DIR: '/tmp/tenantry-x',
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
      TENANTRY_OPERATOR_TOKEN: 'a-long-operator-token',
      SMTP_URL: 'smtp://127.0.0.1:2525',
      TENANTRY_PUBLIC_URL: 'https://tenantry.example/',
      TENANTRY_COMMUNITY_INVITATION_TTL: '500ms',
      TENANTRY_ORGANIZATION_INVITATION_TTL: '2s',
      TENANTRY_INVITATIONS_PER_DAY: '25',
      TENANTRY_METERING_START_DELAY: '1h',
      TENANTRY_REALM: 'oc9',
      TENANTRY_REGIONS: 'eu-frankfurt-1, us-ashburn-1',
    });
    assert.equal(config.port, 9090);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.dataDir, '/tmp/tenantry-x');
    assert.equal(config.databaseUrl, 'postgres://127.0.0.1:5432/test');
    assert.equal(config.operatorToken, 'a-long-operator-token');
    assert.equal(config.smtpUrl, 'smtp://127.0.0.1:2525');
    assert.equal(config.publicUrl, 'https://tenantry.example');
    assert.equal(config.communityInvitationTtlMs, 500);
    assert.equal(config.organizationInvitationTtlMs, 2000);
    assert.equal(config.invitationsPerDay, 25);
    assert.equal(config.meteringStartDelayMs, 3_600_000);
    assert.equal(config.realm, 'oc9');
    assert.deepEqual(config.regions, ['eu-frankfurt-1', 'us-ashburn-1']);
  });

  test('reads the request-rate limit; 0 turns it off', () => {
    assert.deepEqual(pick(loadConfig({ TENANTRY_RATE_LIMIT: '5' })), [5, 10]);
    assert.deepEqual(pick(loadConfig({ TENANTRY_RATE_LIMIT: '5', TENANTRY_RATE_LIMIT_BURST: '7' })), [5, 7]);
    assert.equal(loadConfig({ TENANTRY_RATE_LIMIT: '0' }).rateLimitPerSecond, 0);
  });
  const pick = (c: { rateLimitPerSecond: number; rateLimitBurst: number }) => [c.rateLimitPerSecond, c.rateLimitBurst];

  const bad: Array<[string, string]> = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['SMTP_URL', 'http://mail'],
    ['TENANTRY_PUBLIC_URL', 'not a url'],
    ['TENANTRY_COMMUNITY_INVITATION_TTL', 'two weeks'],
    ['TENANTRY_ORGANIZATION_INVITATION_TTL', '30y'],
    ['TENANTRY_INVITATIONS_PER_DAY', '-1'],
    ['TENANTRY_RATE_LIMIT', 'fast'],
    ['TENANTRY_RATE_LIMIT', '-5'],
    ['TENANTRY_RATE_LIMIT_BURST', '0'],
    ['TENANTRY_METERING_START_DELAY', 'soon'],
    ['TENANTRY_REALM', 'OC 1'],
    ['TENANTRY_REGIONS', 'us-ashburn-1,Mars'],
    ['TENANTRY_OPERATOR_TOKEN', 'short'],
    ['TENANTRY_BODY_LIMIT', '1mb'],
    ['TENANTRY_BODY_LIMIT', '10'],
  ];
  for (const [name, value] of bad) {
    test(`refuses ${name}=${value} with a message naming the variable`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    });
  }

  test('parses durations in every unit', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('2s'), 2000);
    assert.equal(parseDuration('15m'), 900_000);
    assert.equal(parseDuration('1h'), 3_600_000);
    assert.equal(parseDuration('14d'), 1_209_600_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('250'), 250);
    assert.equal(parseDuration('d'), undefined);
    assert.equal(parseDuration('-1s'), undefined);
  });
});
