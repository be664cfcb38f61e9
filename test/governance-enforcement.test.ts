import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { operator } from './support/app.js';
import { governanceStage, join, type Party } from './support/governance.js';
import { ociError } from './support/oci.js';

describe('Governance enforcement where this service owns the object', () => {
  const stage = governanceStage();
  const { party } = stage;
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
    const res = await stage.t.app.inject({
      method: 'POST',
      url: `/admin/v1/tenants/${p.tenant.id}/region-subscriptions`,
      headers: { authorization: `Bearer ${stage.t.operatorToken}` },
      payload: { region },
    });
    assert.equal(res.statusCode, expected, `${region}: ${res.body}`);
    return res.json();
  };
  const regionsOf = async (p: Party) => (await operator(stage.t, 'GET', `/tenants/${p.tenant.id}/region-subscriptions`)).map((s: { region: string }) => s.region).sort();

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

  /** The operator reports how much of a limit the tenancy uses (over HTTP); answers status and body. */
  const report = async (p: Party, serviceName: string, limitName: string, used: number, region?: string) => {
    const res = await fetch(`${stage.url}/admin/v1/tenants/${p.tenant.id}/resource-usage`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${stage.t.operatorToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ serviceName, limitName, used, ...(region ? { region } : {}) }),
    });
    return { status: res.status, body: await res.json() };
  };
  const accepted = async (p: Party, serviceName: string, limitName: string, used: number, region?: string) => {
    const res = await report(p, serviceName, limitName, used, region);
    assert.equal(res.status, 200, `${serviceName}/${limitName} ${used} ${region ?? ''}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const refused = async (p: Party, serviceName: string, limitName: string, used: number, code: string, region?: string) => {
    const res = await report(p, serviceName, limitName, used, region);
    assert.equal(res.body.code, code, `${serviceName}/${limitName} ${used} ${region ?? ''}: ${JSON.stringify(res.body)}`);
    assert.equal(res.status, code === 'REGION_NOT_SUBSCRIBED' ? 409 : 400);
    return res.body.message as string;
  };
  const availability = async (p: Party, serviceName: string, limitName: string) =>
    (await p.gov.limits.getResourceAvailability({ serviceName, limitName, compartmentId: p.tenant.ocid })).resourceAvailability;
  const usedOf = async (p: Party) =>
    Object.fromEntries(((await operator(stage.t, 'GET', `/tenants/${p.tenant.id}/resource-usage`)) as Array<{ serviceName: string; limitName: string; region: string; used: number }>).map((u) => [`${u.serviceName}/${u.limitName}@${u.region}`, u.used]));

  test('QUOTA rules refuse usage past a set, zero or region-bound quota and allow it within; unset leaves the service limit in charge; usage over a quota imposed later stays but cannot grow', async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    // Before any rule only the child's own service limits count (standard-e4 cores: 100).
    await accepted(child, 'compute-core', 'standard-e4-core-count', 20);
    assert.match(await refused(child, 'compute-core', 'standard-e4-core-count', 101, 'LIMIT_EXCEEDED'), /over the tenancy's service limit of 100/);
    assert.deepEqual(await availability(child, 'compute-core', 'standard-e4-core-count'), { used: 20, available: 80, fractionalUsage: 20, fractionalAvailability: 80 });

    const rule = await attach(parent, child, 'QUOTA', {
      displayName: 'team quotas',
      statements: [
        'set compute-core quota standard-e4-core-count to 16 in tenancy',
        'zero vcn quotas in tenancy',
        'unset vcn quota subnet-count in tenancy',
        "zero block-storage quota volume-count in tenancy where request.region = 'us-phoenix-1'",
      ],
    });

    // set: 20 cores were in use before the quota of 16; they stay, but can only shrink.
    const over = await availability(child, 'compute-core', 'standard-e4-core-count');
    assert.deepEqual([over.used, over.available, over.effectiveQuotaValue], [20, 0, 16]);
    assert.match(await refused(child, 'compute-core', 'standard-e4-core-count', 21, 'QUOTA_EXCEEDED'), /21 of compute-core\/standard-e4-core-count in us-ashburn-1 is over the quota of 16 .* \(in use: 20\)/);
    await accepted(child, 'compute-core', 'standard-e4-core-count', 18);
    assert.equal((await refused(child, 'compute-core', 'standard-e4-core-count', 19, 'QUOTA_EXCEEDED')).length > 0, true);
    await accepted(child, 'compute-core', 'standard-e4-core-count', 12);
    assert.deepEqual((await accepted(child, 'compute-core', 'standard-e4-core-count', 16)).available, 0, 'up to the quota is allowed');
    await refused(child, 'compute-core', 'standard-e4-core-count', 17, 'QUOTA_EXCEEDED');
    const cores = await availability(child, 'compute-core', 'standard-e4-core-count');
    assert.deepEqual([cores.used, cores.available, cores.effectiveQuotaValue, cores.fractionalAvailability], [16, 0, 16, 0], 'a refused report changed nothing');

    // zero: not even one VCN; zero itself is fine.
    await refused(child, 'vcn', 'vcn-count', 1, 'QUOTA_EXCEEDED');
    await accepted(child, 'vcn', 'vcn-count', 0);
    assert.deepEqual(await availability(child, 'vcn', 'vcn-count'), { used: 0, available: 0, effectiveQuotaValue: 0, fractionalUsage: 0, fractionalAvailability: 0 });

    // unset: the zero no longer covers subnets; the service limit (300) decides.
    await accepted(child, 'vcn', 'subnet-count', 300);
    assert.match(await refused(child, 'vcn', 'subnet-count', 301, 'LIMIT_EXCEEDED'), /service limit of 300/);
    const subnets = await availability(child, 'vcn', 'subnet-count');
    assert.deepEqual([subnets.used, subnets.available, subnets.effectiveQuotaValue], [300, 0, undefined]);

    // where: volumes are zeroed in us-phoenix-1 only; usage there needs the region subscribed first.
    await refused(child, 'block-storage', 'volume-count', 1, 'REGION_NOT_SUBSCRIBED', 'us-phoenix-1');
    await subscribe(child, 'us-phoenix-1', 201);
    await refused(child, 'block-storage', 'volume-count', 1, 'QUOTA_EXCEEDED', 'us-phoenix-1');
    await accepted(child, 'block-storage', 'volume-count', 5);
    const volumes = await availability(child, 'block-storage', 'volume-count');
    assert.deepEqual([volumes.used, volumes.available, volumes.effectiveQuotaValue], [5, 995, undefined], 'the home region (us-ashburn-1) has no quota on volumes');

    // Bad reports are refused whole.
    for (const [body, code] of [
      [{ serviceName: 'warp-drive', limitName: 'x', used: 1 }, 'UNKNOWN_LIMIT'],
      [{ serviceName: 'vcn', limitName: 'vcn-count', used: -1 }, 'INVALID_REQUEST'],
      [{ serviceName: 'vcn', limitName: 'vcn-count', used: 1.5 }, 'INVALID_REQUEST'],
      [{ serviceName: 'vcn', limitName: 'vcn-count', used: 1, region: 'moon-1' }, 'UNKNOWN_REGION'],
    ] as const) {
      const res = await stage.t.app.inject({ method: 'PUT', url: `/admin/v1/tenants/${child.tenant.id}/resource-usage`, headers: { authorization: `Bearer ${stage.t.operatorToken}` }, payload: body });
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.json().code, code);
    }
    assert.deepEqual(await usedOf(child), {
      'block-storage/volume-count@us-ashburn-1': 5,
      'compute-core/standard-e4-core-count@us-ashburn-1': 16,
      'vcn/subnet-count@us-ashburn-1': 300,
      'vcn/vcn-count@us-ashburn-1': 0,
    });

    // The parent's own usage is not under its rules.
    await accepted(parent, 'compute-core', 'standard-e4-core-count', 17);
    // Detached: the quota is gone, the service limit decides again.
    const [criterion] = (await parent.gov.rules.listInclusionCriteria({ governanceRuleId: rule.id })).inclusionCriterionCollection.items;
    await parent.gov.waitFor((await parent.gov.rules.deleteInclusionCriterion({ inclusionCriterionId: criterion.id })).opcWorkRequestId);
    await accepted(child, 'compute-core', 'standard-e4-core-count', 17);
    await accepted(child, 'vcn', 'vcn-count', 1);
    await accepted(child, 'block-storage', 'volume-count', 1, 'us-phoenix-1');
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
