// A type as C writes it, for reasons, notes and evidence.

import type { CType } from './ctype.js';

/** A type as C writes it, for reasons and notes. */
export function typeText(type: CType): string {
  switch (type.kind) {
    case 'void':
      return 'void';
    case 'int':
      return type.int.name;
    case 'float':
      return type.name;
    case 'pointer':
      return `${typeText(type.to)} *`;
    case 'array':
      return `${typeText(type.of)}[${type.count ?? ''}]`;
    case 'enum':
      return `enum${type.tag ? ` ${type.tag}` : ''}`;
    case 'function':
      return 'function';
    case 'record':
      return `${type.record.keyword}${type.record.tag ? ` ${type.record.tag}` : ''}`;
    case 'ref':
    case 'unknown':
      return type.name;
  }
}
