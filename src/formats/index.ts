import type { Formatter } from './common.js';
import { compact } from './compact.js';
import { github } from './github.js';
import { json } from './json.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

export const formatters: Record<string, Formatter> = { stylish, compact, json, sarif, github };

export type { FormatOptions, Formatter } from './common.js';
