import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type * as usageapi from 'oci-usageapi';
import { operator } from './support/app.js';
import { governanceStage, join, type Party } from './support/governance.js';
import { ociError } from './support/oci.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

describe('Metering: usage attributed to the subscription of the time of use, read through oci-usageapi', () => {
  const stage = governanceStage();
  const { party } = stage;
  const rateCard = (subscriptionId: string, unitPrice: number) =>
    operator(stage.t, 'PUT', `/subscriptions/${subscriptionId}/rate-card`, { items: [{ service: 'compute', unit: 'OCPU-hours', unitPrice, currency: 'USD' }] });
  let seq = 0;
  const use = (p: Party, time: number, quantity: number) =>
    operator(stage.t, 'POST', '/usage', { records: [{ id: `u-${++seq}`, tenancyId: p.tenant.ocid, service: 'compute', resource: 'vm', quantity, unit: 'OCPU-hours', time: new Date(time).toISOString() }] });
  const summarize = (p: Party, tenantId: string, details: Partial<usageapi.models.RequestSummarizedUsagesDetails>, from: number, until: number) =>
    p.gov.usage.requestSummarizedUsages({
      requestSummarizedUsagesDetails: {
        tenantId,
        timeUsageStarted: new Date(from),
        timeUsageEnded: new Date(until),
        granularity: 'TOTAL' as never,
        ...details,
      },
    });

  test('usage before joining, on the default subscription, after a rate change and after a mapping back is attributed and priced by the subscription and rate card of its time', async () => {
    const parent = await party();
    const child = await party('PAYG');
    const stranger = await party();
    const t0 = stage.t.clock.now();
    await rateCard(parent.tenant.subscriptionId, 2);
    await rateCard(child.tenant.subscriptionId, 5);
    await use(child, t0 - 60 * MINUTE, 10); // before joining: its own subscription at 5

    stage.t.clock.advance(MINUTE);
    await join(parent, child, ['LINK', 'GOVERNANCE']);
    const t1 = stage.t.clock.now();
    await use(child, t1 + 1000, 3); // on the organization's default subscription at 2
    await use(parent, t1 + 2000, 1); // the parent's own usage, at 2

    stage.t.clock.advance(MINUTE);
    const t2 = stage.t.clock.now();
    await rateCard(parent.tenant.subscriptionId, 3);
    await use(child, t2 + 1000, 4); // still the default subscription, now at 3

    stage.t.clock.advance(MINUTE);
    const t3 = stage.t.clock.now();
    await parent.oci.subscription.createSubscriptionMapping({
      createSubscriptionMappingDetails: { compartmentId: child.tenant.ocid, subscriptionId: child.tenant.subscriptionId },
    });
    await use(child, t3 + 1000, 7); // mapped back: its own subscription at 5

    const from = t0 - (t0 % DAY) - DAY;
    const until = from + 3 * DAY;
    const cost = await summarize(parent, parent.tenant.ocid, { queryType: 'COST' as never, groupBy: ['tenantId', 'subscriptionId'] }, from, until);
    const row = (tenant: Party, subscriptionId: string) => cost.usageAggregation.items.find((i) => i.tenantId === tenant.tenant.ocid && i.subscriptionId === subscriptionId);
    assert.equal(cost.usageAggregation.items.length, 3);
    assert.deepEqual([row(child, child.tenant.subscriptionId)?.computedQuantity, row(child, child.tenant.subscriptionId)?.computedAmount], [17, 85]);
    assert.deepEqual([row(child, parent.tenant.subscriptionId)?.computedQuantity, row(child, parent.tenant.subscriptionId)?.computedAmount], [7, 3 * 2 + 4 * 3]);
    assert.deepEqual([row(parent, parent.tenant.subscriptionId)?.computedQuantity, row(parent, parent.tenant.subscriptionId)?.computedAmount], [1, 2]);
    assert.ok(cost.usageAggregation.items.every((i) => i.currency === 'USD' && i.unit === 'OCPU-hours'));

    // By subscription only, per day in UTC: the sums still add up.
    const daily = await summarize(parent, parent.tenant.ocid, { queryType: 'COST' as never, granularity: 'DAILY' as never, groupBy: ['subscriptionId'] }, from, until);
    const total = (sub: string) => daily.usageAggregation.items.filter((i) => i.subscriptionId === sub).reduce((a, i) => a + (i.computedAmount ?? 0), 0);
    assert.equal(total(parent.tenant.subscriptionId), 20);
    assert.equal(total(child.tenant.subscriptionId), 85);
    assert.ok(daily.usageAggregation.items.every((i) => new Date(i.timeUsageStarted).getTime() % DAY === 0));

    // The child reads only its own usage, with the same attribution; USAGE has no amounts.
    const own = await summarize(child, child.tenant.ocid, { queryType: 'USAGE' as never, groupBy: ['subscriptionId'] }, from, until);
    assert.deepEqual(
      own.usageAggregation.items.map((i) => [i.subscriptionId, i.computedQuantity, i.computedAmount]).sort(),
      [[child.tenant.subscriptionId, 17, undefined], [parent.tenant.subscriptionId, 7, undefined]].sort(),
    );
    for (const call of [() => summarize(child, parent.tenant.ocid, {}, from, until), () => summarize(stranger, child.tenant.ocid, {}, from, until)]) {
      assert.equal((await ociError(call())).statusCode, 404);
    }
    const misaligned = await ociError(summarize(parent, parent.tenant.ocid, { granularity: 'MONTHLY' as never }, from + 1000, until));
    assert.equal(misaligned.statusCode, 400);
  });
});

describe('Metering with TENANTRY_METERING_START_DELAY', () => {
  const stage = governanceStage({ env: { TENANTRY_METERING_START_DELAY: '10m' } });
  const { party } = stage;

  test("a child's usage stays on its own subscription for the start delay after it joins, then goes to the organization's default", async () => {
    const parent = await party();
    const child = await party('PAYG');
    await join(parent, child, ['LINK']);
    const joined = stage.t.clock.now();
    const record = (id: string, time: number, quantity: number) => ({ id, tenancyId: child.tenant.ocid, service: 'compute', resource: 'vm', quantity, unit: 'OCPU-hours', time: new Date(time).toISOString() });
    await operator(stage.t, 'POST', '/usage', { records: [record('d-1', joined + 9 * MINUTE, 2), record('d-2', joined + 11 * MINUTE, 5)] });
    const from = joined - (joined % DAY) - DAY;
    const { usageAggregation } = await child.gov.usage.requestSummarizedUsages({
      requestSummarizedUsagesDetails: { tenantId: child.tenant.ocid, timeUsageStarted: new Date(from), timeUsageEnded: new Date(from + 3 * DAY), granularity: 'TOTAL' as never, groupBy: ['subscriptionId'] },
    });
    assert.deepEqual(
      usageAggregation.items.map((i) => [i.subscriptionId, i.computedQuantity]).sort(),
      [[child.tenant.subscriptionId, 2], [parent.tenant.subscriptionId, 5]].sort(),
    );
  });
});
