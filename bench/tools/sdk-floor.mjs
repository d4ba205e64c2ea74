// Optional row "sdk-floor" (not run by default): the same protocol against sdk-floor-server.mjs,
// an MCP server on cadre's SDK version that answers without a database. It measures the fixed
// cost of an MCP call over stdio on this machine (client, server SDK, JSON over pipes, process
// wake-ups), which cadre's psql server and the peer both pay on top of their database work.
//
//   node bench/tools/sdk-floor.mjs [--cpu-prof-dir dir]
import { resolve } from 'node:path';
import process from 'node:process';
import { URL, fileURLToPath } from 'node:url';
import { main, profileFlags, serverEnvironment } from './workload.mjs';

const args = process.argv.slice(2);
let profileDir;
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--cpu-prof-dir') profileDir = resolve(args[(i += 1)]);
  else {
    process.stderr.write(`unknown argument ${args[i]}\n`);
    process.exit(2);
  }
}

await main({
  name: 'sdk-floor',
  command: process.execPath,
  args: [
    ...profileFlags(profileDir),
    fileURLToPath(new URL('sdk-floor-server.mjs', import.meta.url)),
  ],
  env: serverEnvironment(),
  readOne: (result) => result.structuredContent.result.rows[0][0],
});
