// Keeps docs/adapter-protocol.md, docs/adapter-protocol.schema.json and the code in step: every method
// and control verb the code can send is in the schema and the doc with the same parameters; the real
// traffic of two adapters validates against the schema; and the schema and the harness's own reply
// checks accept and reject the same results.
import { propertyListPayload } from '../../wire/clusapi/payload';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { CONTROL_BATCH, CONTROL_QUERIES, CONTROL_VERBS, applyStimuli, type ControlVerb, type Stimulus } from '../../cmrp/control';
import { loadAllSequences } from '../../harness/sequence/load';
import { TargetError, type ClusapiConnection, type MethodName, type Target } from '../../cmrp/contract';
import { decodeReply } from '../../harness/target/adapter/connection';
import { LineSplitter } from '../../wire/adapter/framing';
import { METHOD_NAMES, METHODS, type ValueKind } from '../../cmrp/methods';
import { ADAPTER_PROTOCOL, MAX_LINE_BYTES, RPC_ERROR } from '../../wire/adapter/protocol';
import { splitCommandLine, stdioTransport } from '../../harness/target/adapter/stdio';
import { createAdapterTarget } from '../../harness/target/adapter/target';
import type { TransportFactory } from '../../harness/target/adapter/transport';
import { ROOT, SLOW_START, pythonSpec, runAllSequences, scriptedSession, servedReferenceSpec } from './helpers';

const DOC = readFileSync(join(ROOT, 'docs/adapter-protocol.md'), 'utf8');
const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'docs/adapter-protocol.schema.json'), 'utf8')) as { $defs: Record<string, Record<string, unknown>> };
const defs = SCHEMA.$defs;

// Strict, but for two ajv-only rules the schema deliberately breaks: type unions ("string or null"),
// and "required" in an if/then branch naming properties its parent defines.
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, strictRequired: false, allErrors: true });
ajv.addSchema(SCHEMA, 'adapter');
const validator = (def: string) => {
  const validate = ajv.getSchema(`adapter#/$defs/${def}`);
  if (!validate) throw new Error(`no $defs/${def} in the schema`);
  return (value: unknown) => (validate(value) ? undefined : ajv.errorsText(validate.errors));
};

const KIND_REF: Record<ValueKind, string> = {
  handle: '#/$defs/handle',
  string: '#/$defs/string',
  uint32: '#/$defs/dword',
  int32: '#/$defs/state',
  bool: '#/$defs/bool',
  uint64: '#/$defs/uint64',
  notifications: '#/$defs/notifications',
  bytes: '#/$defs/bytes',
  enumList: '#/$defs/enumList',
};

/** One stimulus of each verb with every field set: the compiler holds it to the Stimulus union. */
const STIMULI: { [V in ControlVerb]: Extract<Stimulus, { verb: V }> } = {
  AddObject: { verb: 'AddObject', objectType: 'netInterface', name: 'n', group: 'g', node: 'node1', network: 'net', resourceType: 't' },
  DeleteObject: { verb: 'DeleteObject', objectType: 'group', name: 'g' },
  SetState: { verb: 'SetState', objectType: 'group', name: 'g', state: 1 },
  SetProperty: { verb: 'SetProperty', objectType: 'cluster', name: 'c', property: 'p', value: 3 },
  MoveResource: { verb: 'MoveResource', name: 'r', group: 'g' },
  SetQuorum: { verb: 'SetQuorum', resource: 'r' },
  RegistryCreateKey: { verb: 'RegistryCreateKey', path: 'A\\B' },
  RegistryDeleteKey: { verb: 'RegistryDeleteKey', path: 'A' },
  RegistrySetValue: { verb: 'RegistrySetValue', path: 'A', valueName: 'v', data: 'x' },
  RegistryDeleteValue: { verb: 'RegistryDeleteValue', path: 'A', valueName: 'v' },
  RegistrySetSecurity: { verb: 'RegistrySetSecurity', path: 'A' },
  SetServerState: { verb: 'SetServerState', state: 'read-only' },
  DropEvents: { verb: 'DropEvents' },
  Failover: { verb: 'Failover' },
  Reset: { verb: 'Reset' },
  NodeDown: { verb: 'NodeDown', name: 'node1' },
  NodeUp: { verb: 'NodeUp', name: 'node1' },
  MoveGroup: { verb: 'MoveGroup', name: 'g', node: 'node2' },
  SetClusterSecurity: { verb: 'SetClusterSecurity', account: 'read', access: 'none' },
  SetInterfaceLink: { verb: 'SetInterfaceLink', name: 'n', peer: 'p', connected: false },
  SetNodeActivity: { verb: 'SetNodeActivity', name: 'node2', activity: 'inactive' },
  SetNodeServerState: { verb: 'SetNodeServerState', name: 'node2', state: 'read-only' },
  NodeShutdown: { verb: 'NodeShutdown', name: 'node2' },
};

describe('the schema and the code', () => {
  it('has a request, params and result for every method, with the code table\'s names and forms', () => {
    for (const method of METHOD_NAMES) {
      const spec = METHODS[method];
      const params = defs[`params.${method}`] as { properties: Record<string, { $ref: string }>; required: string[] };
      expect(params).toBeDefined();
      expect(Object.keys(params.properties)).toEqual(['connection', ...spec.params.map((p) => p.name)]);
      for (const p of spec.params) expect([method, p.name, params.properties[p.name].$ref]).toEqual([method, p.name, KIND_REF[p.kind]]);
      expect(params.required).toEqual(['connection', ...spec.params.filter((p) => !p.optional).map((p) => p.name)]);
      const success = (defs[`result.${method}`] as { oneOf: { properties: Record<string, { $ref: string }> }[] }).oneOf[0];
      expect(Object.keys(success.properties)).toEqual(['status', ...Object.keys(spec.outs), 'fault']);
      for (const [out, kind] of Object.entries(spec.outs)) expect([method, out, success.properties[out].$ref]).toEqual([method, out, KIND_REF[kind]]);
      expect(defs[`request.${method}`]).toBeDefined();
    }
  });

  it('has a request for every control verb, whose params are exactly the stimulus fields', () => {
    for (const verb of CONTROL_VERBS) {
      const { verb: _verb, ...fields } = STIMULI[verb];
      expect([verb, validator(`params.Control.${verb}`)(fields)]).toEqual([verb, undefined]);
      const required = (defs[`params.Control.${verb}`] as { required: string[] }).required;
      expect(validator(`params.Control.${verb}`)(Object.fromEntries(Object.entries(fields).filter(([k]) => required.includes(k))))).toBeUndefined();
    }
  });

  it('knows every request and nothing else', () => {
    const requests = Object.keys(defs).filter((k) => k.startsWith('request.')).map((k) => k.slice('request.'.length));
    expect(requests.sort()).toEqual(['Hello', 'Connect', 'Disconnect', ...METHOD_NAMES, ...CONTROL_VERBS.map((v) => `Control.${v}`), ...CONTROL_QUERIES.map((q) => `Control.${q}`), `Control.${CONTROL_BATCH}`].sort());
  });

  it('takes every stimulus, with its verb, as an item of Control.Batch: the verb\'s own params and nothing else', () => {
    for (const verb of CONTROL_VERBS) {
      expect([verb, validator('stimulus')(STIMULI[verb])]).toEqual([verb, undefined]);
      const { verb: _verb, ...fields } = STIMULI[verb];
      expect([verb, validator('stimulus')(fields)]).not.toEqual([verb, undefined]);
      expect([verb, validator('stimulus')({ ...STIMULI[verb], extra: 1 })]).not.toEqual([verb, undefined]);
      // Generated from params.Control.<verb>: kept the same, field for field.
      const item = defs[`stimulus.${verb}`] as { required: string[]; properties: Record<string, unknown> };
      const params = defs[`params.Control.${verb}`] as { required: string[]; properties: Record<string, unknown> };
      expect(item.properties).toEqual({ verb: { const: verb }, ...params.properties });
      expect(item.required).toEqual(['verb', ...params.required]);
    }
    expect(validator('params.Control.Batch')({ stimuli: Object.values(STIMULI) })).toBeUndefined();
    expect(validator('params.Control.Batch')({ stimuli: [{ verb: 'ListObjects', prefix: 'x' }] })).toBeDefined();
  });

  it('names the protocol version the code speaks', () => {
    expect((defs['params.Hello'] as { properties: { protocol: { const: string } } }).properties.protocol.const).toBe(ADAPTER_PROTOCOL);
    expect(DOC).toContain(`\`${ADAPTER_PROTOCOL}\``);
  });
});

describe('the document and the code', () => {
  /** The rows of the method table: method -> [params, outs]. */
  const rows = new Map<string, [string[], string[]]>();
  for (const line of DOC.split('\n')) {
    const m = /^\| `(Api\w+)`( \(notifyV2\))? \|([^|]*)\|([^|]*)\|$/.exec(line);
    if (m) rows.set(m[1], [[...m[3].matchAll(/`(\w+)`/g)].map((x) => x[1]), [...m[4].matchAll(/`(\w+)`/g)].map((x) => x[1]).filter((n) => n !== 'null')]);
  }

  it('lists every method with its params in the IDL order and its out parameters', () => {
    expect([...rows.keys()].sort()).toEqual([...METHOD_NAMES].sort());
    for (const method of METHOD_NAMES) {
      const [params, outs] = rows.get(method)!;
      expect([method, params]).toEqual([method, METHODS[method].params.map((p) => p.name)]);
      const docOuts = method === 'ApiGetNotifyV2' ? outs.filter((o) => o === 'Notifications') : outs;
      expect([method, docOuts]).toEqual([method, Object.keys(METHODS[method].outs)]);
    }
  });

  it('lists every control verb with its stimulus fields', () => {
    for (const verb of CONTROL_VERBS) {
      const row = DOC.split('\n').find((l) => l.startsWith(`| \`Control.${verb}\` |`));
      expect([verb, row !== undefined]).toEqual([verb, true]);
      const documented = [...row!.split('|')[2].matchAll(/`(\w+)`/g)].map((x) => x[1]);
      const { verb: _verb, ...fields } = STIMULI[verb];
      expect([verb, documented.filter((d) => d in fields).sort()]).toEqual([verb, Object.keys(fields).sort()]);
    }
  });

  it('lists the error codes the code uses', () => {
    for (const code of Object.values(RPC_ERROR)) expect(DOC).toMatch(new RegExp(`^\\| ${code} \\|`, 'm'));
    expect(DOC).toContain(`${MAX_LINE_BYTES.toLocaleString('en')} bytes`);
  });

  it('names every object the scripted sequences address without creating it', () => {
    // Sequences name the cluster's objects by role ("@group", "@key\\Sub"): docs/profiles.md lists the
    // roles and what each must be; any other name must be in the adapter document.
    const PROFILES_DOC = readFileSync(join(__dirname, '../../docs/profiles.md'), 'utf8');
    const documented = (name: string) =>
      name.startsWith('@') ? PROFILES_DOC.includes(`\`${name.split('\\')[0]}\``) : DOC.includes(`\`${name}\``);
    const missing = new Set<string>();
    for (const sequence of loadAllSequences()) {
      const created = new Set<string>();
      for (const step of sequence.steps) {
        if ('control' in step) {
          const c = step.control as Record<string, unknown>;
          if (c.verb === 'AddObject') created.add(String(c.name));
          for (const field of ['name', 'group', 'node', 'network', 'resource']) {
            const value = c[field];
            if (typeof value === 'string' && !created.has(value) && !(c.verb === 'SetProperty' && c.objectType === 'cluster')) {
              if (!documented(value)) missing.add(`${sequence.id}: ${value}`);
            }
          }
        }
        if ('call' in step && /^ApiOpen(Node|Group|Resource|Network|NetInterface)$/.test(step.call)) {
          const name = step.args?.[0];
          if (typeof name === 'string' && !name.startsWith('$') && !created.has(name) && !documented(name)) {
            // Opening a name the cluster lacks is a test of its own (a NOT_FOUND status), not a fixture.
            const expectsFailure = step.expect?.status !== undefined && step.expect.status !== 'ERROR_SUCCESS';
            if (!expectsFailure) missing.add(`${sequence.id}: ${name}`);
          }
        }
      }
    }
    expect([...missing]).toEqual([]);
  });
});

/** Every management method once, against the default cluster (for an adapter that declares management). */
async function managementSession(target: Target, version: 2 | 3): Promise<void> {
  await target.control?.apply({ verb: 'Reset' });
  const c = await target.connect({ protocolVersion: version });
  const m = c as Required<ClusapiConnection>;
  try {
    await m.ApiCreateEnum(0x3f);
    await m.ApiGetQuorumResource();
    await m.ApiGetClusterName();
    await m.ApiGetNetInterface('node1', 'Cluster Network 1');
    const { hGroup } = (await m.ApiCreateGroup('cmrp-conformance doc group')) as { hGroup: string };
    const { hResource } = (await m.ApiCreateResource(hGroup, 'cmrp-conformance doc resource', 'Generic Service', 0)) as { hResource: string };
    await m.ApiOnlineResource(hResource);
    await m.ApiOfflineResource(hResource);
    await m.ApiFailResource(hResource);
    await m.ApiOnlineGroup(hGroup);
    await m.ApiOfflineGroup(hGroup);
    const { hNode } = (await m.ApiOpenNode('node1')) as { hNode: string };
    await m.ApiMoveGroupToNode(hGroup, hNode);
    await m.ApiPauseNode(hNode);
    await m.ApiResumeNode(hNode);
    const { hGroup: other } = (await m.ApiOpenGroup('Available Storage')) as { hGroup: string };
    await m.ApiChangeResourceGroup(hResource, other);
    // Api*Control: the property codes the in-band SetProperty sends (CLUSCTL_*_SET/GET_COMMON_PROPERTIES).
    const list = propertyListPayload([{ name: 'Description', value: 'doc' }]);
    const { hCluster } = (await m.ApiOpenCluster()) as { hCluster: string };
    const { hNetwork } = (await m.ApiOpenNetwork('Cluster Network 1')) as { hNetwork: string };
    const { hNetInterface } = (await m.ApiOpenNetInterface('node1 - Ethernet')) as { hNetInterface: string };
    for (const [method, h, object] of [['ApiResourceControl', hResource, 1], ['ApiGroupControl', hGroup, 3], ['ApiNodeControl', hNode, 4], ['ApiNetworkControl', hNetwork, 5], ['ApiNetInterfaceControl', hNetInterface, 6], ['ApiClusterControl', hCluster, 7]] as const) {
      const control = m[method] as (h: string, code: number, input: string | null, inSize: number, outSize: number) => Promise<unknown>;
      await control.call(m, h, (object << 24) | 0x40005e, list, list.length / 2, 0);
      await control.call(m, h, (object << 24) | 0x59, null, 0, 4096);
    }
    await m.ApiResourceTypeControl(hCluster, 'Generic Service', 0x0240005e, list, list.length / 2, 0);
    const { lpszResourceName: quorum } = (await m.ApiGetQuorumResource()) as { lpszResourceName: string };
    await m.ApiSetQuorumResource(hResource, '', 0);
    const { hResource: hQuorum } = (await m.ApiOpenResource(quorum)) as { hResource: string };
    await m.ApiSetQuorumResource(hQuorum, '', 0);
    await m.ApiDeleteResource(hResource);
    await m.ApiDeleteGroup(hGroup, version === 3 ? true : undefined);
    const { hKey } = (await m.ApiGetRootKey(0xf003f)) as { hKey: string };
    const { phKey } = (await m.ApiCreateKey(hKey, 'cmrp-conformance doc key', 0, 0xf003f, null)) as { phKey: string };
    await m.ApiSetValue(phKey, 'v', 4, '01000000', 4);
    await m.ApiDeleteValue(phKey, 'v');
    await m.ApiSetKeySecurity(phKey, 4, '01000480000000000000000000000000');
    const { cbInSecurityDescriptor } = (await m.ApiGetKeySecurity(phKey, 4, 0)) as { cbInSecurityDescriptor: number };
    await m.ApiGetKeySecurity(phKey, 4, cbInSecurityDescriptor);
    await m.ApiCloseKey(phKey);
    await m.ApiDeleteKey(hKey, 'cmrp-conformance doc key');
  } finally {
    await c.close();
  }
}

describe('real traffic validates against the schema', () => {
  interface Line {
    from: 'harness' | 'adapter';
    text: string;
  }
  /** Wraps a transport to keep a copy of every line in both directions. */
  function recording(factory: TransportFactory, lines: Line[]): TransportFactory {
    return async (events) => {
      const splitter = new LineSplitter({ line: (text) => lines.push({ from: 'adapter', text }), oversize: () => undefined }, MAX_LINE_BYTES);
      const transport = await factory({
        data: (chunk) => {
          splitter.push(chunk);
          events.data(chunk);
        },
        end: events.end,
      });
      return {
        send: (line) => {
          lines.push({ from: 'harness', text: line });
          transport.send(line);
        },
        close: () => transport.close(),
        stderrTail: () => transport.stderrTail(),
      };
    };
  }

  function check(lines: Line[]): void {
    const methods = new Map<number, string>();
    const problems: string[] = [];
    const request = validator('request');
    const response = validator('response');
    for (const { from, text } of lines) {
      const message = JSON.parse(text) as { id: number; method: string; result?: unknown };
      if (from === 'harness') {
        methods.set(message.id, message.method);
        const problem = request(message);
        if (problem) problems.push(`${text}: ${problem}`);
        continue;
      }
      const problem = response(message);
      if (problem) problems.push(`${text}: ${problem}`);
      const method = methods.get(message.id)!;
      if ('result' in message) {
        const resultProblem = validator(method.startsWith('Control.') ? 'result.Control' : `result.${method}`)(message.result);
        if (resultProblem) problems.push(`${method} ${text}: ${resultProblem}`);
      }
    }
    expect(problems).toEqual([]);
    expect(lines.length).toBeGreaterThan(100);
  }

  for (const [name, spec] of [
    ['the served reference', servedReferenceSpec()],
    ['the Python example', pythonSpec()],
  ] as const) {
    it(`${name}: a scripted session and every scripted sequence, both protocol versions`, async () => {
      const lines: Line[] = [];
      const command = spec.slice('stdio:'.length);
      const target = await createAdapterTarget(spec, recording(stdioTransport(splitCommandLine(command)), lines), SLOW_START);
      try {
        for (const version of [2, 3] as const) {
          await scriptedSession(target, version);
          await runAllSequences(target, version);
          if (target.capabilities.management) await managementSession(target, version);
        }
        // A fixture's stimuli in one go: a Control.Batch where the adapter offers it (the served reference does).
        await applyStimuli(target.control!, [{ verb: 'Reset' }, { verb: 'AddObject', objectType: 'group', name: 'cmrp-conformance doc batch' }, { verb: 'SetState', objectType: 'group', name: 'cmrp-conformance doc batch', state: 1 }, { verb: 'Reset' }]);
      } finally {
        await target.dispose();
      }
      check(lines);
      // Every method the code sends (but the v2 ports neither adapter offers) was exercised.
      const sent = new Set(lines.filter((l) => l.from === 'harness').map((l) => (JSON.parse(l.text) as { method: string }).method));
      expect(sent.has(`Control.${CONTROL_BATCH}`)).toBe(name === 'the served reference');
      const unsent = METHOD_NAMES.filter((m) => !METHODS[m].notifyV2 && !(METHODS[m].management && !target.capabilities.management) && !sent.has(m));
      expect(unsent).toEqual([]);
    });
  }
});

describe('the schema and the harness accept and reject the same results', () => {
  const cases: [MethodName, unknown, boolean][] = [
    ['ApiOpenGroup', { status: 0, hGroup: 'g1' }, true],
    ['ApiOpenGroup', { status: 5013, hGroup: null }, true],
    ['ApiOpenGroup', { status: 5013 }, true],
    ['ApiOpenGroup', { status: 0 }, false],
    ['ApiOpenGroup', { status: 0, hGroup: 7 }, false],
    ['ApiOpenGroup', { status: '0', hGroup: 'g1' }, false],
    ['ApiOpenGroup', { status: -1, hGroup: 'g1' }, false],
    ['ApiOpenGroup', { status: 4294967296, hGroup: 'g1' }, false],
    ['ApiOpenGroup', { fault: 1726 }, true],
    ['ApiOpenGroup', { fault: 1726, status: 0 }, false],
    ['ApiOpenGroup', { fault: 'x' }, false],
    ['ApiOpenGroup', {}, false],
    ['ApiOpenGroup', [], false],
    ['ApiOpenGroup', null, false],
    ['ApiCloseNotify', { status: 0, hNotify: null }, true],
    ['ApiGetGroupState', { status: 0, State: -1, NodeName: 'node1' }, true],
    ['ApiGetGroupState', { status: 0, State: 1.5, NodeName: 'node1' }, false],
    ['ApiGetGroupState', { status: 0, State: 1 }, false],
    ['ApiGetNotify', { status: 0, dwNotifyKey: 1, dwFilter: 4096, dwStateSequence: 2, Name: 'App Group' }, true],
    ['ApiGetNotify', { status: 0, dwNotifyKey: 1, dwFilter: 4096, dwStateSequence: 2, Name: 3 }, false],
    ['ApiGetNotify', { status: 0x103 }, true],
    ['ApiAddNotifyGroup', { status: 0, dwStateSequence: 1, extra: 'ignored' }, true],
    ['ApiGetNotifyV2', { status: 0, Notifications: [{ dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '18446744073709551615', buffer: '', ObjectId: 'i', ParentId: null, Name: 'x', Type: '' }] }, true],
    ['ApiGetNotifyV2', { status: 0, Notifications: [{ ...{ dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '8', buffer: '', ObjectId: 'i', ParentId: null, Name: 'x', Type: '' }, FilterFlags: 4096 }] }, false],
    ['ApiGetNotifyV2', { status: 0, Notifications: [{ dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '-1', buffer: '', ObjectId: 'i', ParentId: null, Name: 'x', Type: '' }] }, false],
    ['ApiGetNotifyV2', { status: 0, Notifications: [{ dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '8', Name: 'x' }] }, false],
    ['ApiGetNotifyV2', { status: 0, Notifications: [{ ...{ dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '8', buffer: '', ObjectId: 'i', ParentId: null, Name: 'x', Type: '' }, buffer: 'ABCD' }] }, false],
    ['ApiGetNotifyV2', { status: 0, Notifications: [{ ...{ dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '8', buffer: '', ObjectId: 'i', ParentId: null, Name: 'x', Type: '' }, extra: 1 }] }, false],
  ];
  for (const [method, result, ok] of cases) {
    it(`${method} ${JSON.stringify(result)}: ${ok ? 'accepted' : 'rejected'}`, () => {
      expect(validator(`result.${method}`)(result) === undefined).toBe(ok);
      let decoded = true;
      try {
        decodeReply(method, result);
      } catch (error) {
        expect(error).toBeInstanceOf(TargetError);
        decoded = false;
      }
      expect(decoded).toBe(ok);
    });
  }

  it('turns FilterFlags into a bigint and a missing handle of a failed call into NULL', () => {
    const entry = { dwNotifyKey: 1, dwObjectType: 2, FilterFlags: '18446744073709551615', buffer: '', ObjectId: 'i', ParentId: null, Name: 'x', Type: '' };
    expect(decodeReply('ApiGetNotifyV2', { status: 0, Notifications: [entry] })).toEqual({
      status: 0,
      Notifications: [{ ...entry, FilterFlags: 18446744073709551615n }],
    });
    expect(decodeReply('ApiOpenGroup', { status: 5013 })).toEqual({ status: 5013, hGroup: null });
  });
});
