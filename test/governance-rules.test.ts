import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as gr from 'oci-governancerulescontrolplane';
import { operator } from './support/app.js';
import { governanceStage, join, type Party } from './support/governance.js';
import { ociError } from './support/oci.js';

const quota = (displayName: string, statements: string[]) => ({ type: 'QUOTA', displayName, statements }) as gr.models.QuotaTemplate & { type: string };
const regions = (displayName: string, list: string[]) => ({ type: 'ALLOWED_REGIONS', displayName, regions: list }) as gr.models.AllowedRegionsTemplate & { type: string };
const TAG = {
  type: 'TAG',
  name: 'CostCenter',
  description: 'org tags',
  tags: [{ name: 'cc', description: 'cost center', isCostTracking: true, validator: { validatorType: 'ENUM', values: ['a', 'b'] } }],
  tagDefaults: [{ tagName: 'cc', value: 'a', isRequired: false }],
};

describe('OCI Governance Rules API through the official SDK', () => {
  const stage = governanceStage();
  const { party } = stage;

  const createRule = (p: Party, displayName: string, type: string, template: unknown, extra: Record<string, unknown> = {}) =>
    p.gov.rules.createGovernanceRule({
      createGovernanceRuleDetails: { compartmentId: p.tenant.ocid, displayName, type: type as never, creationOption: 'TEMPLATE' as never, template: template as never, ...extra },
    });

  test('a parent creates, reads, lists, updates and deletes QUOTA, TAG and ALLOWED_REGIONS rules, each change with a finished work request', async () => {
    const parent = await party();
    const created = await createRule(parent, 'no-rm', 'QUOTA', quota('no-rm', ['zero resource-manager quotas in tenancy']));
    assert.match(created.governanceRule.id, /^ocid1\.governancerule\.oc1\.\./);
    assert.equal(created.governanceRule.compartmentId, parent.tenant.ocid);
    assert.equal(created.governanceRule.lifecycleState, 'ACTIVE');
    assert.equal(created.governanceRule.creationOption, 'TEMPLATE');
    assert.deepEqual(created.governanceRule.template, { type: 'QUOTA', displayName: 'no-rm', statements: ['zero resource-manager quotas in tenancy'] });
    assert.deepEqual(created.governanceRule.freeformTags, {});
    assert.ok(created.etag);
    assert.match(created.opcWorkRequestId!, /^ocid1\.governanceruleworkrequest\./);
    const wr = await parent.gov.waitFor(created.opcWorkRequestId);
    assert.equal(wr.status, 'SUCCEEDED');
    assert.equal(wr.operationType, 'CREATE_GOVERNANCE_RULE');
    assert.deepEqual(wr.resources.map((r) => [r.entityType, r.actionType, r.identifier]), [['GovernanceRule', 'CREATED', created.governanceRule.id]]);

    const tag = await createRule(parent, 'cost centers', 'TAG', TAG, { freeformTags: { team: 'finops' } });
    assert.deepEqual(tag.governanceRule.template, TAG);
    assert.deepEqual(tag.governanceRule.freeformTags, { team: 'finops' });
    const us = await createRule(parent, 'us-only', 'ALLOWED_REGIONS', regions('us-only', ['us-ashburn-1', 'us-phoenix-1']));

    const listed = (await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid })).governanceRuleCollection.items;
    assert.deepEqual(new Set(listed.map((r) => r.id)), new Set([created.governanceRule.id, tag.governanceRule.id, us.governanceRule.id]));
    const quotas = (await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid, governanceRuleType: 'QUOTA' as never })).governanceRuleCollection.items;
    assert.deepEqual(quotas.map((r) => r.displayName), ['no-rm']);
    const page1 = await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid, limit: 2, sortBy: 'displayName' as never, sortOrder: 'ASC' as never });
    assert.deepEqual(page1.governanceRuleCollection.items.map((r) => r.displayName), ['cost centers', 'no-rm']);
    const page2 = await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid, limit: 2, page: page1.opcNextPage, sortBy: 'displayName' as never, sortOrder: 'ASC' as never });
    assert.deepEqual(page2.governanceRuleCollection.items.map((r) => r.displayName), ['us-only']);
    assert.equal(page2.opcNextPage, undefined);

    const got = await parent.gov.rules.getGovernanceRule({ governanceRuleId: us.governanceRule.id });
    assert.equal(got.etag, us.etag);
    const updated = await parent.gov.rules.updateGovernanceRule({
      governanceRuleId: us.governanceRule.id,
      ifMatch: got.etag,
      updateGovernanceRuleDetails: { displayName: 'us-east-only', template: regions('us-east-only', ['us-ashburn-1']) as never },
    });
    assert.equal((await parent.gov.waitFor(updated.opcWorkRequestId)).operationType, 'UPDATE_GOVERNANCE_RULE');
    const after = (await parent.gov.rules.getGovernanceRule({ governanceRuleId: us.governanceRule.id })).governanceRule;
    assert.equal(after.displayName, 'us-east-only');
    assert.deepEqual((after.template as gr.models.AllowedRegionsTemplate).regions, ['us-ashburn-1']);

    const stale = await ociError(parent.gov.rules.updateGovernanceRule({ governanceRuleId: us.governanceRule.id, ifMatch: got.etag, updateGovernanceRuleDetails: { displayName: 'x' } }));
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.serviceCode, 'NoEtagMatch');
    const mismatch = await ociError(
      parent.gov.rules.updateGovernanceRule({ governanceRuleId: us.governanceRule.id, updateGovernanceRuleDetails: { template: quota('q', ['zero vcn quotas in tenancy']) as never } }),
    );
    assert.equal(mismatch.statusCode, 400);
    assert.match(mismatch.message, /does not match the rule's type ALLOWED_REGIONS/);

    const deleted = await parent.gov.rules.deleteGovernanceRule({ governanceRuleId: created.governanceRule.id });
    assert.equal((await parent.gov.waitFor(deleted.opcWorkRequestId)).status, 'SUCCEEDED');
    assert.equal((await parent.gov.rules.getGovernanceRule({ governanceRuleId: created.governanceRule.id })).governanceRule.lifecycleState, 'DELETED');
    const active = (await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid, lifecycleState: 'ACTIVE' as never })).governanceRuleCollection.items;
    assert.equal(active.length, 2);
    const again = await ociError(parent.gov.rules.deleteGovernanceRule({ governanceRuleId: created.governanceRule.id }));
    assert.equal(again.statusCode, 409);

    const wrs = (await parent.gov.workRequests.listWorkRequests({ compartmentId: parent.tenant.ocid })).workRequestSummaryCollection.items;
    assert.deepEqual(wrs.map((w) => w.operationType).sort(), ['CREATE_GOVERNANCE_RULE', 'CREATE_GOVERNANCE_RULE', 'CREATE_GOVERNANCE_RULE', 'DELETE_GOVERNANCE_RULE', 'UPDATE_GOVERNANCE_RULE']);
    const logs = (await parent.gov.workRequests.listWorkRequestLogs({ workRequestId: deleted.opcWorkRequestId! })).workRequestLogEntryCollection.items;
    assert.match(logs[0].message, /deleted/);
    const cancel = await ociError(parent.gov.workRequests.cancelWorkRequest({ workRequestId: deleted.opcWorkRequestId! }));
    assert.equal(cancel.statusCode, 409, 'a finished work request cannot be canceled');
  });

  test('bad quota statements are refused with 400 InvalidParameter saying which statement is wrong and why; good ones of every form are kept as written', async () => {
    const parent = await party();
    const good = [
      'set compute-core quota standard-e4-core-count to 10 in tenancy',
      "set compute-core quotas standard-e4-core-count, standard-a1-core-count to 4 in tenancy where request.region = 'us-phoenix-1'",
      'Zero compute-core quotas /standard-*-core-count/ in tenancy where any {request.region = us-ashburn-1, request.region = uk-london-1}',
      "unset block-storage quota total-storage-gb in tenancy where request.region != 'ap-tokyo-1'",
      'zero database quotas in tenancy',
    ];
    const ok = await createRule(parent, 'quotas', 'QUOTA', quota('quotas', good));
    assert.deepEqual((ok.governanceRule.template as gr.models.QuotaTemplate).statements, good);

    const refusals: Array<[string, RegExp]> = [
      ['allow group x to manage all-resources in tenancy', /starts with 'set', 'unset' or 'zero', found 'allow'/],
      ['zero teleport quotas in tenancy', /unknown quota family 'teleport'; known families: compute-core/],
      ['set compute-core quota warp-core-count to 1 in tenancy', /unknown quota 'warp-core-count' in the family 'compute-core'/],
      ['set compute-core quota standard-e4-core-count in tenancy', /'set' needs a value/],
      ['set compute-core quota standard-e4-core-count to lots in tenancy', /whole number/],
      ['zero vcn quota vcn-count to 2 in tenancy', /'zero' takes no value/],
      ['unset vcn quotas in tenancy', /'unset' needs the quota names/],
      ['zero vcn quotas in compartment finance', /use 'in tenancy'/],
      ['zero vcn quotas', /expected 'in' before the scope, found the end of the statement/],
      ["zero vcn quotas in tenancy where request.region = 'mars-north-1'", /unknown region 'mars-north-1'/],
      ['zero vcn quotas in tenancy where request.user = x', /compares request.region/],
      ['zero compute-core quotas /gpu-b*/ in tenancy', /matches no quota/],
      ['zero vcn quotas in tenancy please', /unexpected 'please'/],
    ];
    for (const [statement, reason] of refusals) {
      const error = await ociError(createRule(parent, 'bad', 'QUOTA', quota('bad', ['zero vcn quotas in tenancy', statement])));
      assert.equal(error.statusCode, 400, statement);
      assert.equal(error.serviceCode, 'InvalidParameter', statement);
      assert.match(error.message, /^statements\[1\] /, statement);
      assert.match(error.message, reason, statement);
    }
    const rules = (await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid })).governanceRuleCollection.items;
    assert.equal(rules.length, 1, 'no refused rule was stored');
  });

  test('templates are checked: the type must match, regions must be known, tag defaults must name a tag with an allowed value; CLONE copies a rule', async () => {
    const parent = await party();
    const cases: Array<[string, unknown, RegExp]> = [
      ['QUOTA', regions('r', ['us-ashburn-1']), /does not match the rule's type QUOTA/],
      ['ALLOWED_REGIONS', regions('r', ['us-ashburn-1', 'moon-1']), /unknown regions moon-1/],
      ['TAG', { ...TAG, tagDefaults: [{ tagName: 'project', value: 'x', isRequired: true }] }, /not a tag of the namespace CostCenter/],
      ['TAG', { ...TAG, tagDefaults: [{ tagName: 'cc', value: 'z', isRequired: true }] }, /'z' of cc is not one of its allowed values \(a, b\)/],
    ];
    for (const [type, template, reason] of cases) {
      const error = await ociError(createRule(parent, 'bad', type, template));
      assert.equal(error.statusCode, 400);
      assert.match(error.message, reason);
    }
    const missing = await ociError(
      parent.gov.rules.createGovernanceRule({ createGovernanceRuleDetails: { compartmentId: parent.tenant.ocid, displayName: 'x', type: 'TAG' as never, creationOption: 'TEMPLATE' as never } as never }),
    );
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.serviceCode, 'MissingParameter');

    const source = await createRule(parent, 'eu', 'ALLOWED_REGIONS', regions('eu', ['eu-frankfurt-1', 'uk-london-1']));
    const clone = await parent.gov.rules.createGovernanceRule({
      createGovernanceRuleDetails: { compartmentId: parent.tenant.ocid, displayName: 'eu copy', type: 'ALLOWED_REGIONS' as never, creationOption: 'CLONE' as never, relatedResourceId: source.governanceRule.id } as never,
    });
    assert.equal(clone.governanceRule.creationOption, 'CLONE');
    assert.equal(clone.governanceRule.relatedResourceId, source.governanceRule.id);
    assert.deepEqual(clone.governanceRule.template, source.governanceRule.template);
  });

  test("an opc-retry-token replays the first createGovernanceRule; another tenancy's rules are not found; a child cannot create rules", async () => {
    const parent = await party();
    const child = await party('PAYG');
    const stranger = await party();
    const details = { compartmentId: parent.tenant.ocid, displayName: 'once', type: 'QUOTA' as never, creationOption: 'TEMPLATE' as never, template: quota('once', ['zero vcn quotas in tenancy']) as never };
    const first = await parent.gov.rules.createGovernanceRule({ createGovernanceRuleDetails: details, opcRetryToken: 'gov-token-1' });
    const replay = await parent.gov.rules.createGovernanceRule({ createGovernanceRuleDetails: details, opcRetryToken: 'gov-token-1' });
    assert.equal(replay.governanceRule.id, first.governanceRule.id);
    assert.equal(replay.opcWorkRequestId, first.opcWorkRequestId);
    const reused = await ociError(parent.gov.rules.createGovernanceRule({ createGovernanceRuleDetails: { ...details, displayName: 'other' }, opcRetryToken: 'gov-token-1' }));
    assert.equal(reused.serviceCode, 'InvalidatedRetryToken');
    assert.equal((await parent.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid })).governanceRuleCollection.items.length, 1);

    for (const call of [
      () => stranger.gov.rules.getGovernanceRule({ governanceRuleId: first.governanceRule.id }),
      () => stranger.gov.rules.deleteGovernanceRule({ governanceRuleId: first.governanceRule.id }),
      () => stranger.gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid }),
      () => stranger.gov.workRequests.getWorkRequest({ workRequestId: first.opcWorkRequestId! }),
      () => stranger.gov.rules.createInclusionCriterion({ createInclusionCriterionDetails: { governanceRuleId: first.governanceRule.id, type: 'ALL' as never } }),
    ]) {
      const error = await ociError(call());
      assert.equal(error.statusCode, 404);
      assert.equal(error.serviceCode, 'NotAuthorizedOrNotFound');
    }
    const missing = await ociError(parent.gov.rules.listGovernanceRules({}));
    assert.equal(missing.serviceCode, 'MissingParameter');

    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const refused = await ociError(createRule(child, 'mine', 'QUOTA', quota('mine', ['zero vcn quotas in tenancy'])));
    assert.equal(refused.statusCode, 409);
    assert.match(refused.message, /child tenancy cannot create governance rules/);
  });

  test('an inclusion criterion attaches a rule to an opted-in child: the attachment becomes ACTIVE through its work request and the child reads the enforced rule, locked to it', async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const rule = await createRule(parent, 'no-rm', 'QUOTA', quota('no-rm', ['zero resource-manager quotas in tenancy']));
    const criterion = await parent.gov.rules.createInclusionCriterion({
      createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never },
    });
    assert.equal(criterion.inclusionCriterion.type, 'TENANCY');
    assert.deepEqual(criterion.inclusionCriterion.association, { type: 'TENANCY', tenancyId: child.tenant.ocid });
    const wr = await parent.gov.waitFor(criterion.opcWorkRequestId);
    assert.equal(wr.status, 'SUCCEEDED');
    assert.equal(wr.operationType, 'CREATE_INCLUSION_CRITERIA');
    const attachmentRef = wr.resources.find((r) => r.entityType === 'TenancyAttachment');
    assert.equal(attachmentRef?.actionType, 'CREATED');

    const [attachment] = (await parent.gov.rules.listTenancyAttachments({ governanceRuleId: rule.governanceRule.id })).tenancyAttachmentCollection.items;
    assert.equal(attachment.id, attachmentRef!.identifier);
    assert.equal(attachment.tenancyId, child.tenant.ocid);
    assert.equal(attachment.compartmentId, parent.tenant.ocid);
    assert.equal(attachment.lifecycleState, 'ACTIVE');
    assert.ok(attachment.timeLastAttempted);
    assert.equal((await parent.gov.rules.getTenancyAttachment({ tenancyAttachmentId: attachment.id })).tenancyAttachment.lifecycleState, 'ACTIVE');
    const criteria = (await parent.gov.rules.listInclusionCriteria({ governanceRuleId: rule.governanceRule.id })).inclusionCriterionCollection.items;
    assert.deepEqual(criteria.map((c) => c.id), [criterion.inclusionCriterion.id]);
    const twice = await ociError(
      parent.gov.rules.createInclusionCriterion({
        createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never },
      }),
    );
    assert.equal(twice.statusCode, 409);

    const enforced = (await child.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid })).enforcedGovernanceRuleCollection.items;
    assert.equal(enforced.length, 1);
    assert.equal(enforced[0].governanceRuleDisplayName, 'no-rm');
    assert.equal(enforced[0].type, 'QUOTA');
    assert.equal(enforced[0].compartmentId, child.tenant.ocid);
    const one = (await child.gov.rules.getEnforcedGovernanceRule({ enforcedGovernanceRuleId: enforced[0].id })).enforcedGovernanceRule;
    assert.deepEqual(one.template, { type: 'QUOTA', displayName: 'no-rm', statements: ['zero resource-manager quotas in tenancy'] });
    assert.equal(one.lifecycleState, 'ACTIVE');
    // Locked: the child can neither read, change nor delete the rule it is governed by.
    for (const call of [
      () => child.gov.rules.getGovernanceRule({ governanceRuleId: rule.governanceRule.id }),
      () => child.gov.rules.updateGovernanceRule({ governanceRuleId: rule.governanceRule.id, updateGovernanceRuleDetails: { displayName: 'mine now' } }),
      () => child.gov.rules.deleteGovernanceRule({ governanceRuleId: rule.governanceRule.id }),
      () => child.gov.rules.deleteInclusionCriterion({ inclusionCriterionId: criterion.inclusionCriterion.id }),
      () => child.gov.rules.retryTenancyAttachment({ tenancyAttachmentId: attachment.id }),
    ]) {
      assert.equal((await ociError(call())).statusCode, 404);
    }
    // The parent's update reaches the child's enforced rule.
    const updated = await parent.gov.rules.updateGovernanceRule({
      governanceRuleId: rule.governanceRule.id,
      updateGovernanceRuleDetails: { template: quota('no-rm', ['zero resource-manager quotas in tenancy', 'set vcn quota vcn-count to 2 in tenancy']) as never },
    });
    await parent.gov.waitFor(updated.opcWorkRequestId);
    const seen = (await child.gov.rules.getEnforcedGovernanceRule({ enforcedGovernanceRuleId: enforced[0].id })).enforcedGovernanceRule;
    assert.equal((seen.template as gr.models.QuotaTemplate).statements.length, 2);
    const stranger = await party();
    assert.equal((await ociError(stranger.gov.rules.getEnforcedGovernanceRule({ enforcedGovernanceRuleId: enforced[0].id }))).statusCode, 404);
    assert.equal((await ociError(stranger.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid }))).statusCode, 404);

    // Deleting the criterion detaches the rule: the child no longer has it.
    const removed = await parent.gov.rules.deleteInclusionCriterion({ inclusionCriterionId: criterion.inclusionCriterion.id });
    const removedWr = await parent.gov.waitFor(removed.opcWorkRequestId);
    assert.deepEqual(removedWr.resources.map((r) => [r.entityType, r.actionType]), [['InclusionCriterion', 'DELETED'], ['TenancyAttachment', 'DELETED']]);
    assert.equal((await child.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid })).enforcedGovernanceRuleCollection.items.length, 0);
    assert.equal((await child.gov.rules.getEnforcedGovernanceRule({ enforcedGovernanceRuleId: enforced[0].id })).enforcedGovernanceRule.lifecycleState, 'DELETED');
    assert.equal((await parent.gov.rules.getTenancyAttachment({ tenancyAttachmentId: attachment.id })).tenancyAttachment.lifecycleState, 'DELETED');
  });

  test('a child that has not opted in cannot have a rule attached; ALL reaches only opted-in children, and a retry reaches a child once it opts in', async () => {
    const parent = await party();
    const governed = await party('PAYG');
    const free = await party('PAYG');
    await join(parent, governed, ['LINK', 'GOVERNANCE']);
    await join(parent, free, ['LINK']);
    const rule = await createRule(parent, 'us', 'ALLOWED_REGIONS', regions('us', ['us-ashburn-1']));
    const refused = await ociError(
      parent.gov.rules.createInclusionCriterion({
        createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: free.tenant.ocid } as never },
      }),
    );
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.serviceCode, 'Conflict');
    assert.match(refused.message, /has not opted in to the governance/);
    const notChild = await ociError(
      parent.gov.rules.createInclusionCriterion({
        createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: parent.tenant.ocid } as never },
      }),
    );
    assert.equal(notChild.statusCode, 404);

    const all = await parent.gov.rules.createInclusionCriterion({ createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'ALL' as never } });
    assert.equal((await parent.gov.waitFor(all.opcWorkRequestId)).status, 'SUCCEEDED');
    const attached = () => parent.gov.rules.listTenancyAttachments({ governanceRuleId: rule.governanceRule.id }).then((r) => r.tenancyAttachmentCollection.items);
    assert.deepEqual((await attached()).map((a) => a.tenancyId), [governed.tenant.ocid]);
    assert.equal((await free.gov.rules.listEnforcedGovernanceRules({ compartmentId: free.tenant.ocid })).enforcedGovernanceRuleCollection.items.length, 0);

    // The parent asks the free child to join governance; it accepts and opts in.
    const request = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: free.tenant.ocid, subjects: ['GOVERNANCE' as never] },
    });
    await parent.oci.waitFor(request.opcWorkRequestId);
    const ri = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: request.senderInvitation.id })).senderInvitation.recipientInvitationId!;
    await free.oci.waitFor((await free.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: ri })).opcWorkRequestId);

    const retried = await parent.gov.rules.retryGovernanceRule({ governanceRuleId: rule.governanceRule.id });
    const wr = await parent.gov.waitFor(retried.opcWorkRequestId);
    assert.equal(wr.operationType, 'RETRY_GOVERNANCE_RULE');
    assert.equal(wr.status, 'SUCCEEDED');
    assert.deepEqual(new Set((await attached()).map((a) => `${a.tenancyId} ${a.lifecycleState}`)), new Set([`${governed.tenant.ocid} ACTIVE`, `${free.tenant.ocid} ACTIVE`]));
    const [enforced] = (await free.gov.rules.listEnforcedGovernanceRules({ compartmentId: free.tenant.ocid, governanceRuleType: 'ALLOWED_REGIONS' as never })).enforcedGovernanceRuleCollection.items;
    assert.equal(enforced.governanceRuleDisplayName, 'us');
  });

  test('a child opted out after attachment: its attachment needs attention, the rule is no longer enforced on it, and a retry fails until it opts in again', async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const rule = await createRule(parent, 'tags', 'TAG', TAG);
    const criterion = await parent.gov.rules.createInclusionCriterion({
      createInclusionCriterionDetails: { governanceRuleId: rule.governanceRule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never },
    });
    await parent.gov.waitFor(criterion.opcWorkRequestId);
    const [organization] = (await parent.oci.organization.listOrganizations({ compartmentId: parent.tenant.ocid })).organizationCollection.items;
    const out = await parent.oci.governance.removeGovernance({ organizationId: organization.id, organizationTenancyId: child.tenant.ocid });
    assert.equal((await parent.oci.waitFor(out.opcWorkRequestId)).status, 'SUCCEEDED');

    const [attachment] = (await parent.gov.rules.listTenancyAttachments({ compartmentId: parent.tenant.ocid, childTenancyId: child.tenant.ocid })).tenancyAttachmentCollection.items;
    assert.equal(attachment.lifecycleState, 'NEEDS_ATTENTION');
    const needing = (await parent.gov.rules.listTenancyAttachments({ compartmentId: parent.tenant.ocid, lifecycleState: 'NEEDS_ATTENTION' })).tenancyAttachmentCollection.items;
    assert.deepEqual(needing.map((a) => a.id), [attachment.id]);
    assert.equal((await child.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid })).enforcedGovernanceRuleCollection.items.length, 0);

    const retry = await parent.gov.rules.retryTenancyAttachment({ tenancyAttachmentId: attachment.id });
    const failed = await parent.gov.waitFor(retry.opcWorkRequestId);
    assert.equal(failed.operationType, 'RETRY_TENANCY_ATTACHMENT');
    assert.equal(failed.status, 'FAILED');
    assert.ok(failed.timeFinished);
    const [error] = (await parent.gov.workRequests.listWorkRequestErrors({ workRequestId: retry.opcWorkRequestId! })).workRequestErrorCollection.items;
    assert.equal(error.code, 'Conflict');
    assert.match(error.message, /not an active child opted in/);
    assert.equal((await parent.gov.rules.getTenancyAttachment({ tenancyAttachmentId: attachment.id })).tenancyAttachment.lifecycleState, 'NEEDS_ATTENTION');

    const request = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: ['GOVERNANCE' as never] },
    });
    await parent.oci.waitFor(request.opcWorkRequestId);
    const ri = (await parent.oci.sender.getSenderInvitation({ senderInvitationId: request.senderInvitation.id })).senderInvitation.recipientInvitationId!;
    await child.oci.waitFor((await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId: ri })).opcWorkRequestId);
    const again = await parent.gov.rules.retryTenancyAttachment({ tenancyAttachmentId: attachment.id });
    assert.equal((await parent.gov.waitFor(again.opcWorkRequestId)).status, 'SUCCEEDED');
    assert.equal((await parent.gov.rules.getTenancyAttachment({ tenancyAttachmentId: attachment.id })).tenancyAttachment.lifecycleState, 'ACTIVE');
    assert.equal((await child.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid })).enforcedGovernanceRuleCollection.items.length, 1);
  });

  test('racing changes: of two identical inclusion criteria one is created and the other is a conflict; of two deletes of one rule one wins', async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const rule = (await createRule(parent, 'race', 'QUOTA', quota('race', ['zero vcn quotas in tenancy']))).governanceRule;
    const details = { governanceRuleId: rule.id, type: 'TENANCY' as never, association: { type: 'TENANCY', tenancyId: child.tenant.ocid } as never };
    const criteria = await Promise.allSettled([
      parent.gov.rules.createInclusionCriterion({ createInclusionCriterionDetails: details }),
      parent.gov.rules.createInclusionCriterion({ createInclusionCriterionDetails: details }),
    ]);
    assert.equal(criteria.filter((r) => r.status === 'fulfilled').length, 1);
    const lost = criteria.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    assert.equal(lost.reason.statusCode, 409);
    const won = (criteria.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<Awaited<ReturnType<typeof parent.gov.rules.createInclusionCriterion>>>).value;
    await parent.gov.waitFor(won.opcWorkRequestId);
    assert.equal((await parent.gov.rules.listTenancyAttachments({ governanceRuleId: rule.id })).tenancyAttachmentCollection.items.length, 1, 'one attachment');

    const deletes = await Promise.allSettled([parent.gov.rules.deleteGovernanceRule({ governanceRuleId: rule.id }), parent.gov.rules.deleteGovernanceRule({ governanceRuleId: rule.id })]);
    assert.equal(deletes.filter((r) => r.status === 'fulfilled').length, 1);
    assert.equal((deletes.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.statusCode, 409);
    const wrs = (await parent.gov.workRequests.listWorkRequests({ compartmentId: parent.tenant.ocid })).workRequestSummaryCollection.items;
    assert.equal(wrs.filter((w) => w.operationType === 'DELETE_GOVERNANCE_RULE').length, 1);
    assert.equal(wrs.filter((w) => w.operationType === 'CREATE_INCLUSION_CRITERIA').length, 1);
  });

  test('IAM: a member without a policy sees no governance rules; inspect lists them, manage changes them, and the organizations family covers both', async () => {
    const parent = await party();
    const rule = (await createRule(parent, 'iam', 'QUOTA', quota('iam', ['zero vcn quotas in tenancy']))).governanceRule;
    const member = await operator(stage.t, 'POST', `/tenants/${parent.tenant.id}/users`, { email: `gov-member-${Date.now()}@p.test` });
    const gov = await stage.clients(member, parent.tenant.ocid);
    const list = () => gov.rules.listGovernanceRules({ compartmentId: parent.tenant.ocid });
    const create = () => createRule({ ...parent, gov }, 'mine', 'QUOTA', quota('mine', ['zero vcn quotas in tenancy']));
    for (const call of [list, () => gov.rules.getGovernanceRule({ governanceRuleId: rule.id }), create]) {
      const error = await ociError(call());
      assert.equal(error.statusCode, 404);
      assert.equal(error.serviceCode, 'NotAuthorizedOrNotFound');
    }
    await operator(stage.t, 'POST', `/tenants/${parent.tenant.id}/groups`, { name: 'GovViewers', members: [member.id] });
    await operator(stage.t, 'POST', `/tenants/${parent.tenant.id}/policies`, { name: 'gov-viewers', statements: ['Allow group GovViewers to inspect organizations-governance-rules in tenancy'] });
    assert.deepEqual((await list()).governanceRuleCollection.items.map((r) => r.id), [rule.id]);
    assert.equal((await ociError(create())).statusCode, 404);
    await operator(stage.t, 'POST', `/tenants/${parent.tenant.id}/policies`, { name: 'gov-admins', statements: ['Allow group GovViewers to manage organizations-family in tenancy'] });
    assert.equal((await create()).governanceRule.displayName, 'mine');
  });
});
