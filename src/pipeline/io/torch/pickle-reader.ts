/**
 * A restricted unpickler for the data.pkl of a torch.save archive: only the opcodes pickle
 * protocol 2–4 uses for dicts, lists, tuples, numbers, strings, bools and None, and only the
 * globals torch.save writes for tensors (torch._utils._rebuild_tensor_v2 / _rebuild_parameter,
 * torch.<X>Storage, collections.OrderedDict, torch.Size). Nothing is ever executed: a global is
 * a name we recognise or a ParseError naming the file and the byte offset of the opcode.
 */
import { checkAllocation } from '../../budget/resource-budget';
import { ParseError, type FileLocation } from '../../errors';
import {
  TORCH_DTYPES,
  dtypeOfStorage,
  elementCount,
  pyDict,
  pyTuple,
  tensor,
  type PyKey,
  type PyValue,
  type TorchData,
  type TorchDtype,
  type TorchTensor,
} from './tensor';

/** A storage the archive holds as data/<key>: its elements, already in a typed array. */
export interface LoadedStorage {
  dtype: TorchDtype;
  data: TorchData;
}

/** Loads storage `key` of `numel` elements of `dtype` (throws when the record is missing or short). */
export type StorageLoader = (
  key: string,
  dtype: TorchDtype,
  numel: number,
  at: FileLocation,
) => LoadedStorage;

interface GlobalRef {
  readonly kind: 'global';
  name: string;
}

interface StorageRef {
  readonly kind: 'storage';
  storage: LoadedStorage;
}

type Item = PyValue | GlobalRef | StorageRef | typeof MARK;

const MARK = Symbol('mark');

const ALLOWED_GLOBALS = new Set([
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_parameter',
  'collections.OrderedDict',
  'torch.Size',
  ...Object.values(TORCH_DTYPES).map((d) => `torch.${d.storage}`),
]);

function isObject(
  v: Item,
): v is Exclude<Item, typeof MARK | null | boolean | number | bigint | string | PyValue[]> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function unpickleTorch(
  bytes: Uint8Array,
  file: string,
  loadStorage: StorageLoader,
): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Item[] = [];
  const memo = new Map<number, Item>();
  let pos = 0;
  let opAt = 0;
  const fail = (reason: string): never => {
    throw new ParseError({ file, byteOffset: opAt }, reason);
  };
  const need = (n: number) => {
    if (!(n >= 0) || pos + n > bytes.length) fail('truncated pickle');
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const u64 = () => {
    need(8);
    const v = view.getBigUint64(pos, true);
    pos += 8;
    if (v > BigInt(bytes.length)) fail('string length beyond the end of the pickle');
    return Number(v);
  };
  const text = (n: number) => {
    need(n);
    const s = new TextDecoder('utf-8', { fatal: true });
    try {
      return s.decode(bytes.subarray(pos, (pos += n)));
    } catch {
      return fail('string is not valid UTF-8');
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 256) fail('unterminated global name');
    const s = String.fromCharCode(...bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): Item => (stack.length === 0 ? fail('pickle stack underflow') : stack.pop()!);
  const top = (): Item =>
    stack.length === 0 ? fail('pickle stack underflow') : stack[stack.length - 1];
  const popMark = (): Item[] => {
    for (let i = stack.length - 1; i >= 0; i--) {
      if (stack[i] === MARK) {
        const items = stack.splice(i);
        items.shift();
        return items;
      }
    }
    return fail('no MARK on the pickle stack');
  };
  const value = (v: Item, what: string): PyValue => {
    if (v === MARK || (isObject(v) && (v.kind === 'global' || v.kind === 'storage'))) {
      fail(`${what} is not a plain value`);
    }
    return v as PyValue;
  };
  const key = (v: Item): PyKey => {
    if (v === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof v))
      return v as PyKey;
    if (isObject(v) && v.kind === 'tuple') return fail('tuple dict keys are not supported');
    return fail('dict key is not a string, number, bool or None');
  };
  const setItems = (target: Item, items: Item[]) => {
    if (!isObject(target) || target.kind !== 'dict')
      fail('SETITEM(S) on something that is not a dict');
    const dict = target as Extract<PyValue, { kind: 'dict' }>;
    if (items.length % 2 !== 0) fail('odd number of items for SETITEMS');
    for (let i = 0; i < items.length; i += 2)
      dict.entries.set(key(items[i]), value(items[i + 1], 'dict value'));
  };
  const append = (target: Item, items: Item[]) => {
    if (!Array.isArray(target)) fail('APPEND(S) on something that is not a list');
    for (const it of items) (target as PyValue[]).push(value(it, 'list item'));
  };
  const memoIndex = (i: number) => {
    const v = memo.get(i);
    if (v === undefined) fail(`memo entry ${i} not defined`);
    return v!;
  };
  const global = (name: string): GlobalRef => {
    if (!ALLOWED_GLOBALS.has(name))
      fail(`global ${name.slice(0, 120)} is not allowed (only tensors, storages and OrderedDict)`);
    return { kind: 'global', name };
  };
  const int = (v: PyValue, what: string): number => {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
      fail(`${what} is not a non-negative integer`);
    return n as number;
  };
  const intTuple = (v: PyValue, what: string): number[] => {
    if (!isObject(v) || v.kind !== 'tuple') return fail(`${what} is not a tuple`);
    return v.items.map((x) => int(x, what));
  };
  const rebuildTensor = (args: PyValue[] | Item[]): TorchTensor => {
    const [storageRef, offsetV, sizeV, strideV] = args as Item[];
    if (!isObject(storageRef) || storageRef.kind !== 'storage')
      return fail('tensor without a storage');
    const { storage } = storageRef;
    const offset = int(value(offsetV, 'storage offset'), 'storage offset');
    const shape = intTuple(value(sizeV, 'size'), 'size');
    const stride = intTuple(value(strideV, 'stride'), 'stride');
    if (shape.length !== stride.length)
      fail(`size has ${shape.length} dims, stride ${stride.length}`);
    const count = elementCount(shape);
    const info = TORCH_DTYPES[storage.dtype];
    checkAllocation(
      count * info.itemSize,
      { file, byteOffset: opAt },
      `tensor [${shape.join(', ')}]`,
    );
    let last = offset;
    for (let d = 0; d < shape.length; d++) last += (shape[d] - 1) * stride[d];
    if (count > 0 && last >= storage.data.length) {
      fail(
        `tensor [${shape.join(', ')}] at offset ${offset} reaches element ${last} of a ${storage.data.length}-element storage`,
      );
    }
    return tensor(storage.dtype, shape, gather(storage.data, offset, shape, stride, count));
  };
  const reduce = (fn: Item, argsItem: Item): Item => {
    if (!isObject(fn) || fn.kind !== 'global')
      return fail('REDUCE of something that is not a global');
    if (!isObject(argsItem) || argsItem.kind !== 'tuple')
      return fail('REDUCE arguments are not a tuple');
    const args = argsItem.items as Item[];
    switch (fn.name) {
      case 'torch._utils._rebuild_tensor_v2':
        if (args.length < 6) fail('_rebuild_tensor_v2 needs 6 arguments');
        return rebuildTensor(args);
      case 'torch._utils._rebuild_parameter': {
        const data = args[0];
        if (!isObject(data) || data.kind !== 'tensor')
          return fail('_rebuild_parameter without a tensor');
        return data;
      }
      case 'collections.OrderedDict':
        if (args.length !== 0) fail('OrderedDict with arguments');
        return pyDict([]);
      case 'torch.Size': {
        if (args.length !== 1) return fail('torch.Size needs one tuple');
        return pyTuple(...intTuple(value(args[0], 'torch.Size'), 'torch.Size'));
      }
      default:
        return fail(`${fn.name} cannot be called`);
    }
  };
  const persistentLoad = (pid: Item): StorageRef => {
    if (!isObject(pid) || pid.kind !== 'tuple' || pid.items.length !== 5)
      return fail('persistent id is not a 5-tuple');
    const [tag, type, keyV, , numelV] = pid.items as Item[];
    if (tag !== 'storage') fail('persistent id is not a storage');
    if (!isObject(type) || type.kind !== 'global') return fail('storage type is not a global');
    const dtype = dtypeOfStorage(type.name.replace(/^torch\./, ''));
    if (!dtype) return fail(`${type.name} is not a storage type`);
    if (typeof keyV !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(keyV))
      return fail('storage key is not a plain name');
    const numel = int(value(numelV, 'storage size'), 'storage size');
    return {
      kind: 'storage',
      storage: loadStorage(keyV, dtype, numel, { file, byteOffset: opAt }),
    };
  };

  for (;;) {
    opAt = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('pickle protocol above 5');
        break;
      case 0x95: // FRAME
        pos += 8;
        need(0);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(pyDict([]));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(pyTuple());
        break;
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(memoIndex(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoIndex(u32()));
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x4a: // BININT
        need(4);
        stack.push(view.getInt32(pos, true));
        pos += 4;
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: {
        // LONG1: little-endian two's complement
        const n = u8();
        need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[pos + i]);
        if (n > 0 && bytes[pos + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        pos += n;
        stack.push(
          v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
            ? Number(v)
            : v,
        );
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x88:
        stack.push(true);
        break;
      case 0x89:
        stack.push(false);
        break;
      case 0x4e:
        stack.push(null);
        break;
      case 0x74: // TUPLE
        stack.push(pyTuple(...(popMark() as PyValue[])));
        break;
      case 0x85:
      case 0x86:
      case 0x87: {
        const n = op - 0x84;
        if (stack.length < n) fail('pickle stack underflow');
        const items = stack.splice(stack.length - n);
        stack.push(pyTuple(...(items as PyValue[])));
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        setItems(top(), [k, v]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x61: {
        const v = pop();
        append(top(), [v]);
        break;
      }
      case 0x65: {
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x63: {
        // GLOBAL module\nname\n
        const mod = line();
        stack.push(global(`${mod}.${line()}`));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const mod = pop();
        if (typeof mod !== 'string' || typeof name !== 'string')
          fail('STACK_GLOBAL of non-strings');
        stack.push(global(`${mod as string}.${name as string}`));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(reduce(pop(), args));
        break;
      }
      case 0x51: // BINPERSID
        stack.push(persistentLoad(pop()));
        break;
      case 0x62: {
        // BUILD: only an OrderedDict's attributes (a state_dict's _metadata), which we drop
        pop();
        const target = top();
        if (!isObject(target) || target.kind !== 'dict')
          fail('BUILD on something that is not a dict');
        break;
      }
      case 0x30: // POP
        pop();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x2e: {
        // STOP
        const result = value(pop(), 'the pickled object');
        if (!isPlain(result)) fail('a storage or global is left inside the pickled object');
        return result;
      }
      default:
        return fail(`pickle opcode 0x${op.toString(16).padStart(2, '0')} is not allowed`);
    }
  }
}

/** No storage or global reference left inside `root` (tuples may carry them while unpickling). */
function isPlain(root: PyValue): boolean {
  const todo: unknown[] = [root];
  while (todo.length > 0) {
    const v = todo.pop();
    if (typeof v === 'symbol') return false;
    if (typeof v !== 'object' || v === null) continue;
    if (Array.isArray(v)) todo.push(...(v as unknown[]));
    else {
      const kind = (v as { kind: string }).kind;
      if (kind === 'tuple') todo.push(...(v as { items: unknown[] }).items);
      else if (kind === 'dict')
        todo.push(...(v as { entries: Map<unknown, unknown> }).entries.values());
      else if (kind !== 'tensor') return false;
    }
  }
  return true;
}

/** The tensor's elements in C order: a slice when the strides are C-contiguous, else a copy. */
function gather(
  src: TorchData,
  offset: number,
  shape: number[],
  stride: number[],
  count: number,
): TorchData {
  let contiguous = true;
  let expected = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== expected) contiguous = false;
    expected *= shape[d];
  }
  if (contiguous || count === 0) return src.slice(offset, offset + count);
  const out = new (src.constructor as new (n: number) => TorchData)(count);
  const index = new Array<number>(shape.length).fill(0);
  let at = offset;
  for (let i = 0; i < count; i++) {
    (out as Float32Array)[i] = (src as Float32Array)[at];
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]++;
      at += stride[d];
      if (index[d] < shape[d]) break;
      at -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}
