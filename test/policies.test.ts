import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../src/platform/errors.js';
import { isAllowed, parseStatement, type AccessRequest } from '../src/modules/identity/policies.js';

describe('policy statements', () => {
  test('parse the documented forms', () => {
    assert.deepEqual(parseStatement('Allow group linkAdmins to manage organizations-family in tenancy'), {
      group: 'linkAdmins',
      verb: 'manage',
      resourceType: 'organizations-family',
      condition: null,
    });
    assert.equal(parseStatement("allow group 'Link Viewers' to read organizations-links in tenancy").group, 'Link Viewers');
    assert.equal(parseStatement('allow group linkAccepters to manage organizations-recipient-invitations in tenancy').resourceType, 'organizations-recipient-invitation');
    assert.equal(parseStatement('Allow any-user to inspect organizations-tenancy in tenancy').group, null);
    assert.deepEqual(parseStatement("Allow group g to use organizations-link in tenancy where target.tenant.id = 'ocid1.tenancy.oc1..x'").condition, {
      variable: 'target.tenant.id',
      operator: '=',
      value: 'ocid1.tenancy.oc1..x',
    });
  });

  test('refuse what they cannot honour exactly', () => {
    for (const text of [
      'Allow group g to fly organizations-family in tenancy',
      'Allow group g to manage organizations-family in compartment apps',
      'Deny group g to manage organizations-family in tenancy',
      'Allow group g to manage organizations-family in tenancy where all {a = 1, b = 2}',
      '',
    ]) {
      assert.throws(() => parseStatement(text), (e: unknown) => e instanceof AppError && e.code === 'INVALID_POLICY_STATEMENT', text);
    }
  });

  test('grant cumulative verbs on covered resource types to group members only', () => {
    const statements = [
      parseStatement('Allow group linkViewers to read organizations-links in tenancy'),
      parseStatement('Allow group linkAdmins to manage organizations-family in tenancy'),
    ];
    const read = { verb: 'read' as const, resourceType: 'organizations-link' };
    assert.equal(isAllowed(statements, ['linkViewers'], read), true);
    assert.equal(isAllowed(statements, ['linkViewers'], { verb: 'inspect', resourceType: 'organizations-links' }), true);
    assert.equal(isAllowed(statements, ['linkViewers'], { verb: 'use', resourceType: 'organizations-link' }), false);
    assert.equal(isAllowed(statements, ['linkViewers'], { verb: 'read', resourceType: 'organizations-sender-invitation' }), false);
    assert.equal(isAllowed(statements, ['LINKADMINS'], { verb: 'manage', resourceType: 'organizations-sender-invitation' }), true);
    assert.equal(isAllowed(statements, ['others'], read), false);
    assert.equal(isAllowed(statements, [], read), false);
  });

  test('evaluate where-conditions against the request variables', () => {
    const statements = [parseStatement("Allow group g to use organizations-link in tenancy where target.tenant.id = 'ocid1.tenancy.oc1..a'")];
    const request = (id?: string): AccessRequest => ({ verb: 'use', resourceType: 'organizations-link', variables: id ? { 'target.tenant.id': id } : {} });
    assert.equal(isAllowed(statements, ['g'], request('ocid1.tenancy.oc1..a')), true);
    assert.equal(isAllowed(statements, ['g'], request('ocid1.tenancy.oc1..b')), false);
    assert.equal(isAllowed(statements, ['g'], request()), false, 'an unknown variable never satisfies a condition');
  });
});
