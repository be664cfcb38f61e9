import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createTestApp, operator, type TestApp } from './support/app.js';
import { governanceParty, join, type Party } from './support/governance.js';
import { ociError } from './support/oci.js';

describe('Governance enforcement where this service owns the object', () => {
  let t: TestApp;
  let url: string;
  const opened: Party[] = [];

  before(async () => {
    t = await createTestApp({ liveWorker: true });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const p of opened) {
      p.oci.close();
      p.gov.close();
    }
    await t.close();
  });

  const party = async (subscriptionType = 'ANNUAL_COMMIT') => {
    const p = await governanceParty(t, url, subscriptionType);
    opened.push(p);
    return p;
  };
  const attach = async (parent: Party, child: Party, type: string, template: Record<string, unknown>) => {
    const rule = (
      await parent.gov.rules.createGovernanceRule({
        createGovernanceRuleDetails: { compartmentId: parent.tenant.ocid, displayName: String(template.displayName ?? template.name), type: type as never, creationOption: 'TEMPLATE' as never, template: { type, ...template } as never },
      })
    ).governanceRule;
    const criterion = await parent.gov.rules.createInclusionCriterion({
      createInclusionCriterionDetails: { governanceRuleId: rule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never },
    });
    assert.equal((await parent.gov.waitFor(criterion.opcWorkRequestId)).status, 'SUCCEEDED');
    return rule;
  };
  const subscribe = async (p: Party, region: string, expected: number) => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/admin/v1/tenants/${p.tenant.id}/region-subscriptions`,
      headers: { authorization: `Bearer ${t.operatorToken}` },
      payload: { region },
    });
    assert.equal(res.statusCode, expected, `${region}: ${res.body}`);
    return res.json();
  };
  const regionsOf = async (p: Party) => (await operator(t, 'GET', `/tenants/${p.tenant.id}/region-subscriptions`)).map((s: { region: string }) => s.region).sort();

  test('ALLOWED_REGIONS refuses a governed child a new region outside the rule, allows one inside it, keeps the regions it had, and stops once the child is opted out', async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    await subscribe(child, 'uk-london-1', 201);
    await attach(parent, child, 'ALLOWED_REGIONS', { displayName: 'americas', regions: ['us-ashburn-1', 'us-phoenix-1', 'uk-london-1'] });
    const refused = await subscribe(child, 'eu-frankfurt-1', 409);
    assert.equal(refused.code, 'REGION_NOT_ALLOWED');
    assert.match(refused.message, /region eu-frankfurt-1 is not allowed .* \(allowed: uk-london-1, us-ashburn-1, us-phoenix-1\)/);
    assert.equal((await subscribe(child, 'us-phoenix-1', 201)).region, 'us-phoenix-1');
    assert.equal((await subscribe(child, 'us-phoenix-1', 200)).region, 'us-phoenix-1', 'subscribing again is a no-op');
    assert.equal((await subscribe(child, 'moon-1', 400)).code, 'UNKNOWN_REGION');

    // A second rule narrows it further: a region must be allowed by every rule in force.
    await attach(parent, child, 'ALLOWED_REGIONS', { displayName: 'uk', regions: ['uk-london-1', 'us-phoenix-1', 'ap-tokyo-1'] });
    assert.match((await subscribe(child, 'ap-tokyo-1', 409)).message, /allowed: uk-london-1, us-phoenix-1\)/);
    assert.deepEqual(await regionsOf(child), ['uk-london-1', 'us-ashburn-1', 'us-phoenix-1'], 'the regions it had stay');

    // The parent itself is not governed by its own rules.
    await subscribe(parent, 'eu-frankfurt-1', 201);

    const [organization] = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    await parent.oci.waitFor((await parent.oci.governance.removeGovernance({ organizationId: organization.id, organizationTenancyId: child.tenant.ocid })).opcWorkRequestId);
    await subscribe(child, 'eu-frankfurt-1', 201);
  });

  test("TAG rules check the defined tags a governed child writes on its invitations: unknown tags, values outside an ENUM and missing required tags are refused; defaults are filled in", async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const [received] = (await child.oci.recipient.listRecipientInvitations({ compartmentId: child.tenant.ocid })).recipientInvitationCollection.items;
    const update = (definedTags: Record<string, Record<string, unknown>>) =>
      child.oci.recipient.updateRecipientInvitation({ recipientInvitationId: received.id, updateRecipientInvitationDetails: { definedTags } });
    // Before any TAG rule, anything goes.
    await update({ CostCenter: { anything: 'x' } });

    await attach(parent, child, 'TAG', {
      name: 'CostCenter',
      tags: [
        { name: 'cc', validator: { validatorType: 'ENUM', values: ['a', 'b'] } },
        { name: 'owner', validator: { validatorType: 'DEFAULT' } },
        { name: 'env' },
      ],
      tagDefaults: [
        { tagName: 'cc', value: 'a', isRequired: true },
        { tagName: 'env', value: 'prod', isRequired: false },
      ],
    });
    const refusals: Array<[Record<string, Record<string, unknown>>, RegExp]> = [
      [{ CostCenter: { cc: 'z' } }, /CostCenter.cc may only be a, b; 'z' is not allowed/],
      [{ CostCenter: { cc: 'a', project: 'p' } }, /CostCenter.project is not defined/],
      [{ CostCenter: { owner: 'me' } }, /CostCenter.cc is required/],
      [{ Other: { k: 'v' } }, /CostCenter.cc is required/],
    ];
    for (const [tags, reason] of refusals) {
      const error = await ociError(update(tags));
      assert.equal(error.statusCode, 400, JSON.stringify(tags));
      assert.match(error.message, reason);
    }
    const ok = (await update({ costcenter: { CC: 'b', owner: 'me' }, Other: { k: 'v' } })).recipientInvitation;
    assert.deepEqual(ok.definedTags, { costcenter: { CC: 'b', owner: 'me', env: 'prod' }, Other: { k: 'v' } });

    // The parent writes its own tags freely: its rules govern its children, not itself.
    const [sent] = (await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid })).senderInvitationCollection.items;
    await parent.oci.sender.updateSenderInvitation({ senderInvitationId: sent.id, updateSenderInvitationDetails: { definedTags: { CostCenter: { cc: 'z' } } } });
  });
});
