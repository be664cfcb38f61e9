import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { governanceStage, join, type Party } from './support/governance.js';
import { ociError } from './support/oci.js';

describe('Quotas and limits through the official oci-limits clients', () => {
  const stage = governanceStage();
  const { party } = stage;

  test("a governed child reads its organization's QUOTA rules as locked quotas, its own unchanged service limits, and resource availability within the quota", async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const availability = async (p: Party, serviceName: string, limitName: string) =>
      (await p.gov.limits.getResourceAvailability({ serviceName, limitName, compartmentId: p.tenant.ocid })).resourceAvailability;
    const before = await availability(child, 'compute-core', 'standard-e4-core-count');
    assert.equal(before.effectiveQuotaValue, undefined);
    assert.equal(before.available, 100, 'without a quota the service limit decides');

    const statements = [
      'set compute-core quota standard-e4-core-count to 16 in tenancy',
      "zero compute-core quota standard-e4-core-count in tenancy where request.region = 'eu-frankfurt-1'",
      'zero resource-manager quotas in tenancy',
      'set vcn quota vcn-count to 500 in tenancy',
    ];
    const rule = (
      await parent.gov.rules.createGovernanceRule({
        createGovernanceRuleDetails: { compartmentId: parent.tenant.ocid, displayName: 'team quotas', type: 'QUOTA' as never, creationOption: 'TEMPLATE' as never, template: { type: 'QUOTA', displayName: 'team quotas', statements } as never },
      })
    ).governanceRule;
    await parent.gov.waitFor(
      (
        await parent.gov.rules.createInclusionCriterion({
          createInclusionCriterionDetails: { governanceRuleId: rule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never },
        })
      ).opcWorkRequestId,
    );

    const quotas = (await child.gov.quotas.listQuotas({ compartmentId: child.tenant.ocid })).items;
    assert.equal(quotas.length, 1);
    assert.equal(quotas[0].name, 'team_quotas');
    assert.equal(quotas[0].compartmentId, child.tenant.ocid);
    assert.deepEqual(quotas[0].locks?.map((l) => [l.type, l.relatedResourceId]), [['FULL', rule.id]]);
    const quota = await child.gov.quotas.getQuota({ quotaId: quotas[0].id });
    assert.deepEqual(quota.quota.statements, statements);
    assert.ok(quota.etag);
    const locked = await ociError(child.gov.quotas.updateQuota({ quotaId: quotas[0].id, updateQuotaDetails: { statements: [] } }));
    assert.equal(locked.statusCode, 409);
    assert.match(locked.message, /locked by governance rule/);
    assert.equal((await ociError(child.gov.quotas.deleteQuota({ quotaId: quotas[0].id }))).statusCode, 409);
    assert.equal((await parent.gov.quotas.listQuotas({ compartmentId: parent.tenant.ocid })).items.length, 0, "the parent's own tenancy is not under its rules");
    assert.equal((await ociError(parent.gov.quotas.getQuota({ quotaId: quotas[0].id }))).statusCode, 404);

    // The home region (us-ashburn-1) is not Frankfurt: the set statement holds there.
    const cores = await availability(child, 'compute-core', 'standard-e4-core-count');
    assert.equal(cores.effectiveQuotaValue, 16);
    assert.equal(cores.available, 16);
    assert.equal((await availability(child, 'resource-manager', 'stack-count')).available, 0);
    assert.equal((await availability(child, 'vcn', 'vcn-count')).available, 50, 'a quota above the service limit leaves the limit in charge');

    // Service limits stay the child's own.
    const values = (await child.gov.limits.listLimitValues({ compartmentId: child.tenant.ocid, serviceName: 'compute-core', name: 'standard-e4-core-count' })).items;
    assert.deepEqual(values.map((v) => [v.name, v.value]), [['standard-e4-core-count', 100]]);
    const services = (await child.gov.limits.listServices({ compartmentId: child.tenant.ocid })).items.map((s) => s.name);
    assert.ok(services.includes('compute-core') && services.includes('resource-manager'));
    const definitions = (await child.gov.limits.listLimitDefinitions({ compartmentId: child.tenant.ocid, serviceName: 'block-storage' })).items;
    assert.deepEqual(definitions.map((d) => d.name), ['total-storage-gb', 'volume-count', 'backup-count']);
    assert.ok(definitions.every((d) => d.areQuotasSupported && d.supportedQuotaFamilies?.includes('block-storage')));
    assert.equal((await ociError(child.gov.limits.listLimitValues({ compartmentId: child.tenant.ocid, serviceName: 'warp-drive' }))).statusCode, 404);
    assert.equal((await ociError(parent.gov.limits.listServices({ compartmentId: child.tenant.ocid }))).statusCode, 404);

    // Detached: the quota is gone and availability is the service limit again.
    const [criterion] = (await parent.gov.rules.listInclusionCriteria({ governanceRuleId: rule.id })).inclusionCriterionCollection.items;
    await parent.gov.waitFor((await parent.gov.rules.deleteInclusionCriterion({ inclusionCriterionId: criterion.id })).opcWorkRequestId);
    assert.equal((await child.gov.quotas.listQuotas({ compartmentId: child.tenant.ocid })).items.length, 0);
    assert.equal((await availability(child, 'compute-core', 'standard-e4-core-count')).available, 100);
  });
});
