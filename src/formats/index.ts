import type { Formatter } from './common.js';
import { codeframe } from './codeframe.js';
import { compact } from './compact.js';
import { github } from './github.js';
import { json } from './json.js';
import { msvc } from './msvc.js';
import { sarif } from './sarif.js';
import { stylish } from './stylish.js';

export const formatters: Record<string, Formatter> = { stylish, compact, json, sarif, github, msvc, codeframe };

export type { FormatOptions, Formatter } from './common.js';
