// Runs the version 2 port steps (ApiCreateNotifyV2, ApiAddNotifyV2 and its parameter and handle
// checks). Reads, unblocks and closes of a version 2 port are the ordinary steps (execute.ts), which
// call ApiGetNotifyV2 on such a port.
import { CLUSTER_CHANGE_GROUP_V2, CLUSTER_OBJECT_TYPE as OT, ERROR } from '../../cmrp/constants';
import { judgeAddV2, judgeCreateV2, type AddV2Call } from '../model/oracle-v2';
import { ADD2, CREATE2, GET2, V2_SECTIONS } from '../model/refs-v2';
import type { RunContext } from './context';
import { addV2Target, badV2Handles } from './resolve-v2';
import { stepPort } from './resolve';
import type { StepV2 } from './steps';

/** The dwVersion every valid ApiAddNotifyV2 sends (3.1.4.2.137). */
const DW_VERSION = 2;

/** Bad values of each parameter: dwVersion other than 2, a type CLUSTER_OBJECT_TYPE lacks, a flag outside GROUP's enumeration. */
const INVALID_VALUES = {
  dwVersion: [1, 3, 0, 0xffffffff],
  objectType: [0, 0x11, 0xff, 0x7fffffff],
  flags: [0x400, 0x800, 0x10000, 2 ** 40],
} as const;

export async function runStepV2(ctx: RunContext, step: StepV2): Promise<void> {
  const m = ctx.model;
  switch (step.op) {
    case 'CreateNotifyV2': {
      const o = await ctx.call('ApiCreateNotifyV2', [], [CREATE2.success]);
      const handle = o.kind === 'reply' && typeof o.out.hNotify === 'string' ? o.out.hNotify : undefined;
      const verdict = judgeCreateV2(m, o, handle ? ctx.trace.known(handle) : undefined);
      if (verdict.port && handle) ctx.bind(verdict.port.handle, handle);
      return ctx.judge(verdict);
    }
    case 'AddNotifyV2': {
      const port = stepPort(m, step)!;
      const t = addV2Target(ctx.env, m, step)!;
      const call: AddV2Call = { portId: port.handle, objectId: t.objectId, objectKind: t.objectKind, dwObjectType: step.objectType, flags: step.flags, key: step.key, scope: t.scope };
      const o = await ctx.call('ApiAddNotifyV2', [ctx.handle(port.handle), ctx.handle(t.objectId), step.objectType, BigInt(step.flags), step.key, DW_VERSION, step.targeted], [ADD2.success]);
      return ctx.judge(judgeAddV2(m, call, o));
    }
    case 'AddNotifyV2Invalid': {
      const port = stepPort(m, step)!;
      const cluster = m.currentHandle('cluster')!;
      const values = INVALID_VALUES[step.invalid];
      const bad = values[step.pick % values.length];
      // Everything else valid: an untargeted GROUP_STATE_V2 registration through the cluster handle.
      const type = step.invalid === 'objectType' ? bad : OT.GROUP;
      const flags = step.invalid === 'flags' ? BigInt(bad) : BigInt(CLUSTER_CHANGE_GROUP_V2.STATE);
      const version = step.invalid === 'dwVersion' ? bad : DW_VERSION;
      const call: AddV2Call = { portId: port.handle, objectId: cluster, objectKind: 'cluster', dwObjectType: type, flags: Number(flags), key: 1, scope: { kind: 'all' }, invalid: step.invalid };
      const refs = [{ dwVersion: ADD2.badVersion, objectType: ADD2.badType, flags: ADD2.badFlags }[step.invalid]];
      const o = await ctx.call('ApiAddNotifyV2', [ctx.handle(port.handle), ctx.handle(cluster), type, flags, 1, version, false], refs);
      return ctx.judge(judgeAddV2(m, call, o));
    }
    case 'BadHandleV2': {
      const r = badV2Handles(ctx.env, m, step)!;
      if (step.call === 'ApiGetNotifyV2') {
        // The wrong-type handle may be a fixture handle not opened yet.
        const o = await ctx.settle(ctx.start('ApiGetNotifyV2', await ctx.ready([ctx.handle(r.notifyId)])), ctx.env.timeouts.readMs, [GET2.badNotify]);
        return ctx.judge(m.badCall(o, [{ id: r.notifyId, expected: 'notify', refs: [GET2.badNotify] }], V2_SECTIONS.get) ?? unexpectedlyGood(r.notifyId));
      }
      const targeted = r.objectKind === 'group';
      const type = OT.GROUP;
      const call: AddV2Call = { portId: r.notifyId, objectId: r.objectId!, objectKind: r.objectKind!, dwObjectType: type, flags: CLUSTER_CHANGE_GROUP_V2.STATE, key: 1, scope: { kind: 'all' } };
      const refs = step.param === 'hNotify' ? [ADD2.badNotify] : [ADD2.badObject];
      const o = await ctx.call('ApiAddNotifyV2', [ctx.handle(r.notifyId), ctx.handle(r.objectId!), type, BigInt(CLUSTER_CHANGE_GROUP_V2.STATE), 1, DW_VERSION, targeted], refs);
      return ctx.judge(judgeAddV2(m, call, o));
    }
  }
}

/** A bad handle the model found good: a harness error, never a verdict on the server. */
function unexpectedlyGood(id: string): never {
  throw new Error(`the model took ${id} for a valid port handle in a bad-handle step (status ${ERROR.SUCCESS} path)`);
}
