// The compiler's half of "one table of the IDL": every method signature of the target contract
// (contract.ts) must agree with the method's row in methods.ts, parameter by parameter (count, order,
// value kind) and in the names of its out parameters. A disagreement fails `tsc` here, naming the
// method. Types only: nothing in this module exists at run time.
import type { ClusapiConnection, EnumEntry, Handle, MethodName, NotificationV2 } from './contract';
import type { IdlTable, ValueKind } from './methods';

/** The contract's TypeScript type of each value kind. */
interface KindType {
  handle: Handle;
  string: string;
  uint32: number;
  int32: number;
  bool: boolean;
  uint64: bigint;
  notifications: NotificationV2[];
  bytes: string | null;
  enumList: EnumEntry[];
}

type Row<M extends MethodName> = IdlTable[M];

/** A row's parameters as a tuple of contract types (a mapped type over a type parameter keeps the tuple). */
type ArgTypes<P extends readonly unknown[]> = { -readonly [I in keyof P]: P[I] extends { kind: infer K extends ValueKind } ? KindType[K] : never };
type TableArgs<M extends MethodName> = ArgTypes<Row<M>['params']>;

type Method<M extends MethodName> = NonNullable<ClusapiConnection[M]>;
type ContractArgs<M extends MethodName> = Parameters<Method<M>>;

/** The success branch of the method's Reply, without status and fault: its out parameters. */
type ContractOuts<M extends MethodName> = Omit<Extract<Awaited<ReturnType<Method<M>>>, { status: number }>, 'status' | 'fault'>;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** True when M's contract signature and table row agree. */
type Agrees<M extends MethodName> =
  TableArgs<M> extends ContractArgs<M>
    ? Required<ContractArgs<M>> extends TableArgs<M>
      ? Same<keyof ContractOuts<M> & string, keyof Row<M>['outs'] & string>
      : false
    : false;

/** The methods whose contract signature and table row disagree (never, when all agree). */
export type Disagreeing = { [M in MethodName]: Agrees<M> extends true ? never : M }[MethodName];

/** Fails to compile, naming the methods, when Disagreeing is not empty. */
export type IdlAgrees = [Disagreeing] extends [never] ? true : `the contract disagrees with the IDL table on ${Disagreeing}`;
const agrees: IdlAgrees = true;
void agrees;
