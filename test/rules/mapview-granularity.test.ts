// mapview-granularity (GR3): a file view whose constant size leaves part of its last 64 KB granule unusable, or
// whose constant file offset is not a multiple of 64 KB (the call fails). A warning with no fix: the size of a
// view is the size of the data the program wants to see.

import rule from '../../src/rules/mapview-granularity.js';
import { asTested, c, HEAD } from '../helpers/rule-tester.js';

/** `void f(HANDLE h) { <call>; }` on line 2: the call starts at column 20. */
const inF = (call: string) => `${HEAD}void f(HANDLE h) { ${call}; }`;
const view = (offsetLow: string, size: string, offsetHigh = '0') => inF(`MapViewOfFile(h, FILE_MAP_READ, ${offsetHigh}, ${offsetLow}, ${size})`);
const ALIGNMENT = 'not a multiple of the 64 KB allocation granularity; the call fails with ERROR_MAPPED_ALIGNMENT';

c.run('mapview-granularity', asTested(rule), {
  valid: [
    { name: 'a 64 KB view at a 64 KB offset', code: view('0x10000', '0x10000') },
    { name: 'size 0 maps the whole section', code: view('0', '0') },
    { name: 'a view that ends on its granule’s last page', code: view('0', '65532') },
    { name: 'an offset in the high DWORD: 4 GB is a multiple of 64 KB', code: view('0', '0x10000', '1') },
    { name: 'a size that is not a constant', code: `${HEAD}void f(HANDLE h, SIZE_T n) { MapViewOfFile(h, FILE_MAP_READ, 0, 0, n); }` },
    {
      name: 'a view unmapped on every path, with transient: off',
      code: `${HEAD}void f(HANDLE h) { void *v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 4096); UnmapViewOfFile(v); }`,
      options: [{ transient: 'off' }],
    },
    { name: 'a reservation (virtualalloc-granularity checks those)', code: `${HEAD}void f(void) { VirtualAlloc(NULL, 4096, MEM_RESERVE, PAGE_NOACCESS); }` },
  ],
  invalid: [
    {
      name: 'a view unmapped on every path: its own message',
      code: `${HEAD}int f(HANDLE h) { char *v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 16); if (!v) return 0; int r = v[0]; UnmapViewOfFile(v); return r; }`,
      output: null,
      errors: [
        {
          message:
            'MapViewOfFile maps a view of 16 bytes (0x10), 61440 bytes of its last 64 KB granule unusable while it is mapped; it is unmapped on every path before the function returns, so it does not hold the address space',
        },
      ],
    },
    {
      name: 'a view unmapped on every path, with transient: same (the rule level; the message still says it)',
      code: `${HEAD}void f(HANDLE h) { void *v = MapViewOfFile(h, FILE_MAP_READ, 0, 0, 4096); UnmapViewOfFile(v); }`,
      output: null,
      options: [{ transient: 'same' }],
      errors: [{ messageId: 'transientViewWastesGranule' }],
    },
    {
      name: 'a view smaller than a granule',
      code: view('0', '5000'),
      output: null,
      errors: [
        {
          message: 'MapViewOfFile maps a view of 5000 bytes (0x1388); 57344 bytes of its last 64 KB granule become unusable',
          line: 2,
          column: 20,
          endLine: 2,
          endColumn: 63,
          suggestions: [],
        },
      ],
    },
    {
      name: 'an offset that is not a multiple of 64 KB',
      code: view('4096', '0x10000'),
      errors: [{ message: `MapViewOfFile maps at file offset 4096 (0x1000), ${ALIGNMENT}`, line: 2, column: 20, endLine: 2, endColumn: 69 }],
    },
    {
      name: 'both on one call: the offset first, then the size',
      code: view('0x1000', '0x3000'),
      errors: [
        { messageId: 'misalignedOffset', data: { api: 'MapViewOfFile', offset: '4096', offsetHex: '0x1000' }, column: 20, endColumn: 70 },
        {
          messageId: 'viewWastesGranule',
          data: { api: 'MapViewOfFile', size: '12288 bytes', hex: '0x3000', unusable: '53248', lifetime: '' },
          column: 20,
          endColumn: 70,
        },
      ],
    },
    {
      name: 'MapViewOfFileEx past the first granule',
      code: inF('MapViewOfFileEx(h, FILE_MAP_READ, 0, 0, 0x18000, NULL)'),
      errors: [
        {
          message: 'MapViewOfFileEx maps a view of 98304 bytes (0x18000); 32768 bytes of its last 64 KB granule become unusable',
          column: 20,
          endColumn: 74,
        },
      ],
    },
    {
      name: 'MapViewOfFileFromApp: a 64-bit offset argument',
      code: inF('MapViewOfFileFromApp(h, FILE_MAP_READ, 0x8000, 0x10000)'),
      errors: [{ messageId: 'misalignedOffset', data: { api: 'MapViewOfFileFromApp', offset: '32768', offsetHex: '0x8000' }, column: 20, endColumn: 75 }],
    },
  ],
});
