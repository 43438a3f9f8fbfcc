// Loaded with `node --import` before a command under test: at exit, writes the process's peak resident set
// (getrusage's maxrss, in KB) to standard error as `peak-rss-kb N`, the last line, for tests that bound memory.
import * as fs from 'node:fs';

process.on('exit', () => fs.writeSync(2, `peak-rss-kb ${process.resourceUsage().maxRSS}\n`));
