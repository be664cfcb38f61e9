import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { governanceStage, type Party } from './support/governance.js';
import { ociError } from './support/oci.js';

describe('Governance rules chosen on organization invitations', () => {
  const stage = governanceStage();
  const { party } = stage;
  const rule = async (p: Party, displayName: string, statements: string[]) =>
    (
      await p.gov.rules.createGovernanceRule({
        createGovernanceRuleDetails: {
          compartmentId: p.tenant.ocid,
          displayName,
          type: 'QUOTA' as never,
          creationOption: 'TEMPLATE' as never,
          template: { type: 'QUOTA', displayName, statements } as never,
        },
      })
    ).governanceRule;
  /** Sends an invitation with the governance step's rules (an extension field the SDK passes through). */
  const invite = async (parent: Party, child: Party, subjects: string[], governanceRuleIds: string[]) => {
    const created = await parent.oci.sender.createSenderInvitation({
      createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: subjects as never[], governanceRuleIds } as never,
    });
    await parent.oci.waitFor(created.opcWorkRequestId);
    return (await parent.oci.sender.getSenderInvitation({ senderInvitationId: created.senderInvitation.id })).senderInvitation;
  };
  const accept = async (child: Party, recipientInvitationId: string) =>
    child.oci.waitFor((await child.oci.recipient.acceptRecipientInvitation({ recipientInvitationId })).opcWorkRequestId);
  const enforcedOn = async (child: Party) =>
    (await child.gov.rules.listEnforcedGovernanceRules({ compartmentId: child.tenant.ocid })).enforcedGovernanceRuleCollection.items.map((e) => e.governanceRuleDisplayName).sort();

  test('the rules chosen on an invitation with the GOVERNANCE subject, and the ALL rules, are attached when the child accepts; a rule deleted meanwhile is not', async () => {
    const parent = await party();
    const first = await party('PAYG');
    const child = await party('PAYG');
    const chosen = await rule(parent, 'no-rm', ['zero resource-manager quotas in tenancy']);
    const gone = await rule(parent, 'gone', ['zero vcn quotas in tenancy']);
    const forAll = await rule(parent, 'everyone', ['set compute-core quota standard-e4-core-count to 8 in tenancy']);
    const other = await rule(parent, 'not chosen', ['zero database quotas in tenancy']);
    // A first governed child makes the organization, so the ALL criterion has somewhere to apply.
    await accept(first, (await invite(parent, first, ['LINK', 'GOVERNANCE'], [])).recipientInvitationId!);
    await parent.gov.waitFor((await parent.gov.rules.createInclusionCriterion({ createInclusionCriterionDetails: { governanceRuleId: forAll.id, type: 'ALL' as never } })).opcWorkRequestId);

    const sent = await invite(parent, child, ['LINK', 'GOVERNANCE'], [chosen.id, gone.id]);
    await parent.gov.waitFor((await parent.gov.rules.deleteGovernanceRule({ governanceRuleId: gone.id })).opcWorkRequestId);
    assert.deepEqual(await enforcedOn(child), [], 'nothing is attached before the child accepts');
    const wr = await accept(child, sent.recipientInvitationId!);
    assert.equal(wr.status, 'SUCCEEDED');
    assert.equal(wr.resources.filter((r) => r.entityType === 'TenancyAttachment').length, 2);

    assert.deepEqual(await enforcedOn(child), ['everyone', 'no-rm']);
    const [criterion] = (await parent.gov.rules.listInclusionCriteria({ governanceRuleId: chosen.id })).inclusionCriterionCollection.items;
    assert.deepEqual(criterion.association, { type: 'TENANCY', tenancyId: child.tenant.ocid });
    const attachments = (await parent.gov.rules.listTenancyAttachments({ compartmentId: parent.tenant.ocid, childTenancyId: child.tenant.ocid })).tenancyAttachmentCollection.items;
    assert.deepEqual(new Set(attachments.map((a) => `${a.governanceRuleId} ${a.lifecycleState}`)), new Set([`${chosen.id} ACTIVE`, `${forAll.id} ACTIVE`]));
    assert.ok(!attachments.some((a) => a.governanceRuleId === other.id || a.governanceRuleId === gone.id));
    const applied = (await parent.gov.workRequests.listWorkRequests({ compartmentId: parent.tenant.ocid })).workRequestSummaryCollection.items.filter(
      (w) => w.operationType === 'APPLY_TENANCY_ATTACHMENT',
    );
    assert.equal(applied.length, 1, "the child's join attached its rules; the first child got the ALL rule through the criterion's own work request");
    assert.deepEqual(await enforcedOn(first), ['everyone']);
  });

  test('rules on an invitation without the GOVERNANCE subject are refused; a child that joined without governance gets no rules until it accepts a governance request carrying them', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const stranger = await party();
    const chosen = await rule(parent, 'no-db', ['zero database quotas in tenancy']);
    const theirs = await rule(stranger, 'theirs', ['zero vcn quotas in tenancy']);

    const linkOnly = await ociError(
      parent.oci.sender.createSenderInvitation({
        createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: ['LINK' as never], governanceRuleIds: [chosen.id] } as never,
      }),
    );
    assert.equal(linkOnly.statusCode, 400);
    assert.match(linkOnly.message, /need the GOVERNANCE subject/);
    const foreign = await ociError(
      parent.oci.sender.createSenderInvitation({
        createSenderInvitationDetails: { compartmentId: parent.tenant.ocid, recipientTenancyId: child.tenant.ocid, subjects: ['LINK' as never, 'GOVERNANCE' as never], governanceRuleIds: [theirs.id] } as never,
      }),
    );
    assert.equal(foreign.statusCode, 404);
    assert.equal((await parent.oci.sender.listSenderInvitations({ compartmentId: parent.tenant.ocid })).senderInvitationCollection.items.length, 0, 'a refused invitation is not stored');

    await accept(child, (await invite(parent, child, ['LINK'], [])).recipientInvitationId!);
    assert.deepEqual(await enforcedOn(child), []);
    const request = await invite(parent, child, ['GOVERNANCE'], [chosen.id]);
    assert.deepEqual(await enforcedOn(child), [], 'a pending request attaches nothing');
    await accept(child, request.recipientInvitationId!);
    assert.deepEqual(await enforcedOn(child), ['no-db']);
  });
});
