// granule's command line loaded from dist/ module by module instead of the bundle (bin/granule.js): the same
// code, but a CPU profile then names the module of every function, which the bench's profile sorts by.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env });
